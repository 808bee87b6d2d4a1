#include "backstories/TokenEstimate.h"

#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

class TestTokenEstimate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void piecesSplitLikeAPreTokenizer_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("pieces");
        QTest::newRow("empty") << QString() << 0;
        QTest::newRow("words keep their space") << u"I grew up"_s << 3;
        QTest::newRow("punctuation after a word") << u"boats."_s << 2;
        QTest::newRow("a spaced punctuation run") << u"yes -- no"_s << 3;
        QTest::newRow("contractions split off") << u"I don't, we'll"_s << 6; // I| don|'t|,| we|'ll
        QTest::newRow("curly apostrophe") << u"it\u2019s"_s << 2;
        QTest::newRow("apostrophe not a contraction") << u"rock 'n' roll"_s << 5; // rock| '|n|'| roll
        QTest::newRow("digits in threes") << u"1234567"_s << 3;
        QTest::newRow("a spaced number") << u"in 1999"_s << 3; // in| 199|9
        QTest::newRow("newlines are one run") << u"one\n\ntwo"_s << 3;
        QTest::newRow("accents stay in the word") << u"Montréal café"_s << 2;
        QTest::newRow("combining mark") << u"cafe\u0301"_s << 1;
        QTest::newRow("trailing space") << u"end "_s << 2;
    }

    void piecesSplitLikeAPreTokenizer()
    {
        QFETCH(QString, text);
        QFETCH(int, pieces);
        QCOMPARE(TokenEstimate::pieces(text), qsizetype(pieces));
    }

    void scaledKeepsTheModelsRate_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("exactText");
        QTest::addColumn<int>("exactTokens");
        QTest::addColumn<int>("expected");
        QTest::newRow("same length") << u"a b c d"_s << u"w x y z"_s << 6 << 6;
        QTest::newRow("half, rounded") << u"a b"_s << u"w x y z"_s << 7 << 4; // 3.5 rounds away from zero
        QTest::newRow("three times") << u"a b c a b c a b c"_s << u"a b c"_s << 5 << 15;
        QTest::newRow("to nothing") << QString() << u"a b c"_s << 5 << 0;
    }

    void scaledKeepsTheModelsRate()
    {
        QFETCH(QString, text);
        QFETCH(QString, exactText);
        QFETCH(int, exactTokens);
        QFETCH(int, expected);
        QCOMPARE(TokenEstimate::scaled(text, exactText, exactTokens), std::optional<qint64>(expected));
    }

    void noEstimateWithoutACount()
    {
        QVERIFY(!TokenEstimate::scaled(u"a b"_s, u"a b c"_s, std::nullopt));
        QVERIFY(!TokenEstimate::scaled(u"a b"_s, QString(), 10));
    }
};

QTEST_APPLESS_MAIN(TestTokenEstimate)
#include "TestTokenEstimate.moc"
