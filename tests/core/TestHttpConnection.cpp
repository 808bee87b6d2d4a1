#include "llm/HttpConnection.h"
#include "llm/HttpConnectionPool.h"

#include "RawHttpServer.h"

#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

QByteArray okHead(const QByteArray &extra = {})
{
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + extra;
}

RawAnswer lengthAnswer(const QByteArray &body, const QByteArray &extra = {})
{
    return {{okHead(extra) + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body}};
}

HttpExchange post(const QUrl &url, quint64 id = 1, int timeoutMs = 5000)
{
    HttpExchange ex;
    ex.id = id;
    ex.url = url;
    ex.body = R"({"prompt":"Q"})";
    ex.apiKey = "sk-abc";
    ex.timeoutMs = timeoutMs;
    ex.lean = true;
    return ex;
}

// Sends exchanges one after another over one connection and keeps what came back.
struct Sequence
{
    QList<HttpExchange> answers;
    HttpConnection connection;

    explicit Sequence(const QUrl &url)
        : connection(url.host(), quint16(url.port()),
                     [this](HttpConnection *, HttpExchange &&ex) { answers.append(std::move(ex)); })
    {
    }
    const HttpExchange &run(HttpExchange ex)
    {
        const qsizetype before = answers.size();
        connection.send(std::move(ex));
        [&] { QVERIFY(QTest::qWaitFor([&] { return answers.size() > before; }, 20000)); }();
        return answers.last();
    }
};

} // namespace

class TestHttpConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framings_data()
    {
        QTest::addColumn<QList<QByteArray>>("pieces");
        QTest::addColumn<bool>("close");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        const QByteArray body = R"({"choices":[{"text":" A"}]})";
        QTest::newRow("Content-Length in one piece")
            << QList<QByteArray>{okHead() + "Content-Length: 27\r\n\r\n" + body} << false << 200 << body;
        QTest::newRow("Content-Length split inside head and body")
            << QList<QByteArray>{"HTTP/1.1 200 OK\r\nContent-Le", "ngth: 27\r\n\r\n{\"choices\":[",
                                 "{\"text\":\" A\"}]}"}
            << false << 200 << body;
        QTest::newRow("chunked with extension and trailer")
            << QList<QByteArray>{okHead() + "Transfer-Encoding: chunked\r\n\r\n",
                                 "c;name=x\r\n{\"choices\":[\r\n", "f\r\n{\"text\":\" A\"}]}\r\n",
                                 "0\r\nX-Trailer: 1\r\n\r\n"}
            << false << 200 << body;
        QTest::newRow("body until close (HTTP/1.0)")
            << QList<QByteArray>{"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n", body} << true
            << 200 << body;
        QTest::newRow("100 Continue first")
            << QList<QByteArray>{"HTTP/1.1 100 Continue\r\n\r\n",
                                 okHead() + "Content-Length: 27\r\n\r\n" + body}
            << false << 200 << body;
        QTest::newRow("204 without body")
            << QList<QByteArray>{"HTTP/1.1 204 No Content\r\n\r\n"} << false << 204 << QByteArray();
        QTest::newRow("error status with JSON body")
            << QList<QByteArray>{"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 9\r\n\r\n{\"e\":\"x\"}"}
            << false << 503 << QByteArray(R"({"e":"x"})");
    }

    void framings()
    {
        QFETCH(QList<QByteArray>, pieces);
        QFETCH(bool, close);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        RawServer server([&](int, int, const QByteArray &) {
            return RawAnswer{pieces, close ? RawAnswer::Then::Close : RawAnswer::Then::KeepOpen};
        });
        Sequence seq(server.url());
        const HttpExchange &first = seq.run(post(server.url()));
        QVERIFY2(!first.transportFailed, qPrintable(first.transportError));
        QCOMPARE(first.httpStatus, status);
        QCOMPARE(first.responseBody, body);
        // The same framing again: over the kept connection, or a new one after a close.
        const HttpExchange &second = seq.run(post(server.url(), 2));
        QVERIFY2(!second.transportFailed, qPrintable(second.transportError));
        QCOMPARE(second.id, quint64(2));
        QCOMPARE(second.responseBody, body);
        QCOMPARE(server.connections(), close ? 2 : 1);
    }

    void requestCarriesMethodPathHostKeyAndLength()
    {
        RawServer server([](int, int, const QByteArray &) { return lengthAnswer("{}"); });
        Sequence seq(server.url());
        seq.run(post(server.url(u"/v1/chat/completions"_s)));
        HttpExchange get = post(server.url(u"/v1/models"_s), 2);
        get.body.clear();
        get.apiKey.clear();
        seq.run(get);
        QCOMPARE(server.heads.size(), 2);
        const QByteArray postHead = server.heads.at(0);
        QVERIFY(postHead.startsWith("POST /v1/chat/completions HTTP/1.1\r\n"));
        QVERIFY(postHead.contains("\r\nHost: 127.0.0.1:"));
        QVERIFY(postHead.contains("\r\nAuthorization: Bearer sk-abc"));
        QVERIFY(postHead.contains("\r\nContent-Type: application/json"));
        QVERIFY(postHead.contains("\r\nContent-Length: 14"));
        QVERIFY(server.heads.at(1).startsWith("GET /v1/models HTTP/1.1\r\n"));
        QVERIFY(!server.heads.at(1).contains("Authorization"));
    }

    void headersAreSurfaced()
    {
        RawServer server([](int, int, const QByteArray &) {
            return RawAnswer{
                {"HTTP/1.1 429 Too Many Requests\r\nretry-after: 7\r\n"
                 "X-RateLimit-Remaining-Requests: 0\r\nx-ratelimit-remaining-tokens: 1500\r\n"
                 "x-ratelimit-reset-requests: 1m30s\r\nx-ratelimit-reset-tokens: 250ms\r\n"
                 "Content-Type: application/json; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}"}};
        });
        Sequence seq(server.url());
        const HttpExchange &ex = seq.run(post(server.url()));
        QCOMPARE(ex.httpStatus, 429);
        QCOMPARE(ex.retryAfter, "7");
        QCOMPARE(ex.contentType, "application/json; charset=utf-8");
        QCOMPARE(ex.rateLimits.remainingRequests, std::optional<double>(0));
        QCOMPARE(ex.rateLimits.remainingTokens, std::optional<double>(1500));
        QCOMPARE(ex.rateLimits.resetRequestsMs, std::optional<qint64>(90000));
        QCOMPARE(ex.rateLimits.resetTokensMs, std::optional<qint64>(250));
    }

    void brokenAnswersAreTransportFailures_data()
    {
        QTest::addColumn<QList<QByteArray>>("pieces");
        QTest::addColumn<int>("then");
        QTest::addColumn<QString>("message");
        QTest::newRow("reset mid-body") << QList<QByteArray>{okHead() + "Content-Length: 100\r\n\r\n{\"cho"}
                                        << int(RawAnswer::Then::Reset) << u"closed before the answer"_s;
        QTest::newRow("close mid-chunk")
            << QList<QByteArray>{okHead() + "Transfer-Encoding: chunked\r\n\r\n20\r\n{\"ch"}
            << int(RawAnswer::Then::Close) << u"closed before the answer"_s;
        QTest::newRow("close before any byte")
            << QList<QByteArray>{} << int(RawAnswer::Then::Close) << u"closed before the answer"_s;
        QTest::newRow("not HTTP") << QList<QByteArray>{"SSH-2.0-OpenSSH_9.2\r\n\r\n"}
                                  << int(RawAnswer::Then::KeepOpen) << u"did not answer in HTTP/1.x"_s;
        QTest::newRow("bad chunk size")
            << QList<QByteArray>{okHead() + "Transfer-Encoding: chunked\r\n\r\nzz\r\n"}
            << int(RawAnswer::Then::KeepOpen) << u"unreadable chunk size"_s;
        QTest::newRow("stall") << QList<QByteArray>{} << int(RawAnswer::Then::Stall)
                               << u"no complete answer within 150 ms"_s;
    }

    void brokenAnswersAreTransportFailures()
    {
        QFETCH(QList<QByteArray>, pieces);
        QFETCH(int, then);
        QFETCH(QString, message);
        RawServer server([&](int, int, const QByteArray &) {
            return RawAnswer{pieces, RawAnswer::Then(then)};
        });
        Sequence seq(server.url());
        const HttpExchange &ex = seq.run(post(server.url(), 1, 150));
        QVERIFY(ex.transportFailed);
        QVERIFY2(ex.transportError.contains(message), qPrintable(ex.transportError));
        QCOMPARE(ex.timedOut, RawAnswer::Then(then) == RawAnswer::Then::Stall);
        QCOMPARE(seq.answers.size(), 1);
    }

    void refusedConnectionIsATransportFailure()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        const QUrl url(u"http://127.0.0.1:%1/v1/completions"_s.arg(port));
        Sequence seq(url);
        const HttpExchange &ex = seq.run(post(url));
        QVERIFY(ex.transportFailed);
        QVERIFY2(ex.transportError.contains(u"127.0.0.1:%1"_s.arg(port)), qPrintable(ex.transportError));
    }

    void keepAliveClosedByTheServerIsResentOnce()
    {
        // The server answers and then drops the idle connection without saying so; the next
        // request finds it dead before any byte comes back and goes out again on a new one.
        RawServer server([](int, int, const QByteArray &) {
            RawAnswer a = lengthAnswer("{}");
            a.then = RawAnswer::Then::Close;
            return a;
        });
        Sequence seq(server.url());
        for (quint64 id = 1; id <= 3; ++id) {
            const HttpExchange &ex = seq.run(post(server.url(), id));
            QVERIFY2(!ex.transportFailed, qPrintable(ex.transportError));
            QCOMPARE(ex.httpStatus, 200);
        }
        QCOMPARE(server.connections(), 3);
        QCOMPARE(server.heads.size(), 3);
    }

    void reusedConnectionClosedBeforeAnyByteIsResentOnce_data()
    {
        QTest::addColumn<bool>("closeTwice");
        QTest::newRow("new connection answers") << false;
        QTest::newRow("new connection closes too") << true;
    }

    void reusedConnectionClosedBeforeAnyByteIsResentOnce()
    {
        // The second request on a kept connection is met by a close without an answer (the server
        // timed the idle connection out as the request left): it goes out once more on a new one.
        QFETCH(bool, closeTwice);
        RawServer server([&](int connection, int onConnection, const QByteArray &) {
            if ((connection == 0 && onConnection == 1) || (closeTwice && connection == 1))
                return RawAnswer{{}, RawAnswer::Then::Close};
            return lengthAnswer("{}");
        });
        Sequence seq(server.url());
        QCOMPARE(seq.run(post(server.url(), 1)).httpStatus, 200);
        const HttpExchange &second = seq.run(post(server.url(), 2));
        QCOMPARE(second.transportFailed, closeTwice);
        QCOMPARE(server.connections(), 2);
        QCOMPARE(server.heads.size(), 3); // the first, the second, and the second again
        if (closeTwice)
            QVERIFY2(second.transportError.contains(u"closed before the answer"_s),
                     qPrintable(second.transportError));
        else
            QCOMPARE(second.httpStatus, 200);
    }

    void poolOpensOneConnectionPerExchangeInFlightAndReusesThem()
    {
        RawServer server([](int, int, const QByteArray &head) {
            Q_UNUSED(head);
            return lengthAnswer("{}");
        });
        QList<HttpExchange> answers;
        HttpConnectionPool pool([&](HttpExchange &&ex) { answers.append(std::move(ex)); });
        const int wave = 40;
        for (int round = 0; round < 3; ++round) {
            for (int i = 0; i < wave; ++i)
                pool.send(post(server.url(), quint64(round * wave + i + 1)));
            QVERIFY(QTest::qWaitFor([&] { return answers.size() == (round + 1) * wave; }, 20000));
        }
        QSet<quint64> ids;
        for (const HttpExchange &ex : std::as_const(answers)) {
            QVERIFY2(!ex.transportFailed, qPrintable(ex.transportError));
            ids.insert(ex.id);
        }
        QCOMPARE(ids.size(), 3 * wave);
        QCOMPARE(pool.connectionCount(), wave);
        QCOMPARE(server.connections(), wave); // the second and third waves reused the first's
        QCOMPARE(pool.busyCount(), 0);
    }

    void abortedExchangeIsNeverReported()
    {
        RawServer server([](int, int, const QByteArray &) { return RawAnswer{{}, RawAnswer::Then::Stall}; });
        QList<HttpExchange> answers;
        HttpConnectionPool pool([&](HttpExchange &&ex) { answers.append(std::move(ex)); });
        pool.send(post(server.url(), 1, 100));
        QVERIFY(QTest::qWaitFor([&] { return server.heads.size() == 1; }, 10000));
        pool.abort(1);
        QTest::qWait(300); // past the timeout the exchange would have had
        QVERIFY(answers.isEmpty());
        QCOMPARE(pool.busyCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHttpConnection)
#include "TestHttpConnection.moc"
