#include "TempProject.h"
#include "TestPaths.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

struct ProcessResult
{
    int exitCode = -1;
    QString out;
};

// Runs a tool to completion; the exit code is -1 when it could not start or crashed.
ProcessResult runTool(const QString &program, const QStringList &args, const QString &workingDir = {},
                      const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setProcessEnvironment(env);
    if (!workingDir.isEmpty())
        process.setWorkingDirectory(workingDir);
    process.start(program, args);
    ProcessResult result;
    if (!process.waitForStarted() || !process.waitForFinished(600000))
        return result;
    result.out = QString::fromUtf8(process.readAll());
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return result;
}

QString buildDir()
{
    return QDir::cleanPath(QFileInfo(QStringLiteral(ANTHOLOGY_CLI_PATH)).absolutePath() + u"/.."_s);
}

bool guiBuilt()
{
    return QFileInfo::exists(buildDir() + u"/app/anthology-workbench"_s);
}

} // namespace

// `cpack -G DEB` over the built tree makes the package a researcher installs: it is unpacked
// into a scratch root (dpkg-deb -x), its file list is checked, the unpacked `anthology` runs
// from there and builds the example project, and the desktop entry and AppStream metainfo
// pass their validators.
class TestPackage : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    QString m_root;
    QStringList m_files; // paths inside the package, relative to its root

    QString tool(const QString &name) const { return QStandardPaths::findExecutable(name); }

