#include "CliRunner.h"
#include "FakeLlmServer.h"
#include "TempProject.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>

using namespace anthology::test;
using namespace Qt::StringLiterals;

// `anthology llm ping` through the real program: against --url, a config with its overrides, or
// an llm_parameters file, with the key from the variable the profile names.
class TestCliLlm : public QObject
{
    Q_OBJECT

    TempProject m_dir;

    // A config folder whose ping_config takes llm_parameters/loop, which points at `url`.
    QString configDir(const QString &url)
    {
        const QString dir = m_dir.dir() + u"/configs"_s;
        m_dir.writeFile(u"configs/ping_config.yaml"_s, "defaults:\n  - llm_parameters: loop\n  - _self_\n");
        m_dir.writeFile(u"configs/llm_parameters/loop.yaml"_s,
                        "base_url: " + url.toUtf8() +
                            "\nmodel_name: fake-model\napi_key_env: ANTHOLOGY_TEST_PING_KEY\nmax_tokens: 4\n");
        return dir;
    }

    static QProcessEnvironment withKey(const QByteArray &key)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"ANTHOLOGY_TEST_PING_KEY"_s);
        if (!key.isEmpty())
            env.insert(u"ANTHOLOGY_TEST_PING_KEY"_s, QString::fromLatin1(key));
        return env;
    }

private slots:
    void reportsFeatures_data()
    {
        QTest::addColumn<int>("maxN");
        QTest::addColumn<bool>("refuseLogprobs");
        QTest::addColumn<bool>("n");
        QTest::addColumn<bool>("logprobs");
        QTest::newRow("accepts both") << 0 << false << true << true;
        QTest::newRow("one choice only") << 1 << false << false << true;
        QTest::newRow("no logprobs") << 0 << true << true << false;
    }

    void reportsFeatures()
    {
        QFETCH(int, maxN);
        QFETCH(bool, refuseLogprobs);
        QFETCH(bool, n);
        QFETCH(bool, logprobs);
        FakeLlmServerConfig config = refuseLogprobs ? refusingLogprobs() : FakeLlmServerConfig();
        config.maxN = maxN;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const CliResult json = runCli({u"llm"_s, u"ping"_s, u"--url"_s, server.baseUrl().toString(), u"--json"_s});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        const QJsonObject o = json.json().object();
        QCOMPARE(o.value(u"models"_s).toArray().first().toString(), u"fake-model"_s);
        QCOMPARE(o.value(u"n_greater_than_1"_s).toBool(), n);
        QCOMPARE(o.value(u"logprobs"_s).toBool(), logprobs);
        const CliResult text = runCli({u"llm"_s, u"ping"_s, u"--url"_s, server.baseUrl().toString()});
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.outText().contains(n ? u"n > 1: accepted"_s : u"n > 1: not accepted (HTTP 500"_s),
                 text.out.constData());
        QVERIFY2(text.outText().contains(logprobs ? u"logprobs: accepted"_s : u"logprobs: not accepted (HTTP 400"_s),
                 text.out.constData());
    }

    void namesAClosedPort()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        const CliResult r = runCli({u"llm"_s, u"ping"_s, u"--url"_s, u"http://127.0.0.1:%1/v1"_s.arg(port)});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.errText().contains(u"127.0.0.1:%1"_s.arg(port)), r.err.constData());
        QVERIFY2(r.errText().contains(u"refused"_s, Qt::CaseInsensitive), r.err.constData());
    }

    void saysWhenNothingAnswers()
    {
        QTcpServer silent; // the kernel accepts; nobody ever answers
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        const CliResult r = runCli({u"llm"_s, u"ping"_s, u"--url"_s,
                                    u"http://127.0.0.1:%1/v1"_s.arg(silent.serverPort()), u"--timeout-ms"_s,
                                    u"1000"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.errText().contains(u"no response from 127.0.0.1:%1 within 1 s"_s.arg(silent.serverPort())),
                 r.err.constData());
        QVERIFY2(!r.errText().contains(u"canceled"_s), r.err.constData());
        QVERIFY2(!r.errText().contains(u"QIODevice"_s), r.err.constData());
        QCOMPARE(r.errText().count(u'\n'), 1); // the one error line, nothing from Qt
    }

    void checksAConfigsEndpointWithItsKey()
    {
        FakeLlmServerConfig config;
        config.requiredApiKey = "k-ping-123";
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString dir = configDir(server.baseUrl().toString());
        const CliResult ok = runCli({u"llm"_s, u"ping"_s, u"--config-dir"_s, dir, u"ping_config"_s, u"--json"_s},
                                    {}, withKey("k-ping-123"));
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        QCOMPARE(ok.json().object().value(u"model"_s).toString(), u"fake-model"_s);
        QCOMPARE(server.lastAuthorization(), "Bearer k-ping-123"_ba);
        QVERIFY(!ok.out.contains("k-ping-123") && !ok.err.contains("k-ping-123"));

        const int before = server.requestCount();
        const CliResult noKey =
            runCli({u"llm"_s, u"ping"_s, u"--config-dir"_s, dir, u"ping_config"_s}, {}, withKey({}));
        QCOMPARE(noKey.exitCode, 1);
        QVERIFY2(noKey.errText().contains(u"ANTHOLOGY_TEST_PING_KEY"_s), noKey.err.constData());
        QCOMPARE(server.requestCount(), before); // refused before a request
    }

    void overridesAndFilesReachTheSameEndpoint()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const QString deadUrl = u"http://127.0.0.1:%1/v1"_s.arg(closed.serverPort());
        closed.close();
        const QString dir = configDir(deadUrl);
        const CliResult overridden =
            runCli({u"llm"_s, u"ping"_s, u"--config-dir"_s, dir, u"ping_config"_s,
                    u"llm_parameters.base_url="_s + server.baseUrl().toString(), u"--json"_s},
                   {}, withKey("any"));
        QVERIFY2(overridden.exitCode == 0, overridden.err.constData());
        QCOMPARE(overridden.json().object().value(u"url"_s).toString(), server.baseUrl().toString());

        const CliResult file = runCli({u"llm"_s, u"ping"_s, dir + u"/llm_parameters/loop.yaml"_s}, {}, withKey("any"));
        QCOMPARE(file.exitCode, 1);
        QVERIFY2(file.errText().contains(deadUrl), file.err.constData());
    }

    void refusesAmbiguousTargets()
    {
        const CliResult none = runCli({u"llm"_s, u"ping"_s});
        QVERIFY(none.exitCode != 0);
        QVERIFY2(none.errText().contains(u"--url"_s), none.err.constData());
        const CliResult both = runCli({u"llm"_s, u"ping"_s, u"--url"_s, u"http://127.0.0.1:9/v1"_s, u"survey_config"_s});
        QCOMPARE(both.exitCode, 1);
        QVERIFY2(both.errText().contains(u"not both"_s), both.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliLlm)
#include "TestCliLlm.moc"
