#include "llm/AimdWindow.h"
#include "llm/RetryPolicy.h"
#include "llm/TokenBucket.h"
#include "util/SeededRandom.h"

#include <QLocale>
#include <QTest>
#include <QTimeZone>

using namespace anthology;
using namespace Qt::StringLiterals;

class TestRetryPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void retryableStatuses_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("retryable");
        for (int s : {408, 409, 429, 500, 502, 503, 504, 599})
            QTest::addRow("%d", s) << s << true;
        for (int s : {400, 401, 403, 404, 422, 301})
            QTest::addRow("%d", s) << s << false;
    }

    void retryableStatuses()
    {
        QFETCH(int, status);
        QFETCH(bool, retryable);
        QCOMPARE(RetryPolicy::isRetryableStatus(status), retryable);
    }

    void backoffStaysWithinTheDoublingWindow_data()
    {
        QTest::addColumn<int>("retry");
        QTest::addColumn<qint64>("ceiling");
        QTest::newRow("1") << 1 << qint64(100);
        QTest::newRow("2") << 2 << qint64(200);
        QTest::newRow("4") << 4 << qint64(800);
        QTest::newRow("capped") << 12 << qint64(5000);
        QTest::newRow("far beyond, no overflow") << 200 << qint64(5000);
    }

    void backoffStaysWithinTheDoublingWindow()
    {
        QFETCH(int, retry);
        QFETCH(qint64, ceiling);
        RetryPolicy policy;
        policy.baseDelayMs = 100;
        policy.maxDelayMs = 5000;
        QCOMPARE(policy.backoffCeilingMs(retry), ceiling);
        SeededRandom random(retry);
        qint64 low = ceiling, high = 0;
        for (int i = 0; i < 2000; ++i) {
            const qint64 d = policy.backoffMs(retry, random);
            QVERIFY(d >= 0 && d <= ceiling);
            low = qMin(low, d);
            high = qMax(high, d);
        }
        // Full jitter spreads over the whole window, not just its top.
        QVERIFY(low < ceiling / 10);
        QVERIFY(high > ceiling * 9 / 10);
    }

    void retryAfter_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<qint64>("expectedMs"); // -1: none
        QTest::newRow("seconds") << QByteArray("7") << qint64(7000);
        QTest::newRow("zero") << QByteArray("0") << qint64(0);
        QTest::newRow("fractional seconds") << QByteArray(" 1.5 ") << qint64(1500);
        QTest::newRow("HTTP date 90 s ahead") << QByteArray("Sun, 06 Nov 2033 08:50:27 GMT") << qint64(90000);
        QTest::newRow("HTTP date in the past") << QByteArray("Sun, 06 Nov 2033 08:40:00 GMT") << qint64(0);
        QTest::newRow("absent") << QByteArray() << qint64(-1);
        QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
        QTest::newRow("negative") << QByteArray("-3") << qint64(-1);
    }

    void retryAfter()
    {
        QFETCH(QByteArray, header);
        QFETCH(qint64, expectedMs);
        const QDateTime now(QDate(2033, 11, 6), QTime(8, 48, 57), QTimeZone::utc());
        const std::optional<qint64> ms = RetryPolicy::parseRetryAfter(header, now);
        QCOMPARE(ms.value_or(-1), expectedMs);
    }

    void retryAfterWinsOverBackoff()
    {
        RetryPolicy policy;
        policy.baseDelayMs = 10;
        policy.maxRetryAfterMs = 60000;
        SeededRandom random(1);
        QCOMPARE(policy.delayMs(1, 3000, random), qint64(3000));
        QCOMPARE(policy.delayMs(1, 600000, random), qint64(60000));
        QVERIFY(policy.delayMs(1, std::nullopt, random) <= 10);
    }

    void tokenBucketPacesToTheRate()
    {
        TokenBucket bucket(60); // one per second
        for (int i = 0; i < 60; ++i) {
            QCOMPARE(bucket.waitMs(1, 0), qint64(0));
            bucket.take(1, 0);
        }
        QCOMPARE(bucket.waitMs(1, 0), qint64(1000));
        QCOMPARE(bucket.waitMs(1, 500), qint64(500));
        QCOMPARE(bucket.waitMs(1, 1000), qint64(0));
        QCOMPARE(TokenBucket().waitMs(1e9, 0), qint64(0));
    }

    void aimdHalvesOnThrottleAndRecoversGradually()
    {
        AimdWindow w(64);
        QCOMPARE(w.current(), 64);
        QVERIFY(w.onThrottled(0));
        QCOMPARE(w.current(), 32);
        QVERIFY(!w.onThrottled(10)); // one decrease per cool-down
        QVERIFY(w.onThrottled(2000));
        QCOMPARE(w.current(), 16);
        for (int i = 0; i < 15; ++i)
            w.onSuccess();
        QCOMPARE(w.current(), 16); // not yet a window's worth of successes
        w.onSuccess();
        w.onSuccess();
        QCOMPARE(w.current(), 17); // about one more per window of successes
        for (int i = 0; i < 10000; ++i)
            w.onSuccess();
        QCOMPARE(w.current(), 64);
        AimdWindow one(4);
        for (int i = 0; i < 10; ++i)
            one.onThrottled(i * 5000);
        QCOMPARE(one.current(), 1);
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "TestRetryPolicy.moc"
