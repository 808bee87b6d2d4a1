#include "TestPaths.h"

#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"
#include "config/YamlReader.h"
#include "llm/EndpointPool.h"
#include "llm/LlmClient.h"
#include "llm/RateLimitHeaders.h"
#include "run/SurveyPlan.h"
#include "survey/SurveyTypes.h"

#include "OutcomeCollector.h"
#include "RawHttpServer.h"
#include "support/FakeLlmServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(anthology::HttpTransport)

namespace {

LlmClientOptions options(int inFlight, HttpTransport transport = HttpTransport::Lean)
{
    LlmClientOptions o;
    o.inFlightLimit = inFlight;
    o.retry.maxRetries = 20;
    o.retry.baseDelayMs = 5;
    o.retry.maxDelayMs = 40;
    o.requestTimeoutMs = 5000;
    o.transport = transport;
    return o;
}

LlmRequest completion(int i)
{
    LlmRequest r;
    r.prompt = u"Question %1: which option fits you best? Answer:"_s.arg(i);
    r.maxTokens = 2;
    r.seed = i;
    return r;
}

void transportRows()
{
    QTest::addColumn<HttpTransport>("transport");
    QTest::newRow("lean") << HttpTransport::Lean;
    QTest::newRow("qt") << HttpTransport::QtNetwork;
}

} // namespace

