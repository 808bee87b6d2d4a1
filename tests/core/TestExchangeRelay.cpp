#include "llm/LlmClient.h"

#include "OutcomeCollector.h"
#include "support/FakeLlmServer.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QTest>
#include <QThread>

#include <algorithm>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// Requests handed to the worker threads in advance (ExchangeRelay) through a real LlmClient and
// loopback HTTP: the in-flight limit as the server sees it, cancellation at every stage a handed
// request can be in, and retries.
namespace {

LlmClientOptions options(int inFlight)
{
    LlmClientOptions o;
    o.inFlightLimit = inFlight;
    o.transport = HttpTransport::Lean;
    o.retry.maxRetries = 5;
    o.retry.baseDelayMs = 5;
    o.retry.maxDelayMs = 40;
    o.requestTimeoutMs = 10000;
    return o;
}

LlmRequest completion(int i)
{
    LlmRequest r;
    r.prompt = u"Question %1: which option fits you best? Answer:"_s.arg(i);
    r.maxTokens = 2;
    r.seed = 1000 + i;
    return r;
}

// Waits for the server without letting the client's thread (this one) handle anything, so the
// worker's reports stay queued while the server and the worker go on.
bool spinUntil(const std::function<bool()> &done)
{
    QElapsedTimer guard;
    guard.start();
    while (!done()) {
        if (guard.elapsed() > 30000)
            return false;
        QThread::yieldCurrentThread();
    }
    return true;
}

} // namespace

