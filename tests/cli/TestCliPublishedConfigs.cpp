#include "CliRunner.h"
#include "FakeLlmServer.h"
#include "LoopbackPort.h"
#include "ProjectQuery.h"
#include "TempProject.h"
#include "TestPaths.h"

#include "example/ExampleProject.h"
#include "project/ProjectFile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// The configs as the reference publishes them (tests/data/published: together.ai, short model
// names, a parser group naming api_base), run by the real program against loopback servers, and
// against endpoints that cannot be reached: a closed loopback port and a loopback port that
// accepts and never answers. Short timeouts come from the llm_parameters keys themselves.
class TestCliPublishedConfigs : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_files = 0;

    static QString publishedDir() { return QStringLiteral(ANTHOLOGY_TEST_DATA_DIR "/published/surveys"); }

    // A project holding the example's 12 backstories and nothing else (`project init --example`
    // also builds a demo study, whose runs these tests would count).
    QString newProject()
    {
        const QString path = m_dir.path(u"published%1.anthology"_s.arg(++m_files));
        auto project = ProjectFile::create(path);
        if (!project || !ExampleProject::populate(**project))
            return {};
        return path;
    }

    // survey demographics on the example's 12 backstories, two traits, through the published
    // config dir; `extra` are more overrides and options.
    static QStringList demographics(const QString &project, const QStringList &extra)
    {
        QStringList args{u"survey"_s, u"demographics"_s, u"demographics_config"_s, u"--config-dir"_s,
                         publishedDir()};
        for (const char *drop :
             {"gender", "income_level_category_13", "race", "region", "religion", "political_affiliation"})
            args << u"~questionnaire.demographics."_s + QLatin1StringView(drop);
        return args << extra << u"--project"_s << project << u"--quiet"_s;
    }

    static QStringList at(const FakeLlmServer &server)
    {
        return {u"+llm_parameters.base_url=%1"_s.arg(server.baseUrl().toString())};
    }

    static QProcessEnvironment keyless()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"TOGETHER_API_KEY"_s);
        env.remove(u"OPENAI_API_KEY"_s);
        return env;
    }

    static QProcessEnvironment withTogetherKey()
    {
        QProcessEnvironment env = keyless();
        env.insert(u"TOGETHER_API_KEY"_s, u"together-test-key"_s);
        return env;
    }

    // A server as Together would be for the published config: its key, the id llama-3-70b maps to.
    static FakeLlmServerConfig together()
    {
        FakeLlmServerConfig config;
        config.requiredApiKey = "together-test-key";
        config.modelId = u"meta-llama/Meta-Llama-3-70B"_s;
        return config;
    }

    // Short waits for unreachable endpoints, set through the config keys.
    static QStringList quickGiveUp()
    {
        return {u"+llm_parameters.unreachable_timeout=1"_s, u"+llm_parameters.stall_timeout=0.4"_s,
                u"+llm_parameters.request_timeout=5"_s};
    }

    static QJsonObject runShow(const QString &project, qint64 run)
    {
        return runCli({u"run"_s, u"show"_s, QString::number(run), u"--project"_s, project, u"--json"_s})
            .json()
            .object();
    }

