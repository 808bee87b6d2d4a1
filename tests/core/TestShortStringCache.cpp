#include "util/SeededRandom.h"
#include "util/ShortStringCache.h"

#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

// The cache stands in for QString::fromUtf8 on the response parser's and the run store's paths:
// whatever it returns must be exactly what fromUtf8 returns for the same bytes, whatever was asked
// before (repeats, slots taken over by other strings, long strings it never keeps).
class TestShortStringCache : public QObject
{
    Q_OBJECT

private slots:
    void readsAsFromUtf8();
    void repeatsShareOneString();
    void manyDistinctStringsStayCorrect();
};

void TestShortStringCache::readsAsFromUtf8()
{
    ShortStringCache cache;
    const QList<QByteArray> texts{
        QByteArray(""),
        QByteArray(" A"),
        QByteArray("stop"),
        QByteArray("\xef\xbb\xbf") + "A",           // a leading byte order mark, as fromUtf8 takes it
        QByteArray("caf\xc3\xa9 \xf0\x9f\x98\x80"), // two- and four-byte sequences
        QByteArray("\xff\xfe bad"),                 // invalid UTF-8: fromUtf8's replacement characters
        QByteArray(ShortStringCache::kMaxBytes, 'x'),
        QByteArray(ShortStringCache::kMaxBytes + 1, 'y'), // decoded, never kept
    };
    for (int round = 0; round < 2; ++round) {
        for (const QByteArray &text : texts) {
            const QString got = cache.fromUtf8(text);
            const QString want = QString::fromUtf8(text);
            QCOMPARE(got, want);
            QCOMPARE(got.isNull(), want.isNull());
            QCOMPARE(got.size(), want.size());
        }
    }
}

void TestShortStringCache::repeatsShareOneString()
{
    ShortStringCache cache;
    const QString first = cache.fromUtf8(" alt7");
    const QString again = cache.fromUtf8(QByteArray(" alt7"));
    QCOMPARE(again, u" alt7"_s);
    QVERIFY(again.isSharedWith(first)); // no second decode
    const QString longer = QString(ShortStringCache::kMaxBytes + 1, u'z');
    QVERIFY(!cache.fromUtf8(longer.toUtf8()).isSharedWith(cache.fromUtf8(longer.toUtf8())));
}

void TestShortStringCache::manyDistinctStringsStayCorrect()
{
    // Far more distinct strings than slots, asked in a random order with repeats: slots change
    // hands all the time, and every answer must still be the bytes' own text.
    ShortStringCache cache;
    SeededRandom random(7);
    for (int i = 0; i < 20000; ++i) {
        const QByteArray text = "t" + QByteArray::number(int(random.below(3000)));
        QCOMPARE(cache.fromUtf8(text), QString::fromLatin1(text));
    }
}

QTEST_GUILESS_MAIN(TestShortStringCache)
#include "TestShortStringCache.moc"