class TestExchangeRelay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answersPassTheirSlotsOnWithinTheLimit()
    {
        FakeLlmServerConfig config;
        config.latencyMs = 3;
        config.latencyJitterMs = 4;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const int limit = 8;
        const int count = 400;
        LlmClient client(EndpointProfile::forUrl(server.baseUrl(), u"fake-model"_s), options(limit));
        OutcomeCollector c(client);
        for (int i = 0; i < count; ++i)
            client.submit(quint64(i), completion(i));
        QVERIFY(c.waitFor(count));
        QCOMPARE(c.duplicates, 0);
        for (const LlmOutcome &o : std::as_const(c.outcomes)) {
            QVERIFY2(o.ok, qPrintable(o.error.message));
            QCOMPARE(o.attempts, 1);
            QCOMPARE(o.response.choices.first().text,
                     FakeLlmServer::answerText(completion(int(o.ticket)).prompt, 1000 + int(o.ticket), 0, 2));
        }
        QCOMPARE(server.completionRequestCount(), count);
        QCOMPARE(server.peakOpenCompletions(), limit); // kept full, never above
        QVERIFY(client.stats().relayed > 0);           // requests 9 and on were handed over first
        QCOMPARE(client.stats().inFlight, 0);
        QCOMPARE(client.stats().queued, 0);
    }

    void cancelledHandedRequestsAreNeverSent()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        server.setCompletionGate(0);
        LlmClient client(EndpointProfile::forUrl(server.baseUrl(), u"fake-model"_s), options(4));
        OutcomeCollector c(client);
        for (int i = 0; i < 12; ++i) // 4 on the wire, 4 handed to the relay, 4 waiting in the client
            client.submit(quint64(i), completion(i));
        QVERIFY(QTest::qWaitFor([&] { return server.heldCompletions() == 4; }, 30000));
        QCOMPARE(client.stats().queued, 8);
        for (int i = 4; i < 12; ++i)
            client.cancel(quint64(i));
        server.setCompletionGate(-1);
        QVERIFY(c.waitFor(12));
        for (int i = 0; i < 12; ++i) {
            const LlmOutcome o = c.outcomes.value(quint64(i));
            QCOMPARE(o.ok, i < 4);
            QCOMPARE(o.attempts, i < 4 ? 1 : 0);
        }
        // A request sent after the cancelled ones would have reached the server before this one.
        client.submit(100, completion(100));
        QVERIFY(c.waitFor(13));
        QVERIFY(c.outcomes.value(100).ok);
        QCOMPARE(server.completionRequestCount(), 5);
        QCOMPARE(client.stats().relayed, quint64(0));
        QCOMPARE(c.duplicates, 0);
        QCOMPARE(client.stats().inFlight, 0);
    }

    void cancellingAfterTheWorkerPassedSlotsOnKeepsTheCount()
    {
        // Tickets 0 and 1 on the wire (1 is never answered), 2 and 3 handed over, 4 and 5 waiting.
        // The server answers 0, then 2, which the worker sent in 0's slot, and the worker sends 3
        // in that one. All of that happens before the client hears of it; then 0-3 are cancelled:
        // an answered ticket, one still on the wire, a handed one already answered and a handed
        // one on the wire. Every ticket ends once and the slots all come back.
        FakeLlmServerConfig config;
        config.script = [](const FakeRequest &request) -> std::optional<FakeReply> {
            if (!request.json.value(u"prompt"_s).toString().startsWith(u"Question 1:"_s))
                return std::nullopt;
            FakeReply stall;
            stall.fault = FakeFault::Stall;
            return stall;
        };
        FakeLlmServer server(config);
        QVERIFY(server.start());
        server.setCompletionGate(0);
        LlmClient client(EndpointProfile::forUrl(server.baseUrl(), u"fake-model"_s), options(2));
        OutcomeCollector c(client);
        for (int i = 0; i < 6; ++i)
            client.submit(quint64(i), completion(i));
        QVERIFY(QTest::qWaitFor([&] { return server.heldCompletions() == 2; }, 30000));
        server.setCompletionGate(3); // 0 and 1 through, then 2; 3 waits at the gate
        QVERIFY(spinUntil([&] { return server.completionRequestCount() == 4 && server.heldCompletions() == 1; }));
        for (int i = 0; i < 4; ++i)
            client.cancel(quint64(i));
        server.setCompletionGate(-1);
        QVERIFY(c.waitFor(6));
        QCOMPARE(c.duplicates, 0);
        for (int i = 0; i < 6; ++i) {
            const LlmOutcome o = c.outcomes.value(quint64(i));
            QCOMPARE(o.ok, i >= 4);
            if (!o.ok)
                QCOMPARE(o.error.message, u"cancelled"_s);
        }
        QTRY_COMPARE(client.stats().inFlight, 0); // the held slots are released by their reports
        QCOMPARE(client.stats().queued, 0);
        // The client goes on at its full limit.
        for (int i = 10; i < 30; ++i)
            client.submit(quint64(i), completion(i));
        QVERIFY(c.waitFor(26));
        for (int i = 10; i < 30; ++i)
            QVERIFY(c.outcomes.value(quint64(i)).ok);
        QCOMPARE(client.stats().inFlight, 0);
    }

    void requestsCancelledBeforeTheWorkerSentThemAreNotSent()
    {
        // A worker opens at most a few dozen connections per pass of its event loop; requests
        // cancelled while they wait for their turn must not go out afterwards (they would stay
        // held at the gate, as nothing would abort them).
        FakeLlmServer server;
        QVERIFY(server.start());
        server.setCompletionGate(0);
        const int count = 300;
        LlmClient client(EndpointProfile::forUrl(server.baseUrl(), u"fake-model"_s), options(count));
        OutcomeCollector c(client);
        for (int i = 0; i < count; ++i)
            client.submit(quint64(i), completion(i));
        client.cancelAll();
        QVERIFY(c.waitFor(count));
        for (const LlmOutcome &o : std::as_const(c.outcomes))
            QCOMPARE(o.error.message, u"cancelled"_s);
        // The next request leaves after any that were still waiting: once it is at the server,
        // every cancelled request that went out was aborted, and only it stays held.
        client.submit(1000, completion(1000));
        QTRY_VERIFY(std::any_of(server.completionBodies().cbegin(), server.completionBodies().cend(),
                                [](const QJsonObject &body) {
                                    return body.value(u"prompt"_s).toString().startsWith(u"Question 1000:"_s);
                                }));
        QTRY_COMPARE(server.heldCompletions(), 1);
        server.setCompletionGate(-1);
        QVERIFY(c.waitFor(count + 1));
        QVERIFY(c.outcomes.value(1000).ok);
        QCOMPARE(client.stats().inFlight, 0);
    }

    void serverErrorsAreStillRetried()
    {
        // Every body fails once with a 500: a failed exchange passes no slot on, the client
        // retries it, and the server never sees more than the limit.
        FakeLlmServerConfig config;
        config.latencyMs = 2;
        config.fault = FakeFault::ServerError;
        config.faultFirstAttempts = 1;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const int count = 60;
        LlmClient client(EndpointProfile::forUrl(server.baseUrl(), u"fake-model"_s), options(4));
        OutcomeCollector c(client);
        for (int i = 0; i < count; ++i)
            client.submit(quint64(i), completion(i));
        QVERIFY(c.waitFor(count));
        for (const LlmOutcome &o : std::as_const(c.outcomes)) {
            QVERIFY2(o.ok, qPrintable(o.error.message));
            QCOMPARE(o.attempts, 2);
            QVERIFY(o.lastError.startsWith(u"http 500"_s));
        }
        QCOMPARE(server.completionRequestCount(), 2 * count);
        QVERIFY(server.peakOpenCompletions() <= 4);
        QCOMPARE(client.stats().retries, quint64(count));
        QCOMPARE(client.stats().inFlight, 0);
    }
};

QTEST_GUILESS_MAIN(TestExchangeRelay)
#include "TestExchangeRelay.moc"