private Q_SLOTS:
    void publishedProviderAndShortModelNamesResolve()
    {
        FakeLlmServerConfig config = together();
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString project = newProject();
        QVERIFY(!project.isEmpty());

        // together.ai needs TOGETHER_API_KEY: refused before any request, naming it and the group.
        const CliResult refused = runCli(demographics(project, at(server)), {}, keyless());
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.errText().contains(u"TOGETHER_API_KEY"_s), refused.err.constData());
        QVERIFY2(refused.errText().contains(u"llm_parameters"_s), refused.err.constData());
        QCOMPARE(server.requestCount(), 0);
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM runs"), 0);

        const CliResult result = runCli(demographics(project, at(server)), {}, withTogetherKey());
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM items WHERE state = 'done'"), 24);
        const QList<QJsonObject> bodies = server.completionBodies();
        QVERIFY(!bodies.isEmpty());
        for (const QJsonObject &body : bodies)
            QCOMPARE(body.value(u"model"_s).toString(), u"meta-llama/Meta-Llama-3-70B"_s);

        const QJsonObject endpoint = runShow(project, 1).value(u"config"_s)[u"endpoint"_s].toObject();
        QCOMPARE(endpoint.value(u"base_url"_s).toString(), server.baseUrl().toString());
        QCOMPARE(endpoint.value(u"model_name"_s).toString(), u"llama-3-70b"_s);
        QCOMPARE(endpoint.value(u"model_id"_s).toString(), u"meta-llama/Meta-Llama-3-70B"_s);
        QCOMPARE(endpoint.value(u"provider"_s).toString(), u"together"_s);
        const CliResult shown = runCli({u"run"_s, u"show"_s, u"1"_s, u"--project"_s, project});
        QVERIFY2(shown.outText().contains(u"endpoint: %1, model meta-llama/Meta-Llama-3-70B (model_name "
                                          "llama-3-70b; provider together; key from $TOGETHER_API_KEY)"_s.arg(
                                              server.baseUrl().toString())),
                 shown.out.constData());

        // localhost: the server names the model, as the reference's localhost runs do.
        FakeLlmServer local;
        QVERIFY(local.start());
        const CliResult localRun = runCli(
            demographics(project, QStringList{u"llm_parameters=localhost_llama3"_s, u"--name"_s, u"local"_s}
                                      << at(local)),
            {}, keyless());
        QVERIFY2(localRun.exitCode == 0, localRun.err.constData());
        for (const QJsonObject &body : local.completionBodies())
            QCOMPARE(body.value(u"model"_s).toString(), u"fake-model"_s);
        const QJsonObject localEndpoint = runShow(project, 2).value(u"config"_s)[u"endpoint"_s].toObject();
        QCOMPARE(localEndpoint.value(u"model_id"_s).toString(), u"fake-model"_s);
        QCOMPARE(localEndpoint.value(u"model_name"_s).toString(), u"llama-3-70b"_s);
        QCOMPARE(localEndpoint.value(u"provider"_s).toString(), u"localhost"_s);

        // The table is one file of ours, shown by config show.
        const CliResult table = runCli({u"config"_s, u"show"_s, u"llm_providers"_s});
        QVERIFY2(table.exitCode == 0, table.err.constData());
        QVERIFY(table.outText().contains(u"llama-3-70b: meta-llama/Meta-Llama-3-70B"_s));
    }

    void parserGroupIsCheckedLikeTheSamplingGroup()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString project = newProject();
        // api_base on OpenAI's host implies OPENAI_API_KEY, though the group names no provider.
        const CliResult refused =
            runCli(demographics(project, QStringList{u"use_llm_as_parser=true"_s} << at(server)), {},
                   withTogetherKey());
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.errText().contains(u"OPENAI_API_KEY"_s), refused.err.constData());
        QVERIFY2(refused.errText().contains(u"llm_parsing_parameters"_s), refused.err.constData());
        QCOMPARE(server.requestCount(), 0);
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM runs"), 0);

        // A key written in a config file is refused, and never repeated.
        const CliResult literal =
            runCli(demographics(project, QStringList{u"llm_parsing_parameters.api_key=sk-test-literal-key"_s}
                                             << at(server)),
                   {}, withTogetherKey());
        QCOMPARE(literal.exitCode, 1);
        QVERIFY2(literal.errText().contains(u"never read from config files"_s), literal.err.constData());
        QVERIFY(!literal.errText().contains(u"sk-test-literal-key"_s));
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM runs"), 0);
    }

    void unreachableEndpointPausesTheRunWithOneLine_data()
    {
        QTest::addColumn<bool>("listening"); // accepts and never answers, or nothing listens
        QTest::newRow("closed port") << false;
        QTest::newRow("accepts, never answers") << true;
    }

    void unreachableEndpointPausesTheRunWithOneLine()
    {
        QFETCH(bool, listening);
        // The kernel completes the handshake for a listening socket nobody reads from.
        QTcpServer silent;
        const ClosedLoopbackPort closed;
        quint16 port = 0;
        if (listening) {
            QVERIFY(silent.listen(QHostAddress::LocalHost));
            port = silent.serverPort();
        } else {
            port = closed.port();
        }
        QVERIFY(port != 0);
        const QString url = u"http://127.0.0.1:%1/v1"_s.arg(port);
        const QString project = newProject();
        const CliResult paused = runCli(
            demographics(project, QStringList{u"+llm_parameters.base_url=%1"_s.arg(url)} << quickGiveUp()),
            {}, withTogetherKey());
        QCOMPARE(paused.exitCode, 1);
        const QString err = paused.errText();
        QVERIFY2(err.contains(u"run 1 paused: cannot reach 127.0.0.1:%1"_s.arg(port)),
                 paused.err.constData());
        QVERIFY2(err.contains(listening ? u"sent nothing for 400 ms"_s : u"failed to connect"_s),
                 paused.err.constData());
        QVERIFY2(err.contains(u"anthology llm ping --url %1"_s.arg(url)), paused.err.constData());
        QVERIFY2(err.contains(u"anthology run resume 1"_s), paused.err.constData());
        QCOMPARE(err.count(u"cannot reach"_s), 1);
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM runs WHERE status = 'paused'"), 1);
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM items WHERE state = 'pending'"), 24);

        // Resumed against a server that answers (the --profile URL), it finishes, and the run's
        // config says where it went. A URL profile sends the model name as written.
        FakeLlmServerConfig plain;
        plain.modelId = u"llama-3-70b"_s;
        FakeLlmServer server(plain);
        QVERIFY(server.start());
        const CliResult resumed = runCli({u"run"_s, u"resume"_s, u"1"_s, u"--project"_s, project,
                                          u"--profile"_s, server.baseUrl().toString(), u"--quiet"_s},
                                         {}, withTogetherKey());
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM items WHERE state = 'done'"), 24);
        const QJsonObject endpoint = runShow(project, 1).value(u"config"_s)[u"endpoint"_s].toObject();
        QCOMPARE(endpoint.value(u"base_url"_s).toString(), server.baseUrl().toString());
        QCOMPARE(endpoint.value(u"model_id"_s).toString(),
                 u"llama-3-70b"_s); // a URL profile: sent as written
    }

    void aServerThatFailsIsRetriedNotStopped()
    {
        // 503 on the first two arrivals of every request: reachable, so retried to the end.
        FakeLlmServerConfig config = together();
        config.fault = FakeFault::Unavailable;
        config.faultFirstAttempts = 2;
        config.retryAfterSeconds = -1;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString project = newProject();
        const CliResult result =
            runCli(demographics(project, at(server) << quickGiveUp() << u"+llm_parameters.max_retries=3"_s),
                   {}, withTogetherKey());
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM items WHERE state = 'done'"), 24);

        // max_retries from the config: with 0 retries every request fails once, with its cause first.
        const QString second = newProject();
        FakeLlmServerConfig always = config;
        always.faultFirstAttempts = 0;
        always.faultRate = 1.0;
        server.setConfig(always);
        runCli(demographics(second, at(server) << u"+llm_parameters.max_retries=0"_s), {}, withTogetherKey());
        QCOMPARE(projectScalar(second, "SELECT count(*) FROM items WHERE state = 'failed'"), 24);
        QCOMPARE(projectScalar(second, "SELECT count(*) FROM items WHERE error LIKE 'http 503: %'"), 24);
        QCOMPARE(projectScalar(second, "SELECT max(attempts) FROM items"), 1);
    }

    void aChangedConfigUnderTheSameNameIsRefused()
    {
        FakeLlmServerConfig config = together();
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString project = newProject();
        QCOMPARE(runCli(demographics(project, at(server)), {}, withTogetherKey()).exitCode, 0);

        const CliResult refused =
            runCli(demographics(project, QStringList{u"num_sample_response=3"_s} << at(server)), {},
                   withTogetherKey());
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.errText().contains(u"num_sample_response: 1 -> 3"_s), refused.err.constData());
        QVERIFY2(refused.errText().contains(u"--name NEW"_s), refused.err.constData());
        QVERIFY2(!refused.errText().contains(u"--restart"_s), refused.err.constData()); // it is complete
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM runs"), 1);

        // What changes no item may differ: another server of the model, other timeouts.
        FakeLlmServer other(config);
        QVERIFY(other.start());
        const CliResult moved = runCli(
            demographics(project, at(other) << u"+llm_parameters.stall_timeout=30"_s), {}, withTogetherKey());
        QVERIFY2(moved.exitCode == 0, moved.err.constData());
        QVERIFY2(moved.errText().contains(u"Resuming"_s), moved.err.constData());

        // An unfinished run: the refusal offers --restart, which replaces it.
        const ClosedLoopbackPort closed;
        QVERIFY(closed.port() != 0);
        const QStringList unfinished{
            u"--name"_s, u"half"_s,
            u"+llm_parameters.base_url=http://127.0.0.1:%1/v1"_s.arg(closed.port())};
        QCOMPARE(runCli(demographics(project, unfinished + quickGiveUp()), {}, withTogetherKey()).exitCode,
                 1);
        QStringList changed = QStringList{u"--name"_s, u"half"_s, u"num_sample_response=2"_s} << at(server);
        const CliResult offered = runCli(demographics(project, changed), {}, withTogetherKey());
        QCOMPARE(offered.exitCode, 1);
        QVERIFY2(offered.errText().contains(u"num_sample_response: 1 -> 2"_s), offered.err.constData());
        QVERIFY2(offered.errText().contains(u"--restart"_s), offered.err.constData());
        const CliResult restarted =
            runCli(demographics(project, changed << u"--restart"_s), {}, withTogetherKey());
        QVERIFY2(restarted.exitCode == 0, restarted.err.constData());
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM runs WHERE name = 'half'"), 1);
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM runs r JOIN items i ON i.run_id = r.id "
                                        "WHERE r.name = 'half' AND i.state = 'done'"),
                 24);
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM runs r WHERE r.name = 'half' AND "
                                        "json_extract(r.config, '$.num_sample_response') = 2"),
                 1);
    }

    void theCacheIsKeptPerEndpoint()
    {
        FakeLlmServerConfig config = together();
        FakeLlmServer first(config);
        FakeLlmServer second(config);
        QVERIFY(first.start());
        QVERIFY(second.start());
        const QString project = newProject();
        QCOMPARE(runCli(demographics(project, at(first)), {}, withTogetherKey()).exitCode, 0);
        const int firstSent = first.completionRequestCount();
        QVERIFY(firstSent > 0);

        // The same config at another server: its own answers, none from the first server's.
        QCOMPARE(runCli(demographics(project, QStringList{u"--name"_s, u"elsewhere"_s} << at(second)), {},
                        withTogetherKey())
                     .exitCode,
                 0);
        QCOMPARE(second.completionRequestCount(), firstSent);
        QCOMPARE(projectScalar(project, "SELECT count(*) FROM items WHERE run_id = 2 AND from_cache = 1"), 0);

        // At the first server again: all from the cache, and run status says from where.
        QCOMPARE(runCli(demographics(project, QStringList{u"--name"_s, u"again"_s} << at(first)), {},
                        withTogetherKey())
                     .exitCode,
                 0);
        QCOMPARE(first.completionRequestCount(), firstSent);
        const CliResult status = runCli({u"run"_s, u"status"_s, u"3"_s, u"--project"_s, project});
        QVERIFY2(
            status.outText().contains(u"cached from: 24 items from run 1 (demographics_config) at %1"_s.arg(
                first.baseUrl().toString())),
            status.out.constData());
        const QJsonArray cached =
            runCli({u"run"_s, u"status"_s, u"3"_s, u"--project"_s, project, u"--json"_s})
                .json()
                .object()
                .value(u"cached_from"_s)
                .toArray();
        QCOMPARE(cached.size(), 1);
    }

    void aMisspeltKeyInAFileIsAnError()
    {
        const QString dir = m_dir.dir() + u"/typo"_s;
        QVERIFY(QDir().mkpath(dir + u"/llm_parameters"_s));
        QFile::copy(publishedDir() + u"/llm_parameters/together_llama3.yaml"_s,
                    dir + u"/llm_parameters/together_llama3.yaml"_s);
        QFile config(dir + u"/demographics_config.yaml"_s);
        QVERIFY(config.open(QIODevice::WriteOnly));
        QFile published(publishedDir() + u"/demographics_config.yaml"_s);
        QVERIFY(published.open(QIODevice::ReadOnly));
        QByteArray text = published.readAll();
        text.replace("num_processes: 4", "num_procesess: 8");
        config.write(text);
        config.close();
        const CliResult typo =
            runCli({u"config"_s, u"show"_s, u"demographics_config"_s, u"--config-dir"_s, dir});
        QCOMPARE(typo.exitCode, 1);
        QVERIFY2(typo.errText().contains(u"demographics_config.yaml:"_s), typo.err.constData());
        QVERIFY2(typo.errText().contains(u"num_procesess: unknown key; did you mean 'num_processes'?"_s),
                 typo.err.constData());

        // A key far from every known one stays a warning; the published extras pass silently.
        text.replace("num_procesess: 8", "my_own_note: kept for later\nconsistency_prompt: \"Answer as "
                                         "yourself.\ntext_rule: seed");
        QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
        config.write(text);
        config.close();
        const CliResult warned =
            runCli({u"config"_s, u"show"_s, u"demographics_config"_s, u"--config-dir"_s, dir});
        QVERIFY2(warned.exitCode == 0, warned.err.constData());
        QVERIFY2(warned.errText().contains(u"my_own_note: unknown key, ignored"_s), warned.err.constData());
        QVERIFY2(!warned.errText().contains(u"save_dir"_s) && !warned.errText().contains(u"hydra"_s),
                 warned.err.constData());
        const qsizetype quoteLine = text.left(text.indexOf("consistency_prompt:")).count('\n') + 1;
        QVERIFY2(warned.errText().contains(u"the double-quoted value opened on line %1 runs on to line %2 "
                                           "(text_rule: seed)"_s.arg(quoteLine)
                                               .arg(quoteLine + 1)),
                 warned.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliPublishedConfigs)
#include "TestCliPublishedConfigs.moc"
