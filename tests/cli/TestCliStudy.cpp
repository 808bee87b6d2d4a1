#include "CliRunner.h"
#include "FakeLlmServer.h"
#include "ScriptedPersonas.h"
#include "TempProject.h"
#include "TestPaths.h"
#include "core/PersonaFixture.h"
#include "core/RunFixture.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "run/RunStore.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QProcess>
#include <QTest>
#include <QThread>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// `anthology study` end to end: a synthetic wave of 60 respondents and 120 natural backstories
// against a loopback server playing scripted personas. The study runs its 11 survey runs (and the
// generate, demographics and match steps they need), its table has the 11 runs and the human row,
// every run's numbers equal `anthology analyze --run` on that run alone, and the same command
// again asks nothing new.
class TestCliStudy : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    QString m_project;
    std::unique_ptr<FakeLlmServer> m_server;
    QJsonObject m_study;

    static const QStringList &questions()
    {
        static const QStringList q{u"SYNQ1_W99"_s, u"SYNQ2_W99"_s, u"SYNQ3_W99"_s, u"SYNQ4_W99"_s};
        return q;
    }

    QStringList studyArgs(const QStringList &extra = {}) const
    {
        QStringList args{u"study"_s,
                         u"dataset=W99"_s,
                         u"questions=["_s + questions().join(u',') + u']',
                         u"llm_parameters.api_provider="_s + m_server->baseUrl().toString(),
                         u"llm_parameters.model_name=fake-model"_s,
                         u"num_sample_response=4"_s,
                         u"include_compliance_forcing=false"_s,
                         u"--project"_s,
                         m_project,
                         u"--quiet"_s,
                         u"--json"_s,
                         u"--in-flight"_s,
                         u"32"_s};
        return args + extra;
    }

    // Equal numbers, or both undefined (NaN is null in the JSON).
    static bool same(const QJsonValue &a, const QJsonValue &b)
    {
        if (a.isNull() || b.isNull())
            return a.isNull() && b.isNull();
        return a.isDouble() && b.isDouble() && qFuzzyCompare(a.toDouble() + 1.0, b.toDouble() + 1.0);
    }

    static qint64 scalar(const QString &path, const QByteArray &sql)
    {
        auto p = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        if (!p)
            return -1;
        Statement s = (*p)->prepare(sql);
        Result<bool> row = s.step();
        return row && *row ? s.columnInt64(0) : -1;
    }

    // A project of `personas` backstories and a synthetic wave W99 of `respondents`; empty on failure.
    QString studyProject(const QString &name, int personas, int respondents)
    {
        auto project = projectWithPersonas(m_dir, name, personas);
        if (!project || !storeSyntheticWave(*project, u"W99"_s, respondents, 99, 4))
            return {};
        return project->path();
    }

    // What a --json run said went wrong.
    static QString said(const CliResult &r)
    {
        return r.json().object().value(u"error"_s).toObject().value(u"message"_s).toString();
    }

    static const QJsonObject *rowOf(const QJsonArray &rows, const QString &label, QJsonObject &holder)
    {
        for (const QJsonValue &v : rows)
            if (v.toObject().value(u"run"_s).toString() == label) {
                holder = v.toObject();
                return &holder;
            }
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto project = projectWithPersonas(m_dir, u"study.anthology"_s, 120);
        QVERIFY(project);
        QVERIFY(storeSyntheticWave(*project, u"W99"_s, 60, 99, 4));
        m_project = project->path();
        project.reset();
        FakeLlmServerConfig config;
        config.answer = scriptedPersonas();
        m_server = std::make_unique<FakeLlmServer>(config);
        QVERIFY(m_server->start());
    }

    void studyRunsElevenRunsAndTheHumanRow()
    {
        const QString table = m_dir.path(u"study.csv"_s);
        const CliResult r = runCli(studyArgs({u"--output"_s, table}), {}, QProcessEnvironment::systemEnvironment(),
                                   600000);
        QVERIFY2(r.exitCode == 0, QByteArray(r.err + r.out).constData());
        m_study = r.json().object();
        const QJsonObject runs = m_study.value(u"runs"_s).toObject();
        QCOMPARE(runs.size(), 11);
        for (const QString &label :
             {u"QA"_s, u"BIO"_s, u"DP_QA"_s, u"DP_PORTRAY"_s, u"DP_BIO"_s, u"NA_greedy_QA_MCQ"_s,
              u"NA_greedy_QA_FREEFORM"_s, u"NA_greedy_BIO"_s, u"NA_maximum_weight_QA_MCQ"_s,
              u"NA_maximum_weight_QA_FREEFORM"_s, u"NA_maximum_weight_BIO"_s})
            QVERIFY2(runs.contains(label), qPrintable(label));
        const QJsonArray rows = m_study.value(u"overall"_s).toObject().value(u"rows"_s).toArray();
        QCOMPARE(rows.size(), 12);
        int humans = 0;
        for (const QJsonValue &v : rows)
            humans += v.toObject().value(u"human"_s).toBool();
        QCOMPARE(humans, 1);
        QVERIFY(QFile::exists(table));

        // Every survey run is complete, each persona asked each question once.
        auto p = ProjectFile::open(m_project, ProjectFile::Mode::ReadOnly);
        QVERIFY(p);
        RunStore store(**p);
        for (auto it = runs.begin(); it != runs.end(); ++it) {
            const RunCounts counts = *store.counts(it.value().toInteger());
            QVERIFY2(counts.pending == 0 && counts.failed == 0, qPrintable(it.key()));
            QVERIFY2(counts.total > 0 && counts.total % questions().size() == 0, qPrintable(it.key()));
        }
        // 60 respondents: baselines and DP sets hold one persona each, matched sets one per human.
        Statement s = (*p)->prepare("SELECT count(*) FROM persona_set_members m JOIN persona_sets s "
                                    "ON s.id = m.set_id WHERE s.name = 'study/NA_maximum_weight/qa_mcq'");
        QVERIFY(s.step().value());
        QCOMPARE(s.columnInt(0), 60);
    }

    void numbersEqualAnalyzeOnEachRun()
    {
        QVERIFY(!m_study.isEmpty());
        const QJsonObject runs = m_study.value(u"runs"_s).toObject();
        const QJsonArray rows = m_study.value(u"overall"_s).toObject().value(u"rows"_s).toArray();
        for (auto it = runs.begin(); it != runs.end(); ++it) {
            const CliResult r = runCli({u"analyze"_s, u"--project"_s, m_project, u"--dataset"_s, u"W99"_s,
                                        u"--run"_s, QString::number(it.value().toInteger()), u"--json"_s});
            QVERIFY2(r.exitCode == 0, r.err.constData());
            const QJsonObject analyze = r.json().object();
            QJsonObject holder;
            const QJsonObject *row = rowOf(rows, it.key(), holder);
            QVERIFY2(row, qPrintable(it.key()));
            QJsonObject report = analyze.contains(u"overall"_s) ? analyze.value(u"overall"_s).toObject() : analyze;
            for (const QString &metric : {u"emd"_s, u"total_variation"_s})
                QVERIFY2(same(row->value(metric).toObject().value(u"mean"_s),
                              report.value(metric).toObject().value(u"mean"_s)),
                         qPrintable(it.key() + u' ' + metric));
            QVERIFY2(same(row->value(u"compliance"_s), report.value(u"compliance"_s).toObject().value(u"mean"_s)),
                     qPrintable(it.key()));
            for (const QString &metric : {u"frobenius"_s, u"cbs"_s})
                QVERIFY2(same(row->value(metric), report.value(metric)), qPrintable(it.key() + u' ' + metric));
        }
    }

    void theSameCommandAgainAsksNothing()
    {
        QVERIFY(!m_study.isEmpty());
        const int before = m_server->completionRequestCount();
        const CliResult r = runCli(studyArgs());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_server->completionRequestCount(), before);
        QCOMPARE(r.json().object().value(u"runs"_s).toObject(), m_study.value(u"runs"_s).toObject());

        // As a person reads it: the table, sorted by average EMD, the human row among the runs.
        QStringList text = studyArgs();
        text.removeAll(u"--json"_s);
        const CliResult table = runCli(text);
        QVERIFY2(table.exitCode == 0, table.err.constData());
        qInfo().noquote() << table.outText();
        QVERIFY(table.outText().contains(u"Human (split-half lower bound)"_s));
        QVERIFY(table.outText().contains(u"NA_maximum_weight_BIO"_s));
    }

    // Killed with SIGKILL three times at growing amounts of work, the same command then finishes
    // the study: every run, set, match and backstory once, no item twice, and the same table as
    // the study that ran through (the server's answers are a function of the request).
    void killedStudyResumesToTheSameTable()
    {
        QVERIFY(!m_study.isEmpty());
        const QString path = studyProject(u"killed.anthology"_s, 120, 60);
        QVERIFY(!path.isEmpty());
        FakeLlmServerConfig config;
        config.answer = scriptedPersonas();
        config.latencyMs = 2;
        FakeLlmServer slow(config);
        QVERIFY(slow.start());
        QStringList args = studyArgs();
        args[args.indexOf(m_project)] = path;
        args.replaceInStrings(m_server->baseUrl().toString(), slow.baseUrl().toString());

        // Each child gets a number of answers, then the server holds its requests: every kill
        // lands mid-study (in a different stage each time) however fast the machine is.
        for (const int answers : {200, 1000, 1400}) {
            QTRY_COMPARE_WITH_TIMEOUT(slow.heldCompletions(), 0, 60000); // the last child's are gone
            slow.setCompletionGate(slow.admittedCompletions() + answers);
            QProcess child;
            child.start(QStringLiteral(ANTHOLOGY_CLI_PATH), args);
            QVERIFY(child.waitForStarted());
            QTRY_VERIFY_WITH_TIMEOUT(slow.heldCompletions() > 0 || child.state() != QProcess::Running, 120000);
            QVERIFY2(child.state() == QProcess::Running, "the study finished before the kill");
            child.kill(); // SIGKILL
            QVERIFY(child.waitForFinished(10000));
            qInfo("killed after %d answers in all, %lld items done", slow.admittedCompletions(),
                  scalar(path, "SELECT count(*) FROM items WHERE state = 'done'"));
        }
        slow.setCompletionGate(-1);
        const CliResult r = runCli(args, {}, QProcessEnvironment::systemEnvironment(), 600000);
        QVERIFY2(r.exitCode == 0, QByteArray(r.err + r.out).constData());

        QCOMPARE(scalar(path, "SELECT count(*) FROM (SELECT run_id, persona, question, sample, reask FROM items "
                              "GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1)"),
                 0);
        QCOMPARE(scalar(path, "SELECT count(*) FROM (SELECT kind, name FROM runs GROUP BY 1, 2 HAVING count(*) > 1)"),
                 0);
        QCOMPARE(scalar(path, "SELECT count(*) FROM items WHERE state <> 'done'"), 0);
        QCOMPARE(scalar(path, "SELECT count(*) FROM runs"), scalar(m_project, "SELECT count(*) FROM runs"));
        QCOMPARE(scalar(path, "SELECT count(*) FROM backstories"), scalar(m_project, "SELECT count(*) FROM backstories"));
        QCOMPARE(scalar(path, "SELECT count(*) FROM persona_set_members"),
                 scalar(m_project, "SELECT count(*) FROM persona_set_members"));
        QCOMPARE(r.json().object().value(u"overall"_s), m_study.value(u"overall"_s));
    }

    // A changed config under the same study name is refused with the study's own ways on (its
    // name key, --restart); --restart replaces an unfinished run and keeps what did not change.
    void restartReplacesOnlyUnfinishedRunsOfAnotherConfig()
    {
        const QString path = studyProject(u"restart.anthology"_s, 40, 30);
        QVERIFY(!path.isEmpty());
        FakeLlmServerConfig config;
        config.answer = scriptedPersonas();
        FakeLlmServer server(config);
        QVERIFY(server.start());
        QStringList args = studyArgs({u"runs=[QA,BIO]"_s});
        args[args.indexOf(m_project)] = path;
        args.replaceInStrings(m_server->baseUrl().toString(), server.baseUrl().toString());

        // QA, the first run, is killed after 50 answers.
        server.setCompletionGate(50);
        QProcess child;
        child.start(QStringLiteral(ANTHOLOGY_CLI_PATH), args);
        QVERIFY(child.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(server.heldCompletions() > 0 || child.state() != QProcess::Running, 120000);
        QVERIFY2(child.state() == QProcess::Running, "the study finished before the kill");
        child.kill();
        QVERIFY(child.waitForFinished(10000));
        server.setCompletionGate(-1);
        QTRY_COMPARE_WITH_TIMEOUT(server.heldCompletions(), 0, 60000);
        const qint64 firstQa = scalar(path, "SELECT id FROM runs WHERE name = 'study/QA'");
        QVERIFY(firstQa > 0);

        // Asked with another temperature: refused, and the ways on are the study's.
        QStringList changed = args;
        changed.insert(1, u"llm_parameters.temperature=0.5"_s);
        const CliResult refused = runCli(changed);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(said(refused).contains(u"name=NEW (the study's name)"_s), refused.out.constData());
        QVERIFY2(said(refused).contains(u"--restart"_s), refused.out.constData());
        QVERIFY2(!said(refused).contains(u"--name"_s), refused.out.constData());
        QVERIFY2(said(refused).contains(u"interrupted"_s), refused.out.constData()); // killed, not running

        // --restart replaces the unfinished QA, then runs BIO.
        const CliResult restarted = runCli(changed + QStringList{u"--restart"_s});
        QVERIFY2(restarted.exitCode == 0, restarted.err.constData());
        const qint64 secondQa = scalar(path, "SELECT id FROM runs WHERE name = 'study/QA'");
        QCOMPARE(scalar(path, "SELECT 10 * json_extract(config, '$.llm.temperature') FROM runs WHERE name = 'study/QA'"),
                 5);
        QCOMPARE(scalar(path, "SELECT count(*) FROM runs WHERE name = 'study/QA'"), 1);
        QCOMPARE(scalar(path, "SELECT count(*) FROM items WHERE state <> 'done'"), 0);

        // Again with --restart: complete runs of the same config are kept, nothing is asked.
        const int before = server.completionRequestCount();
        const CliResult again = runCli(changed + QStringList{u"--restart"_s});
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(server.completionRequestCount(), before);
        QCOMPARE(scalar(path, "SELECT id FROM runs WHERE name = 'study/QA'"), secondQa);

        // The old config on the finished study: --restart will not throw a complete run away.
        const CliResult complete = runCli(args + QStringList{u"--restart"_s});
        QCOMPARE(complete.exitCode, 1);
        QVERIFY2(said(complete).contains(u"is complete"_s), complete.out.constData());
        QVERIFY2(said(complete).contains(u"name=NEW (the study's name)"_s), complete.out.constData());
    }

    void refusesBadStudiesBeforeAnyRequest_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown run") << QStringList{u"runs=[QA,NA_fancy_BIO]"_s} << u"unknown study run"_s;
        QTest::newRow("unknown variable") << QStringList{u"questions=[NOPE_W99]"_s} << u"NOPE_W99"_s;
        QTest::newRow("unknown key") << QStringList{u"colour=blue"_s} << u"colour"_s;
        QTest::newRow("bad metric") << QStringList{u"metric=rmse"_s} << u"metric"_s;
    }

    void refusesBadStudiesBeforeAnyRequest()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const int before = m_server->completionRequestCount();
        QStringList all = studyArgs();
        all.removeAll(u"--json"_s);
        for (const QString &a : args) {
            const QString key = a.left(a.indexOf(u'=') + 1);
            all.erase(std::remove_if(all.begin(), all.end(), [&](const QString &x) { return x.startsWith(key); }),
                      all.end());
            all.insert(1, a);
        }
        const CliResult r = runCli(all);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QCOMPARE(m_server->completionRequestCount(), before);
    }
};

QTEST_GUILESS_MAIN(TestCliStudy)
#include "TestCliStudy.moc"
