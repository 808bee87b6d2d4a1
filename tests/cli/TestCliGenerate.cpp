#include "CliRunner.h"
#include "FakeLlmServer.h"
#include "ProjectQuery.h"
#include "ScriptedPersonas.h"
#include "TempProject.h"
#include "TestPaths.h"

#include "backstories/BackstoryImporter.h"
#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "run/GenerateItemBuilder.h"
#include "run/GeneratePlan.h"
#include "run/RunStore.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTest>
#include <QThread>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// `anthology generate backstories` and `anthology survey demographics` end to end: the real
// program against loopback fake servers that refuse n > 1, killed with SIGKILL mid-run and
// run again with the same command line, which resumes the run of that name.
class TestCliGenerate : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_files = 0;

    static QStringList generateArgs(const QString &project, const FakeLlmServer &server, int stories)
    {
        return {u"generate"_s,
                u"backstories"_s,
                u"generate_backstory/config"_s,
                u"num_backstories=%1"_s.arg(stories),
                u"llm_parameters.api_provider=%1"_s.arg(server.baseUrl().toString()),
                u"llm_parameters.model_name=fake-model"_s,
                u"--project"_s,
                project,
                u"--quiet"_s,
                u"--in-flight"_s,
                u"2"_s};
    }

    // Stories of the stored run that the scripted personas make 40 tokens or fewer.
    static int expectedShort(const QString &path, qint64 runId)
    {
        auto p = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        const RunInfo info = *RunStore(**p).run(runId);
        const GeneratePlan plan =
            *GeneratePlan::fromJson(QJsonDocument::fromJson(info.config.toUtf8()).object());
        const GenerateItemBuilder builder(plan);
        int n = 0;
        for (int i = 0; i < plan.storyCount(); ++i)
            n += scriptedStoryIsShort(
                builder.seedFor(GeneratePlan::storyKey(i), GeneratePlan::storyItem(), 0));
        return n;
    }

