#include "llm/EndpointProfile.h"
#include "survey/SurveyTypes.h"

#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

class TestEndpointProfile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void providers_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("baseUrl");
        QTest::addColumn<QString>("expectedBase");
        QTest::addColumn<QString>("expectedKeyEnv");
        QTest::addColumn<int>("expectedMaxN"); // 0: no limit known

        QTest::newRow("openai") << u"openai"_s << QString() << u"https://api.openai.com/v1"_s
                                << u"OPENAI_API_KEY"_s << 0;
        QTest::newRow("together") << u"together"_s << QString() << u"https://api.together.xyz/v1"_s
                                  << u"TOGETHER_API_KEY"_s << 0;
        QTest::newRow("localhost vLLM")
            << u"localhost"_s << QString() << u"http://localhost:8000/v1"_s << QString() << 0;
        QTest::newRow("ollama") << u"ollama"_s << QString() << u"http://localhost:11434/v1"_s << QString()
                                << 1;
        QTest::newRow("llamacpp") << u"llamacpp"_s << QString() << u"http://localhost:8080/v1"_s << QString()
                                  << 1;
        QTest::newRow("URL as provider, /v1 added")
            << u"http://gpu-node:8000"_s << QString() << u"http://gpu-node:8000/v1"_s << QString() << 0;
        QTest::newRow("explicit base_url wins") << u"localhost"_s << u"http://10.0.0.5:9000/v1/"_s
                                                << u"http://10.0.0.5:9000/v1"_s << QString() << 0;
        QTest::newRow("base_url alone") << QString() << u"https://proxy.example/openai/v1"_s
                                        << u"https://proxy.example/openai/v1"_s << QString() << 0;
    }

    void providers()
    {
        QFETCH(QString, provider);
        QFETCH(QString, baseUrl);
        QFETCH(QString, expectedBase);
        QFETCH(QString, expectedKeyEnv);
        QFETCH(int, expectedMaxN);
        LlmParameters params;
        params.apiProvider = provider;
        params.baseUrl = baseUrl;
        params.modelName = u"m"_s;
        const Result<EndpointProfile> p = EndpointProfile::fromParameters(params);
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
        QCOMPARE(p->baseUrl.toString(), expectedBase);
        QCOMPARE(p->apiKeyEnv, expectedKeyEnv);
        QCOMPARE(p->maxN.value_or(0), expectedMaxN);
        QCOMPARE(p->endpointUrl(u"chat/completions"_s).toString(), expectedBase + u"/chat/completions"_s);
    }

    void parameterFieldsCarryOver()
    {
        LlmParameters params;
        params.apiProvider = u"openai"_s;
        params.modelName = u"gpt-4o-mini"_s;
        params.apiKeyEnv = u"MY_KEY"_s;
        params.pricePer1kPromptTokens = 0.15;
        params.pricePer1kCompletionTokens = 0.6;
        params.requestsPerMinute = 500;
        params.tokensPerMinute = 200000;
        params.maxLogprobs = 3;
        params.allowInsecure = true;
        const Result<EndpointProfile> p = EndpointProfile::fromParameters(params);
        QVERIFY(p.ok());
        QCOMPARE(p->apiKeyEnv, u"MY_KEY"_s);
        QCOMPARE(p->model, u"gpt-4o-mini"_s);
        QCOMPARE(p->requestsPerMinute.value_or(0), 500);
        QCOMPARE(p->tokensPerMinute.value_or(0), 200000);
        QCOMPARE(p->maxLogprobs.value_or(0), 3);
        QVERIFY(p->allowInsecure);
        QCOMPARE(p->cost(2000, 1000), 0.15 * 2 + 0.6);
    }

    void invalidProfiles_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("baseUrl");
        QTest::addColumn<int>("rpm");
        QTest::addColumn<QString>("key");
        QTest::newRow("unknown provider") << u"anthropic-ish"_s << QString() << 0 << u"api_provider"_s;
        QTest::newRow("ftp base url") << u"localhost"_s << u"ftp://host/v1"_s << 0 << u"base_url"_s;
        QTest::newRow("no host") << u"localhost"_s << u"http:///v1"_s << 0 << u"base_url"_s;
        QTest::newRow("zero rpm") << u"localhost"_s << QString() << -1 << u"requests_per_minute"_s;
    }

    void invalidProfiles()
    {
        QFETCH(QString, provider);
        QFETCH(QString, baseUrl);
        QFETCH(int, rpm);
        QFETCH(QString, key);
        LlmParameters params;
        params.apiProvider = provider;
        params.baseUrl = baseUrl;
        if (rpm != 0)
            params.requestsPerMinute = rpm;
        const Result<EndpointProfile> p = EndpointProfile::fromParameters(params);
        QVERIFY(!p.ok());
        QCOMPARE(p.error().key, key);
        QVERIFY(p.error().message.startsWith(u"expected"_s) || p.error().message.contains(u"expected"_s));
    }

    void keyTransport_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("keySet");
        QTest::addColumn<bool>("allowInsecure");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("https remote") << u"https://api.example/v1"_s << true << false << true;
        QTest::newRow("http remote with key") << u"http://203.0.113.9:8000/v1"_s << true << false << false;
        QTest::newRow("http remote, insecure allowed")
            << u"http://203.0.113.9:8000/v1"_s << true << true << true;
        QTest::newRow("http remote without key") << u"http://203.0.113.9:8000/v1"_s << false << false << true;
        QTest::newRow("http 127.0.0.1") << u"http://127.0.0.1:8000/v1"_s << true << false << true;
        QTest::newRow("http localhost") << u"http://localhost:8000/v1"_s << true << false << true;
        QTest::newRow("http ::1") << u"http://[::1]:8000/v1"_s << true << false << true;
    }

    void keyTransport()
    {
        QFETCH(QString, url);
        QFETCH(bool, keySet);
        QFETCH(bool, allowInsecure);
        QFETCH(bool, allowed);
        const QByteArray secret = "sk-test-transport-0123456789";
        qputenv("ANTHOLOGY_TEST_KEY", keySet ? secret : QByteArray());
        EndpointProfile p = EndpointProfile::forUrl(QUrl(url), u"m"_s);
        p.apiKeyEnv = u"ANTHOLOGY_TEST_KEY"_s;
        p.allowInsecure = allowInsecure;
        const Status s = p.checkKeyTransport();
        QCOMPARE(s.ok(), allowed);
        if (!allowed) {
            QVERIFY(s.error().message.contains(u"$ANTHOLOGY_TEST_KEY"_s));
            QVERIFY(s.error().message.contains(u"allow_insecure"_s));
            QVERIFY(!s.error().message.contains(QString::fromLatin1(secret)));
        }
        qunsetenv("ANTHOLOGY_TEST_KEY");
    }

    void displayUrlDropsUserInfo()
    {
        const EndpointProfile p = EndpointProfile::forUrl(QUrl(u"https://user:secret@host.example/v1"_s));
        QVERIFY(!p.displayUrl().contains(u"secret"_s));
        QCOMPARE(p.displayUrl(), u"https://host.example/v1"_s);
    }
};

QTEST_GUILESS_MAIN(TestEndpointProfile)
#include "TestEndpointProfile.moc"
