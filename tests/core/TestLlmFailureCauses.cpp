#include "llm/LlmClient.h"
#include "support/FakeLlmServer.h"
#include "support/LoopbackPort.h"
#include "survey/SurveyTypes.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(anthology::HttpTransport)

namespace {

LlmClientOptions quickOptions(HttpTransport transport)
{
    LlmClientOptions o;
    o.transport = transport;
    o.inFlightLimit = 4;
    o.workerThreads = 1;
    o.retry.maxRetries = 1000; // only the unreachable stop ends these
    o.retry.baseDelayMs = 5;
    o.retry.maxDelayMs = 40;
    o.requestTimeoutMs = 5000;
    o.stallTimeoutMs = 300;
    o.unreachableAfterMs = 800;
    return o;
}

LlmRequest completion(int i)
{
    LlmRequest r;
    r.prompt = u"Question %1: which option fits you best? Answer:"_s.arg(i);
    r.maxTokens = 6;
    r.seed = 10 + i;
    return r;
}

void bothTransports()
{
    QTest::addColumn<HttpTransport>("transport");
    QTest::newRow("lean") << HttpTransport::Lean;
    QTest::newRow("qt") << HttpTransport::QtNetwork;
}

} // namespace

// How the client tells a server it never reached from one that answers badly: every failure
// text starts with its cause (connect:, timeout:, reset:, http NNN:, parse:), and an endpoint
// that no attempt reached for unreachableAfterMs stops the client with one line. Loopback only:
// a closed port, a listener that accepts and never answers, the fake server's faults.
class TestLlmFailureCauses : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aClosedPortStopsTheClient_data() { bothTransports(); }
    void aClosedPortStopsTheClient()
    {
        QFETCH(HttpTransport, transport);
        const ClosedLoopbackPort closed;
        const quint16 port = closed.port();
        QVERIFY(port != 0);
        LlmClient client(EndpointProfile::forUrl(QUrl(u"http://127.0.0.1:%1/v1"_s.arg(port)), u"m"_s),
                         quickOptions(transport));
        QSignalSpy stopped(&client, &LlmClient::unreachable);
        QSignalSpy finished(&client, &LlmClient::finished);
        for (int i = 0; i < 6; ++i)
            client.submit(quint64(i + 1), completion(i));
        QVERIFY(stopped.wait(30000));
        const QString reason = stopped.first().first().toString();
        QVERIFY2(reason.startsWith(u"cannot reach 127.0.0.1:%1: "_s.arg(port)), qPrintable(reason));
        QVERIFY2(reason.contains(u"failed to connect"_s), qPrintable(reason));
        QVERIFY2(reason.contains(u"anthology llm ping --url http://127.0.0.1:%1/v1"_s.arg(port)),
                 qPrintable(reason));
        QCOMPARE(client.stopReason(), reason);
        // Nothing was given up: the tickets stay open for the owner, who cancels them.
        QCOMPARE(client.stats().failed, quint64(0));
        const quint64 attempts = client.stats().attempts;
        QTest::qWait(200);
        QCOMPARE(client.stats().attempts, attempts); // and nothing more is sent
        QCOMPARE(stopped.size(), 1);
    }

    void aListenerThatNeverAnswersStopsTheClient_data() { bothTransports(); }
    void aListenerThatNeverAnswersStopsTheClient()
    {
        QFETCH(HttpTransport, transport);
        QTcpServer silent; // the kernel accepts; nobody reads or answers
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        LlmClient client(
            EndpointProfile::forUrl(QUrl(u"http://127.0.0.1:%1/v1"_s.arg(silent.serverPort())), u"m"_s),
            quickOptions(transport));
        QSignalSpy stopped(&client, &LlmClient::unreachable);
        client.submit(1, completion(1));
        QVERIFY(stopped.wait(30000));
        const QString reason = stopped.first().first().toString();
        QVERIFY2(reason.contains(u"sent nothing for 300 ms"_s), qPrintable(reason));
        QVERIFY2(reason.contains(u"no attempt got an answer"_s), qPrintable(reason));
    }

    void modelDiscoveryCountsToo()
    {
        // No model named: the client asks /v1/models first; that failing to connect stops it as well.
        const ClosedLoopbackPort closed;
        QVERIFY(closed.port() != 0);
        LlmClient client(EndpointProfile::forUrl(QUrl(u"http://127.0.0.1:%1/v1"_s.arg(closed.port()))),
                         quickOptions(HttpTransport::Lean));
        QSignalSpy stopped(&client, &LlmClient::unreachable);
        client.submit(1, completion(1));
        QVERIFY(stopped.wait(30000));
        QVERIFY(client.stopReason().contains(u"failed to connect"_s));
    }

    void aServerAnsweringErrorsIsNotUnreachable_data() { bothTransports(); }
    void aServerAnsweringErrorsIsNotUnreachable()
    {
        QFETCH(HttpTransport, transport);
        FakeLlmServerConfig config;
        config.fault = FakeFault::ServerError;
        config.faultRate = 1.0;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        LlmClientOptions options = quickOptions(transport);
        options.retry.maxRetries = 3;
        options.unreachableAfterMs = 1;
        LlmClient client(EndpointProfile::forUrl(server.baseUrl(), u"fake-model"_s), options);
        QSignalSpy stopped(&client, &LlmClient::unreachable);
        QSignalSpy finished(&client, &LlmClient::finished);
        client.submit(1, completion(1));
        QVERIFY(finished.wait(30000));
        QCOMPARE(stopped.size(), 0);
        const LlmOutcome outcome = finished.first().first().value<QList<LlmOutcome>>().first();
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.error.message.startsWith(u"http 500: "_s), qPrintable(outcome.error.message));
        QVERIFY2(outcome.error.message.contains(u"(gave up after 4 attempts)"_s),
                 qPrintable(outcome.error.message));
        QCOMPARE(outcome.attempts, 4);
    }

    void everyFailureStartsWithItsCause_data()
    {
        QTest::addColumn<int>("fault");
        QTest::addColumn<QString>("prefix");
        QTest::newRow("401") << int(FakeFault::Unauthorized) << u"http 401: "_s;
        QTest::newRow("404") << int(FakeFault::NotFound) << u"http 404: "_s;
        QTest::newRow("503 retried out") << int(FakeFault::Unavailable) << u"http 503: "_s;
        QTest::newRow("truncated JSON") << int(FakeFault::TruncatedJson) << u"parse: "_s;
        QTest::newRow("reset mid-body") << int(FakeFault::ResetMidBody) << u"reset: "_s;
        QTest::newRow("stall") << int(FakeFault::Stall) << u"timeout: "_s;
    }
    void everyFailureStartsWithItsCause()
    {
        QFETCH(int, fault);
        QFETCH(QString, prefix);
        FakeLlmServerConfig config;
        config.fault = FakeFault(fault);
        config.faultRate = 1.0;
        config.retryAfterSeconds = -1;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        LlmClientOptions options = quickOptions(HttpTransport::Lean);
        options.retry.maxRetries = 1;
        options.unreachableAfterMs = 0; // a stalling server would otherwise stop the client
        LlmClient client(EndpointProfile::forUrl(server.baseUrl(), u"fake-model"_s), options);
        QSignalSpy finished(&client, &LlmClient::finished);
        client.submit(1, completion(1));
        QVERIFY(finished.wait(30000));
        const LlmOutcome outcome = finished.first().first().value<QList<LlmOutcome>>().first();
        QVERIFY(!outcome.ok);
        QVERIFY2(outcome.error.message.startsWith(prefix), qPrintable(outcome.error.message));
    }

    void timeoutsAndRetriesComeFromTheConfig()
    {
        LlmParameters llm;
        llm.requestTimeoutS = 2.5;
        llm.stallTimeoutS = 0.25;
        llm.unreachableTimeoutS = 7;
        llm.maxRetries = 3;
        const LlmClientOptions o = LlmClient::withParameters({}, llm);
        QCOMPARE(o.requestTimeoutMs, 2500);
        QCOMPARE(o.stallTimeoutMs, 250);
        QCOMPARE(o.unreachableAfterMs, qint64(7000));
        QCOMPARE(o.retry.maxRetries, 3);
        const LlmClientOptions defaults = LlmClient::withParameters({}, LlmParameters{});
        QCOMPARE(defaults.requestTimeoutMs, 120000);
        QCOMPARE(defaults.stallTimeoutMs, 120000);
        QCOMPARE(defaults.unreachableAfterMs, qint64(60000));
        QCOMPARE(defaults.retry.maxRetries, 20);
    }
};

QTEST_GUILESS_MAIN(TestLlmFailureCauses)
#include "TestLlmFailureCauses.moc"
