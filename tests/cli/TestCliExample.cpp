#include "CliRunner.h"
#include "ProjectQuery.h"
#include "TempProject.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QFileInfo>
#include <QJsonObject>
#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// `anthology project init X --example` builds a project in which every part of the workbench
// has something to show: backstories, a synthetic data set, a demographics run, a match, and
// a study whose answers a scripted demo model gave through the real run engine, labelled as
// such. Built twice, it gives the same study table.
class TestCliExample : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    QString m_first;
    QJsonObject m_created;

    static QString text(const QString &path, const QByteArray &sql)
    {
        auto p = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        if (!p)
            return {};
        Statement s = (*p)->prepare(sql);
        Result<bool> row = s.step();
        return row && *row ? s.columnText(0) : QString();
    }

    QString runIds() const
    {
        QStringList ids;
        const QJsonObject runs = m_created.value(u"study_runs"_s).toObject();
        for (auto it = runs.begin(); it != runs.end(); ++it)
            ids.append(QString::number(it.value().toInteger()));
        ids.sort();
        return ids.join(u',');
    }

    QByteArray studyTable(const QString &project) const
    {
        const CliResult r = runCli({u"analyze"_s, u"--project"_s, project, u"--dataset"_s, u"SYNTHETIC_W92"_s,
                                    u"--runs"_s, runIds(), u"--json"_s});
        return r.exitCode == 0 ? r.out : r.err;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_first = m_dir.path(u"first.anthology"_s);
        const CliResult r = runCli({u"project"_s, u"init"_s, m_first, u"--example"_s, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        m_created = r.json().object();
    }

    void everyPartHasContent()
    {
        QCOMPARE(m_created.value(u"backstories"_s).toInt(), 12);
        QCOMPARE(projectScalar(m_first, "SELECT count(*) FROM backstories"), 12);
        // The data set says it is synthetic, in its name and its file label.
        QCOMPARE(m_created.value(u"dataset"_s).toString(), u"SYNTHETIC_W92"_s);
        QCOMPARE(projectScalar(m_first, "SELECT row_count FROM datasets WHERE name = 'SYNTHETIC_W92' AND wave = 92"),
                 m_created.value(u"respondents"_s).toInt());
        QVERIFY(text(m_first, "SELECT file_label FROM datasets").startsWith(u"Synthetic"_s));
        // The demographic survey of the backstories, complete, and the match built on it.
        const qint64 demographics = m_created.value(u"demographics_run"_s).toInteger();
        QVERIFY(demographics > 0);
        QCOMPARE(text(m_first, "SELECT kind || ' ' || status FROM runs WHERE id = " +
                                   QByteArray::number(demographics)),
                 u"demographics completed"_s);
        QCOMPARE(projectScalar(m_first, "SELECT count(*) FROM match_pairs p JOIN matches m ON m.id = p.match_id "
                                 "WHERE m.name = 'demo-scripted/NA_greedy' AND m.method = 'greedy'"),
                 m_created.value(u"respondents"_s).toInt());
        // The study: four survey runs, every item answered.
        const QJsonObject runs = m_created.value(u"study_runs"_s).toObject();
        QCOMPARE(runs.keys(), (QStringList{u"BIO"_s, u"NA_greedy_BIO"_s, u"NA_greedy_QA_MCQ"_s, u"QA"_s}));
        for (auto it = runs.begin(); it != runs.end(); ++it) {
            const QByteArray id = QByteArray::number(it.value().toInteger());
            QCOMPARE(text(m_first, "SELECT name || ' ' || status FROM runs WHERE id = " + id),
                     u"demo-scripted/"_s + it.key() + u" completed"_s);
            QCOMPARE(projectScalar(m_first, "SELECT count(*) FROM items WHERE state <> 'done' AND run_id = " + id), 0);
            QVERIFY(projectScalar(m_first, "SELECT count(*) FROM items WHERE run_id = " + id) > 0);
        }
        QVERIFY(m_created.value(u"demo_requests"_s).toInt() > 0);
    }

    // Nowhere can the demo answers pass for a model's: the runs record the demo model, every
    // raw answer says what it is (and so does every export of them), and the run's recorded
    // command is the one that made it.
    void demoAnswersAreLabelled()
    {
        QCOMPARE(projectScalar(m_first, "SELECT count(*) FROM items WHERE raw_answer IS NULL OR raw_answer NOT LIKE "
                                 "'%[scripted demo answer, not an LLM]%'"),
                 0);
        QCOMPARE(projectScalar(m_first, "SELECT count(*) FROM runs WHERE config NOT LIKE "
                                 "'%scripted-demo-model-not-an-llm%'"),
                 0);
        const QString run = QString::number(m_created.value(u"study_runs"_s).toObject().value(u"QA"_s).toInteger());
        const QString csv = m_dir.path(u"qa.csv"_s);
        const CliResult exported =
            runCli({u"export"_s, u"answers"_s, u"--project"_s, m_first, u"--run"_s, run, u"--output"_s, csv});
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QVERIFY(lines.size() > 1);
        for (qsizetype i = 1; i < lines.size(); ++i)
            QVERIFY2(lines.at(i).contains("[scripted demo answer, not an LLM]"), lines.at(i).constData());

        const CliResult shown = runCli({u"run"_s, u"show"_s, run, u"--project"_s, m_first});
        QVERIFY2(shown.exitCode == 0, shown.err.constData());
        QVERIFY2(shown.outText().contains(u"anthology project init --project "_s + QFileInfo(m_first).absoluteFilePath() +
                                          u" --example"_s),
                 shown.out.constData());
    }

    // The command a study run records (`project init --project X --example`), replayed for
    // another file, builds the same study: same runs, same table.
    void recordedCommandReproducesTheTable()
    {
        const QString second = m_dir.path(u"second.anthology"_s);
        const QJsonArray recorded = QJsonDocument::fromJson(
                                        text(m_first, "SELECT json_extract(config, '$.invocation.arguments') FROM runs "
                                                      "WHERE name = 'demo-scripted/QA'")
                                            .toUtf8())
                                        .array();
        QStringList args;
        for (const QJsonValue &v : recorded)
            args.append(v.toString());
        QCOMPARE(args, (QStringList{u"project"_s, u"init"_s, u"--project"_s, QFileInfo(m_first).absoluteFilePath(),
                                    u"--example"_s}));
        args[3] = second;
        const CliResult r = runCli(args + QStringList{u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(u"study_runs"_s), m_created.value(u"study_runs"_s));
        const QByteArray first = studyTable(m_first);
        const QJsonArray rows = QJsonDocument::fromJson(first).object().value(u"overall"_s).toObject().value(u"rows"_s).toArray();
        QCOMPARE(rows.size(), 5); // four runs and the human split-half row
        QCOMPARE(studyTable(second), first);
    }

    void refusesAnExistingFile()
    {
        const CliResult r = runCli({u"project"_s, u"init"_s, m_first, u"--example"_s});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(projectScalar(m_first, "SELECT count(*) FROM backstories"), 12);
    }
};

QTEST_GUILESS_MAIN(TestCliExample)
#include "TestCliExample.moc"