private Q_SLOTS:
    void generateSurvivesAKillAndResumes()
    {
        FakeLlmServerConfig config;
        config.answer = scriptedPersonas();
        config.maxN = 1;
        config.latencyMs = 15;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString project = m_dir.path(u"generate%1.anthology"_s.arg(++m_files));
        QVERIFY(ProjectFile::create(project));
        const QStringList args = generateArgs(project, server, 20);

        // 24 answers (each story is asked after its preamble), then the server holds the rest:
        // the kill finds the run unfinished whatever the machine's speed.
        server.setCompletionGate(24);
        QProcess child;
        child.start(QStringLiteral(ANTHOLOGY_CLI_PATH), args);
        QVERIFY(child.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(
            projectScalar(project, "SELECT count(*) FROM items WHERE question = 'story' AND state = 'done'") >= 4 ||
                child.state() != QProcess::Running,
            60000);
        QCOMPARE(child.state(), QProcess::Running);
        child.kill(); // SIGKILL
        QVERIFY(child.waitForFinished(10000));
        const qint64 storiesDone =
            projectScalar(project, "SELECT count(*) FROM items WHERE question = 'story' AND state = 'done'");
        QVERIFY2(storiesDone >= 4 && storiesDone < 20, qPrintable(QString::number(storiesDone)));
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM backstories"), 0);

        server.setCompletionGate(-1);
        const CliResult resumed = runCli(args);
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QVERIFY2(resumed.errText().contains(u"Resuming generate run 1"_s), resumed.err.constData());
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM runs"), 1);
        const int shortOnes = expectedShort(project, 1);
        QVERIFY(shortOnes > 0 && shortOnes < 20);
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM items WHERE question = 'story'"), 20);
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM items WHERE state <> 'done'"), 0);
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM backstories"), 20 - shortOnes);
        QCOMPARE(projectScalar(project, "SELECT count(DISTINCT uid) FROM backstories"), 20 - shortOnes);
        QVERIFY2(
            resumed.outText().contains(
                u"%1 stored (%1 new), %2 dropped as 40 tokens or fewer"_s.arg(20 - shortOnes).arg(shortOnes)),
            resumed.out.constData());
        // Every backstory is searchable: the importer kept the full-text index in sync.
        auto p = ProjectFile::open(project, ProjectFile::Mode::ReadOnly);
        QCOMPARE(*BackstoryStore(**p).searchCount(u"persona"_s), 20 - shortOnes);
        p->reset();

        // Once more: nothing sent, nothing imported.
        const int sent = server.completionRequestCount();
        const CliResult again = runCli(QStringList(args) << u"--json"_s);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const QJsonObject summary = again.json().object();
        QCOMPARE(summary.value(u"status"_s).toString(), u"completed"_s);
        QCOMPARE(summary.value(u"resumed"_s).toBool(), true);
        const QJsonObject backstories = summary.value(u"backstories"_s).toObject();
        QCOMPARE(backstories.value(u"imported"_s).toInt(), 0);
        QCOMPARE(backstories.value(u"stored"_s).toInt(), 20 - shortOnes);
        QCOMPARE(backstories.value(u"dropped_short"_s).toInt(), shortOnes);
        QCOMPARE(server.completionRequestCount(), sent);
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM backstories"), 20 - shortOnes);

        // The run keeps the command that planned it (the resumes did not replace it).
        const CliResult shown = runCli({u"run"_s, u"show"_s, u"1"_s, u"--project"_s, project});
        QVERIFY2(shown.exitCode == 0, shown.err.constData());
        QVERIFY2(shown.outText().contains(u"reproduce: cd "_s), shown.out.constData());
        QVERIFY2(shown.outText().contains(u"anthology generate backstories generate_backstory/config"_s),
                 shown.out.constData());
        QVERIFY2(shown.outText().contains(u"config: generate_backstory/config num_backstories=20"_s),
                 shown.out.constData());
    }

    // Without --in-flight a run is driven with its config's num_processes, stored with the plan.
    void generateKeepsTheConfiguredConcurrency()
    {
        FakeLlmServerConfig config;
        config.answer = scriptedPersonas();
        config.latencyMs = 20;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString project = m_dir.path(u"generate%1.anthology"_s.arg(++m_files));
        QVERIFY(ProjectFile::create(project));
        QStringList args = generateArgs(project, server, 16).mid(0, 8);
        args << u"num_processes=3"_s << u"--quiet"_s;
        const CliResult r = runCli(args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM items WHERE state <> 'done'"), 0);
        QVERIFY(server.completionRequestCount() >= 32);
        QVERIFY2(server.peakConnections() >= 1 && server.peakConnections() <= 3,
                 qPrintable(QString::number(server.peakConnections())));
        auto p = ProjectFile::open(project, ProjectFile::Mode::ReadOnly);
        const RunInfo info = *RunStore(**p).run(1);
        QCOMPARE(QJsonDocument::fromJson(info.config.toUtf8()).object().value(u"num_processes"_s).toInt(), 3);
    }

    // `run retry-failed` (and `run resume`) of a generate run store its stories as backstories.
    void retryFailedOfAGenerateRunStoresTheBackstories()
    {
        FakeLlmServerConfig config;
        config.answer = scriptedPersonas();
        config.fault = FakeFault::BadRequest;
        config.faultRate = 1.0; // every request refused
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString project = m_dir.path(u"generate%1.anthology"_s.arg(++m_files));
        QVERIFY(ProjectFile::create(project));
        const CliResult refused = runCli(generateArgs(project, server, 8));
        QVERIFY2(refused.exitCode == 1, refused.err.constData()); // a run with failed items exits 1
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM backstories"), 0);
        QVERIFY(projectScalar(project, "SELECT count(*) FROM items WHERE state = 'failed'") > 0);

        config.fault = FakeFault::None;
        config.faultRate = 0.0;
        server.setConfig(config);
        const CliResult retried =
            runCli({u"run"_s, u"retry-failed"_s, u"1"_s, u"--project"_s, project, u"--quiet"_s, u"--json"_s});
        QVERIFY2(retried.exitCode == 0, retried.err.constData());
        const int shortOnes = expectedShort(project, 1);
        const QJsonObject summary = retried.json().object();
        QCOMPARE(summary.value(u"status"_s).toString(), u"completed"_s);
        QCOMPARE(summary.value(u"backstories"_s).toObject().value(u"imported"_s).toInt(), 8 - shortOnes);
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM backstories"), 8 - shortOnes);

        // Resuming the completed run imports nothing more.
        const CliResult resumed =
            runCli({u"run"_s, u"resume"_s, u"1"_s, u"--project"_s, project, u"--quiet"_s});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QVERIFY2(resumed.outText().contains(u"%1 stored (0 new)"_s.arg(8 - shortOnes)),
                 resumed.out.constData());
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM backstories"), 8 - shortOnes);
    }

    void demographicsWithAParserServer()
    {
        FakeLlmServerConfig samplingConfig;
        samplingConfig.answer = scriptedPersonas();
        samplingConfig.maxN = 1;
        FakeLlmServer sampling(samplingConfig);
        QVERIFY(sampling.start());
        FakeLlmServerConfig parserConfig;
        parserConfig.answer = scriptedPersonas();
        parserConfig.requiredApiKey = "parser-test-key";
        FakeLlmServer parser(parserConfig);
        QVERIFY(parser.start());

        // 12 backstories written by hand.
        QByteArray jsonl;
        for (int i = 0; i < 12; ++i)
            jsonl +=
                QJsonDocument(QJsonObject{{u"uid"_s, u"p%1"_s.arg(i)},
                                          {u"backstory"_s, u"Question: Tell me about yourself.\nAnswer: I am "
                                                           "number %1 and I keep bees."_s.arg(i)}})
                    .toJson(QJsonDocument::Compact) +
                '\n';
        const QString project = m_dir.path(u"demographics%1.anthology"_s.arg(++m_files));
        {
            auto p = ProjectFile::create(project);
            QVERIFY(p);
            QVERIFY(BackstoryImporter(**p).importFile(m_dir.writeFile(u"twelve.jsonl"_s, jsonl)));
        }
        QStringList args{u"survey"_s, u"demographics"_s, u"demographics_config"_s};
        for (const char *drop : {"gender", "race", "religion", "region", "income_level_category_13"})
            args << u"~questionnaire.demographics."_s + QLatin1StringView(drop);
        args << u"num_sample_response=8"_s << u"use_llm_as_parser=true"_s
             << u"llm_parameters.api_provider=%1"_s.arg(sampling.baseUrl().toString())
             << u"llm_parameters.model_name=fake-model"_s
             << u"llm_parsing_parameters.api_provider=%1"_s.arg(parser.baseUrl().toString())
             << u"llm_parsing_parameters.model_name=fake-model"_s << u"--project"_s << project
             << u"--quiet"_s;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"OPENAI_API_KEY"_s);
        const CliResult refused = runCli(args, {}, env);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.errText().contains(u"OPENAI_API_KEY"_s), refused.err.constData());
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM runs"), 0);

        env.insert(u"OPENAI_API_KEY"_s, u"parser-test-key"_s);
        const CliResult result = runCli(args, {}, env);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM runs"), 2);
        QCOMPARE(projectScalar(
                     project,
                     "SELECT count(*) FROM runs WHERE kind = 'demographics_parser' AND status = 'completed'"),
                 1);
        QCOMPARE(
            projectScalar(project,
                          "SELECT count(*) FROM runs WHERE kind = 'demographics' AND status = 'completed'"),
            1);
        QCOMPARE(parser.completionRequestCount(), 36);
        const qint64 resolved =
            projectScalar(project, "SELECT count(*) FROM items i JOIN runs r ON r.id = i.run_id WHERE "
                                   "r.kind = 'demographics' AND i.logprobs LIKE '%\"llm_parser\"%'");
        const qint64 sampled =
            projectScalar(project, "SELECT count(*) FROM items i JOIN runs r ON r.id = i.run_id WHERE "
                                   "r.kind = 'demographics' AND i.logprobs LIKE '%\"sampling\"%'");
        QVERIFY2(resolved > 0 && sampled > 0, qPrintable(u"%1 %2"_s.arg(resolved).arg(sampled)));
        QCOMPARE(resolved + sampled, 36);
        int singles = 0;
        for (const QJsonObject &body : sampling.completionBodies())
            singles += body.value(u"n"_s).toInt(1) == 1 ? 1 : 0;
        QCOMPARE(singles, int(sampled) * 8);

        // The server's refusal of n > 1 is kept with the run: every sampled item was served by
        // 8 requests of n=1.
        const qint64 samplingRun = projectScalar(project, "SELECT id FROM runs WHERE kind = 'demographics'");
        const CliResult status = runCli(
            {u"run"_s, u"status"_s, QString::number(samplingRun), u"--project"_s, project, u"--json"_s});
        QVERIFY2(status.exitCode == 0, status.err.constData());
        const QJsonArray adaptations = status.json().object().value(u"adaptations"_s).toArray();
        qint64 split = -1;
        for (const QJsonValue &a : adaptations)
            if (a[u"adaptation"_s].toString().startsWith(u"n=8 served as 8 requests of n<=1"_s))
                split = a[u"items"_s].toInteger();
        QVERIFY2(split == sampled, QJsonDocument(adaptations).toJson().constData());
        const CliResult statusText =
            runCli({u"run"_s, u"status"_s, QString::number(samplingRun), u"--project"_s, project});
        QVERIFY2(statusText.outText().contains(u"adapted to the server: n=8 served as 8 requests of n<=1"_s),
                 statusText.out.constData());
        QVERIFY2(statusText.outText().contains(u"(%1 items)"_s.arg(sampled)), statusText.out.constData());

        // One stored distribution, read as the personas branch will read it.
        auto p = ProjectFile::open(project, ProjectFile::Mode::ReadOnly);
        Statement s = (*p)->prepare("SELECT i.logprobs FROM items i JOIN runs r ON r.id = i.run_id WHERE "
                                    "r.kind = 'demographics' AND i.question = 'age_category_4' AND "
                                    "i.logprobs LIKE '%\"sampling\"%' LIMIT 1");
        QVERIFY(*s.step());
        const QJsonObject o = QJsonDocument::fromJson(s.columnUtf8(0)).object();
        QCOMPARE(o.value(u"trait"_s).toString(), u"age_category_4"_s);
        QCOMPARE(o.value(u"choices"_s).toArray().size(), 5);
        QCOMPARE(o.value(u"choices"_s).toArray().last().toString(), u"Prefer not to answer"_s);
        QCOMPARE(o.value(u"counts"_s).toArray().size(), 6);
        p->reset();

        // The same command again finds both runs completed: nothing is sent.
        const int before = sampling.completionRequestCount() + parser.completionRequestCount();
        const CliResult again = runCli(QStringList(args) << u"--json"_s, {}, env);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const QJsonObject summary = again.json().object();
        QCOMPARE(summary.value(u"parser"_s).toObject().value(u"status"_s).toString(), u"completed"_s);
        QCOMPARE(summary.value(u"demographics"_s).toObject().value(u"status"_s).toString(), u"completed"_s);
        QCOMPARE(summary.value(u"demographics"_s).toObject().value(u"resumed"_s).toBool(), true);
        QCOMPARE(summary.value(u"demographics"_s).toObject().value(u"done"_s).toInt(), 36);
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM runs"), 2);
        QCOMPARE(sampling.completionRequestCount() + parser.completionRequestCount(), before);
    }
};

QTEST_GUILESS_MAIN(TestCliGenerate)
#include "TestCliGenerate.moc"
