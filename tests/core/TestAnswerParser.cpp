#include "prompt/AnswerParser.h"

#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

QStringList choiceSet(const QString &name)
{
    if (name == u"trust"_s)
        return {u"A great deal"_s, u"Some"_s, u"Not too much"_s, u"Not at all"_s};
    if (name == u"risk"_s)
        return {u"A great deal of health risk"_s, u"Some health risk"_s, u"Not too much health risk"_s,
                u"No health risk at all"_s};
    if (name == u"likely"_s)
        return {u"Very likely"_s, u"Somewhat likely"_s, u"Not too likely"_s, u"Not at all likely"_s};
    if (name == u"very"_s) // "Very likely" lies inside "Not very likely"
        return {u"Very likely"_s, u"Somewhat likely"_s, u"Not likely"_s, u"Not very likely"_s};
    if (name == u"money"_s)
        return {u"Less than $30,000"_s, u"$30,000 to $99,999"_s, u"$100,000 or more"_s};
    if (name == u"paren"_s)
        return {u"Yes (strongly)"_s, u"Yes (somewhat)"_s, u"No"_s};
    if (name == u"qmark"_s)
        return {u"Why not?"_s, u"Maybe"_s, u"Never"_s};
    if (name == u"yesno"_s)
        return {u"Yes"_s, u"No"_s};
    QStringList brackets; // "num13"
    for (int i = 1; i <= 13; ++i)
        brackets << u"Bracket %1"_s.arg(i);
    return brackets;
}

constexpr int same = -100;

// ours/seed: expected shown option index, -1 for non-compliant; seed = same when equal.
void row(const char *set, SymbolSet symbols, const char *answer, int ours, int seed = same,
         const char *reason = "")
{
    QTest::addRow("%s/%d/\"%s\"", set, int(symbols), answer)
        << QString::fromLatin1(set) << symbols << QString::fromUtf8(answer) << ours
        << (seed == same ? ours : seed) << QString::fromLatin1(reason);
}

} // namespace

class TestAnswerParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answers_data()
    {
        QTest::addColumn<QString>("set");
        QTest::addColumn<SymbolSet>("symbols");
        QTest::addColumn<QString>("answer");
        QTest::addColumn<int>("ours");
        QTest::addColumn<int>("seed");
        QTest::addColumn<QString>("reason");
        const auto U = SymbolSet::Uppercase, L = SymbolSet::Lowercase, N = SymbolSet::Number;

        row("trust", U, "(A) A great deal", 0);
        row("trust", U, "A great deal", 0);
        row("trust", U, " (B)", 1);
        row("trust", U, "B) Some", 1);
        row("trust", U, "Answer: C.", 2);
        row("trust", U, "[c]", -1, same, "no option symbol or label");
        row("trust", U, "A or B", -1, same, "several option symbols (A, B)");
        row("trust", U, "", -1, same, "no option symbol or label");
        row("trust", U, "Some", 1);
        row("trust", U, "I'd say b)", -1, same, "option symbol I is beyond the 4 options");
        row("trust", U, "Not at all", 3);
        row("trust", U, "(D) Not at all", 3);
        row("trust", U, "(B) Not at all", -1, same, "disagree");
        row("trust", U, "A lot", -1);
        row("trust", U, "A little", -1);
        row("trust", U, "A good amount", -1);
        row("trust", U, "A bad idea", -1);
        row("trust", U, "(E)", -1, same, "beyond the 4 options");
        row("trust", U, "Some, but not a great deal", -1, same, "several option labels");
        row("trust", U, "'C'", 2);
        row("trust", U, "\"B\"", 1);
        row("trust", U, "(A), definitely", 0);
        row("trust", U, "A, B", -1);
        row("trust", U, "The answer is (C) Not too much", 2);
        row("trust", U, "not too much", 2);
        row("trust", U, "B.", 1);
        row("trust", U, "(b)", -1);
        row("trust", U, "ABSOLUTELY (A)", 0);
        row("trust", U, "D", 3);
        row("trust", U, "(D)Not at all", 3);
        row("trust", U, "AB", -1);

        row("risk", U, "Not too much health risk", 2);
        row("risk", U, "Some health risk", 1);
        row("risk", U, "(C) Not too much health risk", 2);
        row("risk", U, "Some", -1);
        row("risk", U, "No health risk at all", 3);
        row("risk", U, "A great deal of health risk", 0);

        row("likely", U, "I think (D) Not at all likely", 3);
        row("likely", U, "Somewhat likely.", 1);
        row("likely", U, "(B) Somewhat likely", 1);
        row("likely", U, "B", 1);
        row("likely", U, "E", -1);
        row("likely", U, "I", -1, same, "option symbol I is beyond");

        row("very", U, "Not very likely", 3, -1);
        row("very", U, "(D) Not very likely", 3, 3);
        row("very", U, "Very likely", 0);
        row("very", U, "Not likely", 2);
        row("very", U, "very likely, not somewhat likely", -1);

        row("money", U, "Less than $30,000", 0, -1);
        row("money", U, "(A) Less than $30,000", 0, 0);
        row("money", U, "$100,000 or more", 2, -1);
        row("money", U, "$30,000 to $99,999", 1, -1);

        row("paren", U, "Yes (strongly)", 0, -1);
        row("paren", U, "Yes strongly", -1, 0);
        row("paren", U, "No", 2);
        row("paren", U, "(B) Yes (somewhat)", 1, 1);
        row("paren", U, "Not really", 2);

        row("qmark", U, "Why not", -1, 0);
        row("qmark", U, "Why not?", 0);

        row("yesno", U, "(A) Yes", 0);
        row("yesno", U, "(C)", -1);
        row("yesno", U, "Yes", 0);
        row("yesno", U, "No.", 1);
        row("yesno", N, "2", 1);
        row("yesno", N, "3", -1);

        row("trust", L, "I'd say b)", 1);
        row("trust", L, "[c]", 2);
        row("trust", L, "(A) A great deal", 0);
        row("trust", L, "a.", 0);
        row("trust", L, "a or b", -1);
        row("trust", L, "(e)", -1);
        row("trust", L, "It is a tough one", 0); // the article counts: documented limitation
        row("trust", L, "d) Not at all", 3);
        row("trust", L, "(B)", -1);
        row("trust", L, "don't know, c", 2);

        row("num13", N, "10", 9);
        row("num13", N, "(12)", 11);
        row("num13", N, "13.", 12);
        row("num13", N, "14", -1, same, "option symbol 14 is beyond the 13 options");
        row("num13", N, "0", -1);
        row("num13", N, "Bracket 10", 9);
        row("num13", N, "2.5", -1);
        row("num13", N, "1 or 2", -1);
        row("num13", N, "[3]", 2);
        row("num13", N, "Bracket 1", 0);
        row("num13", N, "007", 6);
        row("num13", N, "12345678901234567890", -1);
        row("num13", N, "x12", -1);
    }
    void answers()
    {
        QFETCH(QString, set);
        QFETCH(SymbolSet, symbols);
        QFETCH(QString, answer);
        QFETCH(int, ours);
        QFETCH(int, seed);
        QFETCH(QString, reason);

        const AnswerParser oursParser(choiceSet(set), {symbols, Behaviour::Ours, Behaviour::Ours});
        const ParsedAnswer r = oursParser.parse(answer);
        QCOMPARE(r.option, ours);
        QCOMPARE(r.compliant, ours >= 0);
        QCOMPARE(r.reason.isEmpty(), r.compliant);
        if (!reason.isEmpty())
            QVERIFY2(r.reason.contains(reason), qPrintable(r.reason));

        const AnswerParser seedParser(choiceSet(set), {symbols, Behaviour::Seed, Behaviour::Seed});
        QCOMPARE(seedParser.parse(answer).option, seed);
    }

    void findingsAreReported()
    {
        const AnswerParser parser(choiceSet(u"very"_s));
        const ParsedAnswer r = parser.parse(u"(D) Not very likely"_s);
        QCOMPARE(r.symbols, QStringList{u"D"_s});
        QCOMPARE(r.letter, 3);
        QCOMPARE(r.labels, QList<int>{3});
        QCOMPARE(r.text, 3);
        const ParsedAnswer beyond = parser.parse(u"(Z)"_s);
        QVERIFY(beyond.letterBeyond);
        QCOMPARE(beyond.letter, -1);
    }

    void mapsBackThroughTheRandomization()
    {
        // The model saw the options reversed: shown (A) is original option 3.
        const QStringList original = choiceSet(u"likely"_s);
        const auto order = OptionOrder::fromPattern({3, 2, 1, 0});
        QVERIFY(order.ok());
        const AnswerParser parser(order->apply(original), {}, *order);
        ParsedAnswer r = parser.parse(u"(A) Not at all likely"_s);
        QVERIFY(r.compliant);
        QCOMPARE(r.shown, 0);
        QCOMPARE(r.option, 3);
        r = parser.parse(u"Very likely"_s);
        QCOMPARE(r.shown, 3);
        QCOMPARE(r.option, 0);
        // The label and the letter are both read in shown order, so they still agree.
        QCOMPARE(parser.parse(u"(B) Not too likely"_s).option, 2);
    }

    void seedTextRuleWithLiteralLabelsIsReachableOnItsOwn()
    {
        const AnswerParser parser(choiceSet(u"very"_s),
                                  {SymbolSet::Uppercase, Behaviour::Seed, Behaviour::Ours});
        QVERIFY(!parser.parse(u"Not very likely"_s).compliant);
        const AnswerParser literalOverlap(choiceSet(u"money"_s),
                                          {SymbolSet::Uppercase, Behaviour::Seed, Behaviour::Ours});
        QCOMPARE(literalOverlap.parse(u"Less than $30,000"_s).option, 0);
    }
};

QTEST_GUILESS_MAIN(TestAnswerParser)
#include "TestAnswerParser.moc"
