#include "CliRunner.h"
#include "ProjectQuery.h"
#include "TempProject.h"
#include "TestPaths.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTest>
#include <QThread>

#include <unistd.h>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// The real program meets a project through another name while a run writes it, and read-only
// projects as a user without root's privileges meets them: as root, these commands run as
// nobody (setpriv), so the kernel itself refuses the writes.
class TestCliProjectAccess : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;

    // `anthology args...` as a user without privileges (as is when not root).
    static CliResult runAsUser(const QStringList &args)
    {
        if (::geteuid() != 0)
            return runCli(args);
        QProcess p;
        p.start(u"setpriv"_s, QStringList{u"--reuid=65534"_s, u"--regid=65534"_s, u"--clear-groups"_s,
                                          QStringLiteral(ANTHOLOGY_CLI_PATH)} +
                                  args);
        CliResult r;
        if (!p.waitForFinished(60000))
            return r;
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

private Q_SLOTS:
    void aRunningWriterRefusesEditsThroughLinks()
    {
        const QString project = m_dir.path(u"run.anthology"_s);
        QCOMPARE(runCli({u"project"_s, u"init"_s, project, u"--example"_s}).exitCode, 0);
        const QString hard = m_dir.path(u"hard.anthology"_s);
        const QString soft = m_dir.path(u"soft.anthology"_s);
        QCOMPARE(::link(QFile::encodeName(project).constData(), QFile::encodeName(hard).constData()), 0);
        QVERIFY(QFile::link(project, soft));

        // A run that holds the project while its server, which accepts and never answers, keeps it
        // waiting (its own timeouts are long).
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QProcess run;
        run.start(QStringLiteral(ANTHOLOGY_CLI_PATH),
                  {u"survey"_s, u"demographics"_s, u"demographics_config"_s, u"num_sample_response=1"_s,
                   u"llm_parameters.api_provider=http://127.0.0.1:%1/v1"_s.arg(silent.serverPort()),
                   u"llm_parameters.model_name=m"_s, u"+llm_parameters.stall_timeout=60"_s,
                   u"+llm_parameters.unreachable_timeout=120"_s, u"--project"_s, project, u"--quiet"_s});
        QVERIFY(run.waitForStarted());
        QElapsedTimer clock;
        clock.start();
        while (projectScalar(project, "SELECT count(*) FROM runs WHERE status = 'running'") == 0 &&
               clock.elapsed() < 30000 && run.state() == QProcess::Running)
            QThread::msleep(10);
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM runs WHERE status = 'running'"), 1);

        for (const QString &name : {hard, soft, project}) {
            const CliResult edit = runCli({u"backstories"_s, u"edit"_s, u"ex-01-marisol"_s, u"--text"_s,
                                           u"Someone else's words."_s, u"--project"_s, name});
            QCOMPARE(edit.exitCode, 1);
            QVERIFY2(edit.errText().contains(u"already open for writing"_s), edit.err.constData());
        }
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM backstory_revisions WHERE revision > 1"), 0);
        // Nor can a second process drive the run through another name.
        const CliResult second = runCli({u"run"_s, u"resume"_s, u"1"_s, u"--project"_s, hard, u"--quiet"_s});
        QCOMPARE(second.exitCode, 1);
        QVERIFY2(second.errText().contains(u"a link to the same file"_s), second.err.constData());
        // Reading through any name goes on.
        QCOMPARE(runCli({u"backstories"_s, u"show"_s, u"ex-01-marisol"_s, u"--project"_s, hard}).exitCode, 0);
        run.kill();
        QVERIFY(run.waitForFinished(10000));
        // The writer gone, an edit through the hard link goes through.
        const CliResult after = runCli({u"backstories"_s, u"edit"_s, u"ex-01-marisol"_s, u"--text"_s,
                                        u"Words after the run."_s, u"--project"_s, hard});
        QVERIFY2(after.exitCode == 0, after.err.constData());
    }

    void readOnlyPlacesAreSaidAndReadingWorks()
    {
        const QString folder = m_dir.dir() + u"/shelf"_s;
        QVERIFY(QDir().mkpath(folder));
        const QString project = folder + u"/p.anthology"_s;
        QCOMPARE(runCli({u"project"_s, u"init"_s, project, u"--example"_s}).exitCode, 0);
        const QString csv = m_dir.writeFile(u"more.csv"_s, "uid,backstory\nnew-1,I keep bees on a roof.\n");
        const QFile::Permissions readable = QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther;
        const QFile::Permissions listable = readable | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther;
        QVERIFY(QFile::setPermissions(m_dir.dir(), listable | QFile::WriteOwner));
        QVERIFY(QFile::setPermissions(csv, readable));

        // A read-only file.
        QVERIFY(QFile::setPermissions(project, readable));
        const CliResult fileRefused = runCli({u"backstories"_s, u"import"_s, csv, u"--project"_s, project});
        QCOMPARE(fileRefused.exitCode, 1);
        QVERIFY2(fileRefused.errText().contains(u"the project file is read-only"_s),
                 fileRefused.err.constData());
        const CliResult asUser = runAsUser({u"backstories"_s, u"import"_s, csv, u"--project"_s, project});
        QCOMPARE(asUser.exitCode, 1);
        QVERIFY2(asUser.errText().contains(u"read-only"_s), asUser.err.constData());
        QVERIFY(!asUser.errText().contains(u"readonly database"_s));

        // A read-only folder (no -wal or -shm beside the file): refused for writing, read as it is.
        QVERIFY(!QFile::exists(project + u"-shm"_s));
        QVERIFY(QFile::setPermissions(folder, listable));
        const CliResult folderRefused =
            runAsUser({u"backstories"_s, u"import"_s, csv, u"--project"_s, project});
        QCOMPARE(folderRefused.exitCode, 1);
        QVERIFY2(folderRefused.errText().contains(u"read-only"_s), folderRefused.err.constData());
        const CliResult info = runAsUser({u"project"_s, u"info"_s, project});
        QVERIFY2(info.exitCode == 0, info.err.constData());
        const CliResult search =
            runAsUser({u"backstories"_s, u"search"_s, u"bees"_s, u"--project"_s, project});
        QVERIFY2(search.exitCode == 0, search.err.constData());
        QVERIFY(!QFile::exists(project + u"-shm"_s));
        QVERIFY(QFile::setPermissions(folder, listable | QFile::WriteOwner));
    }
};

QTEST_GUILESS_MAIN(TestCliProjectAccess)
#include "TestCliProjectAccess.moc"