class TestEndpointPool : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void picksTheEndpointWithTheMostRoom()
    {
        EndpointProfile profile = EndpointProfile::forUrl(QUrl(u"http://127.0.0.1:1/v1"_s), u"m"_s);
        profile.mirrors.append({QUrl(u"http://127.0.0.1:2/v1"_s), 2, std::nullopt, std::nullopt});
        EndpointPool pool(profile, 6);
        QList<int> order;
        for (int i = 0; i < 8; ++i) {
            const EndpointPool::Pick pick = pool.pick(10, 0);
            if (pick.index < 0) {
                QCOMPARE(pick.waitMs, qint64(-1)); // full: wait for an answer
                break;
            }
            pool.take(pick.index, 10, 0);
            order.append(pick.index);
        }
        // Caps 6 and 2: filled in proportion, never above either cap.
        QCOMPARE(order, (QList<int>{0, 1, 0, 0, 0, 1, 0, 0}));
        pool.release(1);
        QCOMPARE(pool.pick(10, 0).index, 1);
        QCOMPARE(pool.pick(10, 0, 1).index, 1); // the only one with room, even if avoided
    }

    void budgetsMakeARequestWait()
    {
        EndpointProfile profile = EndpointProfile::forUrl(QUrl(u"http://127.0.0.1:1/v1"_s), u"m"_s);
        profile.requestsPerMinute = 2;
        profile.mirrors.append({QUrl(u"http://127.0.0.1:2/v1"_s), std::nullopt, 60, std::nullopt});
        EndpointPool pool(profile, 10);
        QList<int> order;
        for (int i = 0; i < 4; ++i) {
            const EndpointPool::Pick pick = pool.pick(1, 0);
            QVERIFY(pick.index >= 0);
            pool.take(pick.index, 1, 0);
            pool.release(pick.index);
            order.append(pick.index);
        }
        QCOMPARE(order, (QList<int>{0, 0, 1, 1})); // the first one's budget of two is spent
        for (int i = 0; i < 58; ++i) {
            const int index = pool.pick(1, 0).index;
            QCOMPARE(index, 1);
            pool.take(index, 1, 0);
            pool.release(index);
        }
        const EndpointPool::Pick none = pool.pick(1, 0);
        QCOMPARE(none.index, -1);
        QCOMPARE(none.waitMs, qint64(1000)); // the second refills one request a second
    }

    void serverRemainingHoldsRequestsUntilItsReset()
    {
        EndpointPool pool(EndpointProfile::forUrl(QUrl(u"http://127.0.0.1:1/v1"_s), u"m"_s), 10);
        RateLimitHeaders h;
        h.read("x-ratelimit-remaining-requests", "3");
        h.read("x-ratelimit-reset-requests", "2s");
        pool.take(0, 1, 0); // one request still on its way counts against what the server said
        pool.observe(0, h, 100);
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(pool.pick(1, 100).index, 0);
            pool.take(0, 1, 100);
        }
        const EndpointPool::Pick held = pool.pick(1, 100);
        QCOMPARE(held.index, -1);
        QCOMPARE(held.waitMs, qint64(2000));
        QCOMPARE(pool.pick(1, 2100).index, 0); // past the reset the server's figure no longer binds
    }

    void requestsAreSpreadAndEachEndpointKeptToItsCap_data() { transportRows(); }

    void requestsAreSpreadAndEachEndpointKeptToItsCap()
    {
        QFETCH(HttpTransport, transport);
        FakeLlmServerConfig config;
        config.latencyMs = 15;
        FakeLlmServer first(config), second(config);
        QVERIFY(first.start());
        QVERIFY(second.start());
        EndpointProfile profile = EndpointProfile::forUrl(first.baseUrl(), u"fake-model"_s);
        profile.mirrors.append({second.baseUrl(), 4, std::nullopt, std::nullopt});
        LlmClient client(profile, options(24, transport));
        OutcomeCollector c(client);
        const int count = 240;
        for (int i = 0; i < count; ++i)
            client.submit(quint64(i), completion(i));
        QVERIFY(c.waitFor(count));
        QCOMPARE(c.succeeded(), count);
        for (const LlmOutcome &o : std::as_const(c.outcomes))
            QCOMPARE(o.response.choices.first().text,
                     FakeLlmServer::answerText(completion(int(o.ticket)).prompt, int(o.ticket), 0, 2));
        QCOMPARE(first.completionRequestCount() + second.completionRequestCount(), count);
        const QList<EndpointLoad> loads = client.endpointLoads();
        QCOMPARE(loads.size(), 2);
        QCOMPARE(loads.at(1).url, second.baseUrl().toString());
        QCOMPARE(loads.at(1).peakInFlight, 4);  // kept busy up to its own cap, never above
        QCOMPARE(loads.at(0).peakInFlight, 20); // the rest of the run's 24
        QCOMPARE(loads.at(0).succeeded + loads.at(1).succeeded, quint64(count));
        QVERIFY(second.completionRequestCount() > 0);
    }

    void failingEndpointGetsLessWork_data() { transportRows(); }

    void failingEndpointGetsLessWork()
    {
        QFETCH(HttpTransport, transport);
        FakeLlmServerConfig healthy;
        healthy.latencyMs = 10;
        FakeLlmServerConfig broken = healthy;
        broken.fault = FakeFault::ServerError;
        broken.faultFirstAttempts = 1000000;
        FakeLlmServer good(healthy), bad(broken);
        QVERIFY(good.start());
        QVERIFY(bad.start());
        EndpointProfile profile = EndpointProfile::forUrl(bad.baseUrl(), u"fake-model"_s);
        profile.mirrors.append({good.baseUrl(), std::nullopt, std::nullopt, std::nullopt});
        LlmClient client(profile, options(16, transport));
        OutcomeCollector c(client);
        const int count = 200;
        for (int i = 0; i < count; ++i)
            client.submit(quint64(i), completion(i));
        QVERIFY(c.waitFor(count));
        QCOMPARE(c.succeeded(), count); // every request found the endpoint that answers
        QCOMPARE(good.completionRequestCount(), count);
        QVERIFY2(bad.completionRequestCount() < count / 2,
                 qPrintable(QString::number(bad.completionRequestCount())));
        const QList<EndpointLoad> loads = client.endpointLoads();
        QCOMPARE(loads.at(0).succeeded, quint64(0));
        QCOMPARE(loads.at(0).failed, quint64(bad.completionRequestCount()));
        QVERIFY(loads.at(0).window < 16); // its window dropped
    }

    void unreachableEndpointDoesNotStopTheRun_data() { transportRows(); }

    void unreachableEndpointDoesNotStopTheRun()
    {
        // The first endpoint refuses connections: the model is discovered from the second, and
        // every request ends up answered there.
        QFETCH(HttpTransport, transport);
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const QUrl dead(u"http://127.0.0.1:%1/v1"_s.arg(probe.serverPort()));
        probe.close();
        FakeLlmServer live;
        QVERIFY(live.start());
        EndpointProfile profile = EndpointProfile::forUrl(dead);
        profile.mirrors.append({live.baseUrl(), std::nullopt, std::nullopt, std::nullopt});
        LlmClient client(profile, options(8, transport));
        OutcomeCollector c(client);
        const int count = 40;
        for (int i = 0; i < count; ++i)
            client.submit(quint64(i), completion(i));
        QVERIFY(c.waitFor(count));
        QCOMPARE(client.modelId(), u"fake-model"_s);
        QCOMPARE(c.succeeded(), count);
        QCOMPARE(live.completionRequestCount(), count);
        QCOMPARE(client.endpointLoads().at(0).succeeded, quint64(0));
    }

    void serverRateLimitHeadersPreventThrottling()
    {
        // A server allowing three requests per 300 ms window that says so in OpenAI's headers and
        // answers 429 to anything beyond; the client keeps within it from what the headers say.
        const qint64 windowMs = 300;
        const int budget = 3;
        QElapsedTimer clock;
        clock.start();
        qint64 windowEnd = -1;
        int used = 0, throttled = 0;
        RawServer server([&](int, int, const QByteArray &) {
            const qint64 now = clock.elapsed();
            if (now >= windowEnd) {
                windowEnd = now + windowMs;
                used = 0;
            }
            const QByteArray reset = QByteArray::number(windowEnd - now) + "ms";
            if (used >= budget) {
                ++throttled;
                const QByteArray body = R"({"error":{"message":"Rate limit reached","type":"requests"}})";
                return RawAnswer{{"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\nContent-Length: " +
                                  QByteArray::number(body.size()) + "\r\n\r\n" + body}};
            }
            ++used;
            const QByteArray body =
                R"({"id":"x","choices":[{"index":0,"text":" A","finish_reason":"length"}]})";
            return RawAnswer{
                {"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-ratelimit-limit-requests: 3\r\n"
                 "x-ratelimit-remaining-requests: " +
                 QByteArray::number(budget - used) + "\r\nx-ratelimit-reset-requests: " + reset +
                 "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body}};
        });
        LlmClient client(EndpointProfile::forUrl(server.url(u"/v1"_s), u"m"_s), options(2));
        OutcomeCollector c(client);
        const int count = 10;
        for (int i = 0; i < count; ++i)
            client.submit(quint64(i), completion(i));
        QVERIFY(c.waitFor(count));
        QCOMPARE(c.succeeded(), count);
        QCOMPARE(throttled, 0);
        QCOMPARE(server.heads.size(), count);
    }

    void baseUrlsBecomeMirrors_data()
    {
        QTest::addColumn<QString>("baseUrl");
        QTest::addColumn<QStringList>("list");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("list only: the first is primary")
            << QString() << QStringList{u"http://a:8000/v1"_s, u"http://b:8000"_s}
            << QStringList{u"http://a:8000/v1"_s, u"http://b:8000/v1"_s};
        QTest::newRow("base_url plus list, duplicates once")
            << u"http://a:8000/v1/"_s
            << QStringList{u"http://a:8000/v1"_s, u"http://c:1/v1"_s, u"http://c:1/v1"_s}
            << QStringList{u"http://a:8000/v1"_s, u"http://c:1/v1"_s};
    }

    void baseUrlsBecomeMirrors()
    {
        QFETCH(QString, baseUrl);
        QFETCH(QStringList, list);
        QFETCH(QStringList, expected);
        LlmParameters params;
        params.apiProvider = u"localhost"_s;
        params.baseUrl = baseUrl;
        params.requestsPerMinute = 100;
        for (const QString &url : list)
            params.endpoints.append({url, 3, std::nullopt, std::nullopt});
        const Result<EndpointProfile> profile = EndpointProfile::fromParameters(params);
        QVERIFY2(profile.ok(), profile.ok() ? "" : qPrintable(profile.error().message));
        QStringList urls;
        for (const EndpointProfile &p : profile->endpoints()) {
            urls.append(p.baseUrl.toString());
            QCOMPARE(p.requestsPerMinute, std::optional<int>(100)); // unset per endpoint: the run's
        }
        QCOMPARE(urls, expected);
        QCOMPARE(profile->endpoints().last().maxInFlight, std::optional<int>(3));
    }

    void configListsSeveralServers()
    {
        // From the run config through the stored plan (what a resumed run reads) to the client's endpoints.
        const QByteArray yaml =
            "model_name: m\nbase_urls:\n  - http://gpu1:8000/v1\n"
            "  - base_url: http://gpu2:8000/v1\n    max_in_flight: 64\n"
            "    requests_per_minute: 600\nmax_in_flight: 128\ntokens_per_minute: 90000\n";
        const Result<ConfigNode> node = YamlReader::parse(yaml, u"llm.yaml"_s);
        QVERIFY(node.ok());
        QList<Error> warnings;
        const Result<LlmParameters> params =
            ConfigSchema::llmParameters(*node, u"llm_parameters"_s, warnings);
        QVERIFY2(params.ok(), params.ok() ? "" : qPrintable(params.error().toString()));
        QVERIFY(warnings.isEmpty());
        SurveyPlan plan;
        plan.llm = *params;
        const Result<SurveyPlan> stored = SurveyPlan::fromJson(plan.toJson());
        QVERIFY(stored.ok());
        const Result<EndpointProfile> profile = EndpointProfile::fromParameters(stored->llm);
        QVERIFY(profile.ok());
        const QList<EndpointProfile> endpoints = profile->endpoints();
        QCOMPARE(endpoints.size(), 2);
        QCOMPARE(endpoints.at(0).baseUrl.toString(), u"http://gpu1:8000/v1"_s);
        QCOMPARE(endpoints.at(0).maxInFlight, std::optional<int>(128));
        QCOMPARE(endpoints.at(1).baseUrl.toString(), u"http://gpu2:8000/v1"_s);
        QCOMPARE(endpoints.at(1).maxInFlight, std::optional<int>(64));
        QCOMPARE(endpoints.at(1).requestsPerMinute, std::optional<int>(600));
        QCOMPARE(endpoints.at(1).tokensPerMinute, std::optional<int>(90000));
    }

    void shippedSeveralServersProfileValidates()
    {
        const Result<ResolvedConfig> resolved =
            ConfigLoader({QStringLiteral(ANTHOLOGY_CONFIGS_DIR)})
                .load(u"surveys/survey_config"_s, {u"llm_parameters=vllm_several"_s});
        QVERIFY2(resolved.ok(), resolved.ok() ? "" : qPrintable(resolved.error().toString()));
        const Result<SurveyConfig> config = ConfigSchema::survey(*resolved);
        QVERIFY2(config.ok(), config.ok() ? "" : qPrintable(config.error().toString()));
        QVERIFY(config->warnings.isEmpty());
        const Result<EndpointProfile> profile = EndpointProfile::fromParameters(config->llm);
        QVERIFY(profile.ok());
        QCOMPARE(profile->endpoints().size(), 2);
        QCOMPARE(profile->endpoints().at(0).maxInFlight, std::optional<int>(512));
        QCOMPARE(profile->endpoints().at(1).maxInFlight, std::optional<int>(256));
    }

    void badBaseUrlsEntryNamesItsPosition()
    {
        const Result<ConfigNode> node =
            YamlReader::parse("base_urls:\n  - http://a/v1\n  - [1, 2]\n", u"llm.yaml"_s);
        QVERIFY(node.ok());
        QList<Error> warnings;
        const Result<LlmParameters> params =
            ConfigSchema::llmParameters(*node, u"llm_parameters"_s, warnings);
        QVERIFY(!params.ok());
        QVERIFY2(params.error().key.endsWith(u"base_urls.1"_s), qPrintable(params.error().toString()));
        QCOMPARE(params.error().line, 3);
    }

    void badMirrorUrlIsRefused()
    {
        LlmParameters params;
        params.baseUrl = u"http://a:8000/v1"_s;
        params.endpoints.append({u"ftp://b/v1"_s, std::nullopt, std::nullopt, std::nullopt});
        const Result<EndpointProfile> profile = EndpointProfile::fromParameters(params);
        QVERIFY(!profile.ok());
        QCOMPARE(profile.error().key, u"base_urls"_s);
        QVERIFY(profile.error().message.contains(u"ftp://b/v1"_s));
    }
};

QTEST_GUILESS_MAIN(TestEndpointPool)
#include "TestEndpointPool.moc"
