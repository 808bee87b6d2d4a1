#include "CliRunner.h"
#include "TempProject.h"
#include "ui/ResultsFixture.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// `anthology figures` draws the Results figures offscreen: one file per figure plus
// manifest.json naming each file's runs, data set, subgroup, metric and reproducing command.
class TestCliFigures : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    SyntheticStudy m_study;

    QStringList figureArgs(const QString &format, const QString &output, const QStringList &extra = {}) const
    {
        return QStringList{u"figures"_s, u"--project"_s, m_study.path, u"--runs"_s,
                           u"%1,%2"_s.arg(m_study.runIds[0]).arg(m_study.runIds[1]), u"--dataset"_s,
                           m_study.dataset, u"--format"_s, format, u"--output"_s, output} +
               extra;
    }

    static QSet<QString> filesIn(const QString &dir)
    {
        const QStringList names = QDir(dir).entryList(QDir::Files);
        return QSet<QString>(names.begin(), names.end());
    }

private Q_SLOTS:
    void initTestCase()
    {
        Result<SyntheticStudy> study = syntheticStudy(m_dir.path(u"figures.anthology"_s), 150, 3);
        QVERIFY(study);
        m_study = *study;
        auto project = ProjectFile::open(m_study.path, ProjectFile::Mode::ReadWrite);
        QVERIFY(project);
        for (int shift : {0, 1}) {
            Result<qint64> run = writeSurveyRun(**project, u"shift %1"_s.arg(shift), m_study, 150,
                                                [shift](int p, int q, int k) { return (p * (q + 1) + shift) % k + 1; });
            QVERIFY(run);
            m_study.runIds.append(*run);
        }
    }

#ifdef ANTHOLOGY_HAVE_FIGURES
    void writesOneFilePerFigureAndManifest()
    {
        const QString out = m_dir.path(u"svg"_s);
        const CliResult r = runCli(figureArgs(u"svg"_s, out, {u"--subgroup"_s, u"F_GENDER"_s, u"--metric"_s, u"tv"_s}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile file(QDir(out).filePath(u"manifest.json"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject manifest = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonArray files = manifest.value(u"files"_s).toArray();
        // Overview, a question view and subgroup panels per question, a heatmap per run, two tables.
        QCOMPARE(files.size(), 1 + 2 * 3 + 2 + 2);
        QSet<QString> named{u"manifest.json"_s};
        QSet<QString> kinds;
        for (const QJsonValue &v : files) {
            const QJsonObject f = v.toObject();
            named.insert(f.value(u"file"_s).toString());
            kinds.insert(f.value(u"kind"_s).toString());
            QCOMPARE(f.value(u"dataset"_s).toString(), m_study.dataset);
            QCOMPARE(f.value(u"subgroup"_s).toString(), u"F_GENDER"_s);
            QCOMPARE(f.value(u"metric"_s).toString(), u"tv"_s);
            QVERIFY(!f.value(u"runs"_s).toArray().isEmpty());
            QVERIFY(f.value(u"command"_s).toString().startsWith(u"anthology figures --runs %1,%2 --dataset W99 "
                                                                 "--subgroup F_GENDER --metric tv"_s
                                                                     .arg(m_study.runIds[0])
                                                                     .arg(m_study.runIds[1])));
        }
        QCOMPARE(kinds, (QSet<QString>{u"overview"_s, u"question"_s, u"subgroups"_s, u"correlations"_s, u"table"_s}));
        QCOMPARE(filesIn(out), named);
        for (const QString &q : m_study.questions) {
            QVERIFY(named.contains(u"question-%1.svg"_s.arg(q)));
            QVERIFY(named.contains(u"subgroups-%1.svg"_s.arg(q)));
        }
        for (qint64 id : m_study.runIds)
            QVERIFY(named.contains(u"correlations-run%1.svg"_s.arg(id)));
        QFile svg(QDir(out).filePath(u"question-%1.svg"_s.arg(m_study.questions.first())));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<svg"));
    }

    void pdfAndPngFormats()
    {
        for (const QString &format : {u"pdf"_s, u"png"_s}) {
            const QString out = m_dir.path(format);
            const CliResult r = runCli(figureArgs(format, out, {u"--dpi"_s, u"150"_s, u"--json"_s}));
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const QJsonArray files = r.json().object().value(u"files"_s).toArray();
            QCOMPARE(files.size(), 1 + 3 + 2 + 2);
            QCOMPARE(filesIn(out).size(), files.size() + 1);
            QFile first(QDir(out).filePath(u"overview."_s + format));
            QVERIFY(first.open(QIODevice::ReadOnly));
            const QByteArray head = first.read(8);
            QVERIFY(format == u"pdf"_s ? head.startsWith("%PDF") : head.startsWith("\x89PNG"));
        }
    }

    void overviewTableHoldsTheAnalyzeNumbers()
    {
        const QString out = m_dir.path(u"table"_s);
        QVERIFY(runCli(figureArgs(u"svg"_s, out)).exitCode == 0);
        const CliResult analyze = runCli({u"analyze"_s, u"--project"_s, m_study.path, u"--dataset"_s, m_study.dataset,
                                          u"--runs"_s, u"%1,%2"_s.arg(m_study.runIds[0]).arg(m_study.runIds[1]),
                                          u"--json"_s});
        QVERIFY(analyze.exitCode == 0);
        QFile csv(QDir(out).filePath(u"overview.csv"_s));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QString table = QString::fromUtf8(csv.readAll());
        for (const QJsonValue &v : analyze.json().object().value(u"overall"_s).toObject().value(u"rows"_s).toArray()) {
            const QJsonObject row = v.toObject();
            const QString mean = QString::number(row.value(u"emd"_s).toObject().value(u"mean"_s).toDouble(), 'f', 4);
            QVERIFY2(table.contains(row.value(u"run"_s).toString() + u","_s + mean), qPrintable(table));
        }
    }

    void badArgumentsAreUserErrors()
    {
        CliResult r = runCli(figureArgs(u"gif"_s, m_dir.path(u"bad"_s)));
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.errText().contains(u"--format expects pdf, svg or png"_s));
        r = runCli(figureArgs(u"svg"_s, m_dir.path(u"bad"_s), {u"--subgroup"_s, u"NO_SUCH_VAR"_s}));
        QCOMPARE(r.exitCode, 1);
        r = runCli({u"figures"_s, u"--project"_s, m_study.path, u"--output"_s, m_dir.path(u"bad"_s)});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.errText().contains(u"--runs and --dataset are required"_s));
    }
#else
    void saysItIsNotBuiltIn()
    {
        const CliResult r = runCli(figureArgs(u"svg"_s, m_dir.path(u"none"_s)));
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.errText().contains(u"not built in"_s));
    }
#endif

    void helpListsFigures()
    {
        const CliResult r = runCli({u"--help"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.outText().contains(u"figures"_s));
    }
};

QTEST_MAIN(TestCliFigures)
#include "TestCliFigures.moc"