private Q_SLOTS:
    void initTestCase()
    {
        const QString cpack = tool(u"cpack"_s);
        const QString dpkgDeb = tool(u"dpkg-deb"_s);
        QVERIFY2(!cpack.isEmpty() && !dpkgDeb.isEmpty(), "cpack and dpkg-deb are needed (cmake, dpkg)");
        const QString out = m_dir.dir() + u"/deb"_s;
        const ProcessResult made = runTool(cpack, {u"-G"_s, u"DEB"_s, u"-B"_s, out}, buildDir());
        QVERIFY2(made.exitCode == 0, qPrintable(made.out));
        const QStringList debs = QDir(out).entryList({u"anthology-workbench_*.deb"_s}, QDir::Files);
        QCOMPARE(debs.size(), 1);
        m_root = m_dir.dir() + u"/root"_s;
        const ProcessResult unpacked = runTool(dpkgDeb, {u"-x"_s, out + u'/' + debs.first(), m_root});
        QVERIFY2(unpacked.exitCode == 0, qPrintable(unpacked.out));
        QDirIterator it(m_root, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            m_files.append(QDir(m_root).relativeFilePath(it.next()));

        // What the package declares it needs: dpkg-shlibdeps found Qt and SQLite.
        const ProcessResult control = runTool(dpkgDeb, {u"-f"_s, out + u'/' + debs.first(), u"Depends"_s});
        QVERIFY2(control.out.contains(u"libqt6core6"_s) && control.out.contains(u"libsqlite3"_s),
                 qPrintable(control.out));
        // The window icon's SVG engine is a plugin nothing links: named by hand.
        if (guiBuilt())
            QVERIFY2(control.out.contains(u"libqt6svg6"_s), qPrintable(control.out));
    }

    void holdsTheProgramsConfigsAndDocs()
    {
        QStringList expected{u"usr/bin/anthology"_s,
                             u"usr/share/anthology/configs/surveys/survey_config.yaml"_s,
                             u"usr/share/anthology/configs/study/study_config.yaml"_s,
                             u"usr/share/anthology/configs/matching/atp_w92.yaml"_s,
                             u"usr/share/anthology/example/backstories.jsonl"_s,
                             u"usr/share/man/man1/anthology.1.gz"_s,
                             u"usr/share/bash-completion/completions/anthology"_s,
                             u"usr/share/doc/anthology-workbench/README.md"_s};
        for (const QString &doc : QDir(QStringLiteral(ANTHOLOGY_SOURCE_DIR) + u"/docs"_s).entryList(QDir::Files))
            expected.append(u"usr/share/doc/anthology-workbench/"_s + doc);
        if (guiBuilt()) {
            expected += {u"usr/bin/anthology-workbench"_s,
                         u"usr/share/applications/io.github.anthology.Workbench.desktop"_s,
                         u"usr/share/metainfo/io.github.anthology.Workbench.metainfo.xml"_s,
                         u"usr/share/mime/packages/anthology-project.xml"_s,
                         u"usr/share/icons/hicolor/scalable/apps/io.github.anthology.Workbench.svg"_s,
                         u"usr/share/icons/hicolor/scalable/mimetypes/application-x-anthology-project.svg"_s};
            for (int size : {16, 32, 48, 256}) {
                expected.append(u"usr/share/icons/hicolor/%1x%1/apps/io.github.anthology.Workbench.png"_s.arg(size));
                expected.append(
                    u"usr/share/icons/hicolor/%1x%1/mimetypes/application-x-anthology-project.png"_s.arg(size));
            }
        }
        for (const QString &path : std::as_const(expected))
            QVERIFY2(m_files.contains(path), qPrintable(u"missing from the package: "_s + path));
        // Nothing of the build or the tests leaks in.
        for (const QString &path : std::as_const(m_files))
            QVERIFY2(path.startsWith(u"usr/bin/anthology"_s) || path.startsWith(u"usr/share/"_s),
                     qPrintable(u"unexpected file in the package: "_s + path));
        QVERIFY(QFileInfo(m_root + u"/usr/bin/anthology"_s).isExecutable());
    }

    // The rendered PNGs are real images of their size, not empty files.
    void iconsAreRenderedAtTheirSizes()
    {
        if (!guiBuilt())
            QSKIP("built without the workbench: no icons");
        for (int size : {16, 48, 256}) {
            const QString path =
                m_root + u"/usr/share/icons/hicolor/%1x%1/apps/io.github.anthology.Workbench.png"_s.arg(size);
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray header = file.read(24);
            QVERIFY(header.startsWith("\x89PNG\r\n\x1a\n"));
            // IHDR: width and height, big-endian, at bytes 16 and 20.
            const auto be32 = [&](int at) {
                return (quint32(quint8(header[at])) << 24) | (quint32(quint8(header[at + 1])) << 16) |
                       (quint32(quint8(header[at + 2])) << 8) | quint32(quint8(header[at + 3]));
            };
            QCOMPARE(be32(16), quint32(size));
            QCOMPARE(be32(20), quint32(size));
        }
    }

    void unpackedProgramRunsAndBuildsTheExample()
    {
        const QString program = m_root + u"/usr/bin/anthology"_s;
        const ProcessResult version = runTool(program, {u"--version"_s});
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.out.trimmed(), u"anthology "_s + QStringLiteral(ANTHOLOGY_VERSION));

        const QString project = m_dir.path(u"Example.anthology"_s);
        const ProcessResult init = runTool(program, {u"project"_s, u"init"_s, project, u"--example"_s});
        QVERIFY2(init.exitCode == 0, qPrintable(init.out));
        auto file = ProjectFile::open(project, ProjectFile::Mode::ReadOnly);
        QVERIFY(file);
        Statement backstories = (*file)->prepare("SELECT count(*) FROM backstories");
        QVERIFY(backstories.step().value());
        QCOMPARE(backstories.columnInt(0), 12);
        // The whole example: the synthetic data set and the demo study's completed runs.
        Statement runs = (*file)->prepare("SELECT count(*) FROM runs r JOIN datasets d ON d.name = 'SYNTHETIC_W92' "
                                          "WHERE r.status = 'completed' AND r.name LIKE 'demo-scripted/%'");
        QVERIFY(runs.step().value());
        QCOMPARE(runs.columnInt(0), 5);

        // The configs it reads are the unpacked ones beside it (../share/anthology/configs), not
        // the source tree's: a seed changed there shows up.
        const QString studyConfig = m_root + u"/usr/share/anthology/configs/study/study_config.yaml"_s;
        QFile config(studyConfig);
        QVERIFY(config.open(QIODevice::ReadOnly));
        QByteArray yaml = config.readAll();
        config.close();
        QVERIFY(yaml.contains("\nseed: 42"));
        yaml.replace("\nseed: 42", "\nseed: 4242");
        QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
        config.write(yaml);
        config.close();
        const ProcessResult shown = runTool(program, {u"config"_s, u"show"_s, u"study_config"_s});
        QVERIFY2(shown.exitCode == 0, qPrintable(shown.out));
        QVERIFY2(shown.out.contains(u"seed: 4242"_s), qPrintable(shown.out));
    }

    void manPageAndCompletionFollowTheHelp()
    {
        const QString gzip = tool(u"gzip"_s);
        QVERIFY(!gzip.isEmpty());
        const ProcessResult man = runTool(gzip, {u"-dc"_s, m_root + u"/usr/share/man/man1/anthology.1.gz"_s});
        QCOMPARE(man.exitCode, 0);
        const QString page = man.out;
        QVERIFY(page.startsWith(u".TH ANTHOLOGY 1"_s));
        // Every group and a command's option, as --help words them.
        for (const QString &group : {u"project"_s, u"backstories"_s, u"study"_s, u"analyze"_s, u"export"_s})
            QVERIFY2(page.contains(u".B "_s + group + u'\n'), qPrintable(group));
        QVERIFY(page.contains(u".SS \"backstories import\""_s));
        QVERIFY(page.contains(u"\\-\\-min\\-tokens"_s));

        QFile completion(m_root + u"/usr/share/bash-completion/completions/anthology"_s);
        QVERIFY(completion.open(QIODevice::ReadOnly));
        const QString script = QString::fromUtf8(completion.readAll());
        const QString bash = tool(u"bash"_s);
        QVERIFY(!bash.isEmpty());
        // Ask the completion what follows "anthology backstories im" and "... import --min".
        const auto complete = [&](const QStringList &words) {
            QString quoted;
            for (const QString &w : words)
                quoted += u" '"_s + w + u'\'';
            const QString snippet = u"source '%1'; COMP_WORDS=(%2); COMP_CWORD=%3; _anthology; "
                                    "echo \"${COMPREPLY[*]}\""_s.arg(completion.fileName(), quoted)
                                        .arg(words.size() - 1);
            return runTool(bash, {u"-c"_s, snippet}).out.trimmed();
        };
        QCOMPARE(complete({u"anthology"_s, u"stu"_s}), u"study"_s);
        QCOMPARE(complete({u"anthology"_s, u"backstories"_s, u"im"_s}), u"import"_s);
        QCOMPARE(complete({u"anthology"_s, u"backstories"_s, u"import"_s, u"--min"_s}), u"--min-tokens"_s);
        QVERIFY(script.contains(u"complete -o filenames -F _anthology anthology"_s));
    }

    void desktopEntryAndMetainfoValidate()
    {
        if (!guiBuilt())
            QSKIP("built without the workbench: no desktop entry");
        const QString desktopValidate = tool(u"desktop-file-validate"_s);
        const QString appstreamcli = tool(u"appstreamcli"_s);
        QVERIFY2(!desktopValidate.isEmpty() && !appstreamcli.isEmpty(),
                 "desktop-file-validate and appstreamcli are needed: packaging/quickstart.sh test installs "
                 "desktop-file-utils and appstream");
        const ProcessResult desktop =
            runTool(desktopValidate, {m_root + u"/usr/share/applications/io.github.anthology.Workbench.desktop"_s});
        QVERIFY2(desktop.exitCode == 0 && desktop.out.trimmed().isEmpty(), qPrintable(desktop.out));
        const ProcessResult metainfo =
            runTool(appstreamcli, {u"validate"_s, u"--no-net"_s,
                                   m_root + u"/usr/share/metainfo/io.github.anthology.Workbench.metainfo.xml"_s});
        QVERIFY2(metainfo.exitCode == 0, qPrintable(metainfo.out));

        // A double-click on a project opens the workbench: the entry claims the MIME type the
        // package defines for *.anthology, and both icons it names are shipped.
        QFile entry(m_root + u"/usr/share/applications/io.github.anthology.Workbench.desktop"_s);
        QVERIFY(entry.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(entry.readAll());
        QVERIFY(text.contains(u"MimeType=application/x-anthology-project;"_s));
        QVERIFY(text.contains(u"Exec=anthology-workbench %f"_s));
        QVERIFY(text.contains(u"Icon=io.github.anthology.Workbench"_s));
        QFile mime(m_root + u"/usr/share/mime/packages/anthology-project.xml"_s);
        QVERIFY(mime.open(QIODevice::ReadOnly));
        const QString types = QString::fromUtf8(mime.readAll());
        QVERIFY(types.contains(u"type=\"application/x-anthology-project\""_s));
        QVERIFY(types.contains(u"pattern=\"*.anthology\""_s));
    }
};

QTEST_GUILESS_MAIN(TestPackage)
#include "TestPackage.moc"
