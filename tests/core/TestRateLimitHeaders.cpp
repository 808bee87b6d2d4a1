#include "llm/RateLimitHeaders.h"

#include <QTest>

using namespace anthology;

class TestRateLimitHeaders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void durations_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("ms"); // -1: unreadable
        QTest::newRow("seconds") << QByteArray("1s") << qint64(1000);
        QTest::newRow("minutes and seconds") << QByteArray("6m0s") << qint64(360000);
        QTest::newRow("milliseconds") << QByteArray("20ms") << qint64(20);
        QTest::newRow("fractional seconds") << QByteArray("0.5s") << qint64(500);
        QTest::newRow("hours") << QByteArray("1h2m3.5s") << qint64(3723500);
        QTest::newRow("bare seconds (Together)") << QByteArray("2") << qint64(2000);
        QTest::newRow("empty") << QByteArray() << qint64(-1);
        QTest::newRow("unknown unit") << QByteArray("3d") << qint64(-1);
        QTest::newRow("negative") << QByteArray("-1") << qint64(-1);
    }

    void durations()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, ms);
        const std::optional<qint64> parsed = RateLimitHeaders::parseDurationMs(text);
        QCOMPARE(parsed.value_or(-1), ms);
    }

    void headerStyles_data()
    {
        QTest::addColumn<QList<QByteArray>>("headers"); // name, value, name, value...
        QTest::addColumn<double>("requests");
        QTest::addColumn<double>("tokens");
        QTest::addColumn<qint64>("resetRequests");
        QTest::newRow("OpenAI") << QList<QByteArray>{"x-ratelimit-remaining-requests", "59",
                                                     "x-ratelimit-remaining-tokens",   "149984",
                                                     "x-ratelimit-reset-requests",     "1s"}
                                << 59.0 << 149984.0 << qint64(1000);
        QTest::newRow("Together") << QList<QByteArray>{"x-ratelimit-remaining",  "9",
                                                       "x-tokenlimit-remaining", "5000",
                                                       "x-ratelimit-reset",      "1"}
                                  << 9.0 << 5000.0 << qint64(1000);
        QTest::newRow("unrelated headers")
            << QList<QByteArray>{"x-request-id", "abc", "server", "x"} << -1.0 << -1.0 << qint64(-1);
    }

    void headerStyles()
    {
        QFETCH(QList<QByteArray>, headers);
        QFETCH(double, requests);
        QFETCH(double, tokens);
        QFETCH(qint64, resetRequests);
        RateLimitHeaders h;
        for (qsizetype i = 0; i + 1 < headers.size(); i += 2)
            h.read(headers.at(i), headers.at(i + 1));
        QCOMPARE(h.remainingRequests.value_or(-1), requests);
        QCOMPARE(h.remainingTokens.value_or(-1), tokens);
        QCOMPARE(h.resetRequestsMs.value_or(-1), resetRequests);
        QCOMPARE(h.isEmpty(), requests < 0 && tokens < 0);
    }
};

QTEST_GUILESS_MAIN(TestRateLimitHeaders)
#include "TestRateLimitHeaders.moc"
