#include "config/YamlReader.h"
#include "llm/EndpointProfile.h"
#include "llm/ProviderCatalog.h"
#include "pipeline/EndpointCheck.h"
#include "survey/SurveyTypes.h"

#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

// The published provider names and short model names through our llm_providers.yaml: base URL,
// key variable and the model id sent, as the reference resolves them (provider by substring).
class TestProviderCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void publishedNamesResolve_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("keyEnv");
        QTest::addColumn<QString>("modelId"); // empty: asked of the server

        QTest::newRow("together.ai llama-3-70b")
            << u"together.ai"_s << u"llama-3-70b"_s << u"https://api.together.xyz/v1"_s
            << u"TOGETHER_API_KEY"_s << u"meta-llama/Meta-Llama-3-70B"_s;
        QTest::newRow("together_dedicated mixtral")
            << u"together_dedicated"_s << u"mixtral"_s << u"https://api.together.xyz/v1"_s
            << u"TOGETHER_API_KEY"_s << u"mistralai/Mixtral-8x7B-v0.1"_s;
        QTest::newRow("together llama-3-70b-chat")
            << u"Together"_s << u"llama-3-70b-chat"_s << u"https://api.together.xyz/v1"_s
            << u"TOGETHER_API_KEY"_s << u"meta-llama/Llama-3-70B-chat-hf"_s;
        QTest::newRow("together llama-2-70b")
            << u"together.ai"_s << u"llama-2-70b"_s << u"https://api.together.xyz/v1"_s
            << u"TOGETHER_API_KEY"_s << u"meta-llama/Llama-2-70b-hf"_s;
        QTest::newRow("together full id kept")
            << u"together.ai"_s << u"Qwen/Qwen2-72B"_s << u"https://api.together.xyz/v1"_s
            << u"TOGETHER_API_KEY"_s << u"Qwen/Qwen2-72B"_s;
        QTest::newRow("localhost short name: discovered")
            << u"localhost"_s << u"llama-3-70b"_s << u"http://localhost:8000/v1"_s << QString() << QString();
        QTest::newRow("localhost full id kept")
            << u"localhost"_s << u"meta-llama/Meta-Llama-3-70B"_s << u"http://localhost:8000/v1"_s
            << QString() << u"meta-llama/Meta-Llama-3-70B"_s;
        QTest::newRow("openai") << u"openai"_s << u"gpt-4o"_s << u"https://api.openai.com/v1"_s
                                << u"OPENAI_API_KEY"_s << u"gpt-4o"_s;
        QTest::newRow("openai_chat by substring")
            << u"openai_chat"_s << u"gpt-4o-mini"_s << u"https://api.openai.com/v1"_s << u"OPENAI_API_KEY"_s
            << u"gpt-4o-mini"_s;
        QTest::newRow("ollama exact")
            << u"ollama"_s << u"llama3"_s << u"http://localhost:11434/v1"_s << QString() << u"llama3"_s;
    }

    void publishedNamesResolve()
    {
        QFETCH(QString, provider);
        QFETCH(QString, model);
        QFETCH(QString, base);
        QFETCH(QString, keyEnv);
        QFETCH(QString, modelId);
        LlmParameters llm;
        llm.apiProvider = provider;
        llm.modelName = model;
        const Result<EndpointProfile> p = EndpointProfile::fromParameters(llm);
        QVERIFY2(p, p ? "" : qPrintable(p.error().message));
        QCOMPARE(p->baseUrl.toString(), base);
        QCOMPARE(p->apiKeyEnv, keyEnv);
        QCOMPARE(p->model, modelId);
        QCOMPARE(p->requestedModel, model);
        const QJsonObject d = p->describe(u"served-model"_s);
        QCOMPARE(d.value(u"model_id"_s).toString(), modelId.isEmpty() ? u"served-model"_s : modelId);
        QCOMPARE(d.value(u"model_name"_s).toString(), model);
    }

    void anUnknownProviderNamesTheKnownOnes()
    {
        LlmParameters llm;
        llm.apiProvider = u"anthropic-ish"_s;
        const Result<EndpointProfile> p = EndpointProfile::fromParameters(llm);
        QVERIFY(!p);
        QVERIFY2(p.error().message.contains(u"together"_s) &&
                     p.error().message.contains(u"llm_providers.yaml"_s),
                 qPrintable(p.error().message));
    }

    void aKnownHostImpliesItsKey()
    {
        // The published parser group: api_base on OpenAI's host, no provider (so the default).
        LlmParameters parser;
        parser.baseUrl = u"https://api.openai.com/v1"_s;
        parser.modelName = u"gpt-4o"_s;
        parser.chat = true;
        const Result<EndpointProfile> p = EndpointProfile::fromParameters(parser);
        QVERIFY(p);
        QCOMPARE(p->apiKeyEnv, u"OPENAI_API_KEY"_s);
        qunsetenv("OPENAI_API_KEY");
        const Status refused = checkEndpoint(parser, u"llm_parsing_parameters"_s);
        QVERIFY(!refused);
        QCOMPARE(refused.error().message,
                 u"llm_parsing_parameters needs an API key: set the environment variable OPENAI_API_KEY"_s);
        qputenv("OPENAI_API_KEY", "sk-test-parser");
        QVERIFY(checkEndpoint(parser, u"llm_parsing_parameters"_s));
        qunsetenv("OPENAI_API_KEY");
        // A loopback base URL implies nothing.
        parser.baseUrl = u"http://127.0.0.1:9/v1"_s;
        QVERIFY(EndpointProfile::fromParameters(parser)->apiKeyEnv.isEmpty());
    }

    void theCacheScopeIsTheServersAndTheModel()
    {
        LlmParameters a;
        a.apiProvider = u"http://127.0.0.1:8001/v1"_s;
        a.modelName = u"m"_s;
        LlmParameters b = a;
        b.apiProvider = u"http://127.0.0.1:8002/v1"_s;
        LlmParameters c = a;
        c.modelName = u"n"_s;
        const QByteArray scopeA = EndpointProfile::fromParameters(a)->cacheScope();
        QVERIFY(scopeA != EndpointProfile::fromParameters(b)->cacheScope());
        QVERIFY(scopeA != EndpointProfile::fromParameters(c)->cacheScope());
        QCOMPARE(scopeA, EndpointProfile::fromParameters(a)->cacheScope());
        // Mirrors listed in one profile share the cache, in whatever order they are listed.
        LlmParameters m1 = a;
        m1.baseUrl = u"http://127.0.0.1:8001/v1"_s;
        m1.endpoints = {{u"http://127.0.0.1:8002/v1"_s, {}, {}, {}}};
        LlmParameters m2 = a;
        m2.baseUrl = u"http://127.0.0.1:8002/v1"_s;
        m2.endpoints = {{u"http://127.0.0.1:8001/v1"_s, {}, {}, {}}};
        QCOMPARE(EndpointProfile::fromParameters(m1)->cacheScope(),
                 EndpointProfile::fromParameters(m2)->cacheScope());
    }

    void ourTableIsCheckedStrictly()
    {
        QVERIFY2(ProviderCatalog::standard(), "configs/llm_providers.yaml must load");
        Result<ConfigNode> root = YamlReader::parse("providers:\n  - name: x\n    base_url: http://h/v1\n"
                                                    "    api_key_evn: X_KEY\n",
                                                    u"table.yaml"_s);
        QVERIFY(root);
        const Result<ProviderCatalog> bad = ProviderCatalog::parse(*root);
        QVERIFY(!bad);
        QCOMPARE(bad.error().line, 4);
        QVERIFY2(bad.error().message.contains(u"did you mean 'api_key_env'"_s),
                 qPrintable(bad.error().message));
    }
};

QTEST_GUILESS_MAIN(TestProviderCatalog)
#include "TestProviderCatalog.moc"
