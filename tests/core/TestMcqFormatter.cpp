#include "PromptGolden.h"
#include "prompt/DemographicPromptBuilder.h"
#include "prompt/McqFormatter.h"

#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

ChoiceFormat choiceFormat(const QString &name)
{
    if (name == u"curved_bracket"_s)
        return {u"("_s, u")"_s};
    if (name == u"bracket"_s)
        return {u"["_s, u"]"_s};
    if (name == u"dot"_s)
        return {QString(), u"."_s};
    return {QString(), QString()};
}

RoleFormat roleFormat(const QString &name)
{
    if (name == u"question_answer"_s)
        return {u"Question"_s, u"Answer"_s, u":"_s};
    if (name == u"surveyor_respondent"_s)
        return {u"Surveyor"_s, u"Respondent"_s, u":"_s};
    if (name == u"interviewer_interviewee"_s)
        return {u"Interviewer"_s, u"Interviewee"_s, u":"_s};
    return {QString(), QString(), QString()};
}

DemographicQuestion ageQuestion()
{
    DemographicQuestion q;
    q.key = u"age_category_3"_s;
    q.question = u"What is your age?"_s;
    q.choices = {u"18-29"_s, u"30-49"_s, u"50 or older"_s};
    return q;
}

McqFormat format(SymbolSet s, const QString &choice, const QString &roles,
                 Behaviour forcing = Behaviour::Ours)
{
    McqFormat f;
    f.symbol = s;
    f.choice = choiceFormat(choice);
    f.roles = roleFormat(roles);
    f.forcing = forcing;
    return f;
}

void row(SymbolSet s, const char *choice, const char *roles, const char *expected)
{
    QTest::addRow("%d/%s/%s", int(s), choice, roles)
        << s << QString::fromLatin1(choice) << QString::fromLatin1(roles) << QByteArray(expected);
}

} // namespace

class TestMcqFormatter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void symbols_data()
    {
        QTest::addColumn<SymbolSet>("set");
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("symbol");
        QTest::newRow("upper first") << SymbolSet::Uppercase << 0 << u"A"_s;
        QTest::newRow("upper 13th") << SymbolSet::Uppercase << 12 << u"M"_s;
        QTest::newRow("lower first") << SymbolSet::Lowercase << 0 << u"a"_s;
        QTest::newRow("lower 13th") << SymbolSet::Lowercase << 12 << u"m"_s;
        QTest::newRow("number first") << SymbolSet::Number << 0 << u"1"_s;
        QTest::newRow("number 10th") << SymbolSet::Number << 9 << u"10"_s;
        QTest::newRow("number 13th") << SymbolSet::Number << 12 << u"13"_s;
    }
    void symbols()
    {
        QFETCH(SymbolSet, set);
        QFETCH(int, index);
        QFETCH(QString, symbol);
        QCOMPARE(McqFormatter::symbol(set, index), symbol);
    }

    // Every symbol set x choice format x turn style, answer forcing ours, typed from METHOD.md 4.
    void allFormatCombinations_data()
    {
        QTest::addColumn<SymbolSet>("set");
        QTest::addColumn<QString>("choice");
        QTest::addColumn<QString>("roles");
        QTest::addColumn<QByteArray>("expected");
        row(SymbolSet::Uppercase, "curved_bracket", "question_answer",
            "Question: What is your age?\n(A) 18-29\n(B) 30-49\n(C) 50 or older\nAnswer with (A), (B), or "
            "(C).\nAnswer:");
        row(SymbolSet::Uppercase, "curved_bracket", "surveyor_respondent",
            "Surveyor: What is your age?\n(A) 18-29\n(B) 30-49\n(C) 50 or older\nAnswer with (A), (B), or "
            "(C).\nRespondent:");
        row(SymbolSet::Uppercase, "curved_bracket", "interviewer_interviewee",
            "Interviewer: What is your age?\n(A) 18-29\n(B) 30-49\n(C) 50 or older\nAnswer with (A), (B), or "
            "(C).\nInterviewee:");
        row(SymbolSet::Uppercase, "curved_bracket", "multiturn_chat",
            "What is your age?\n(A) 18-29\n(B) 30-49\n(C) 50 or older\nAnswer with (A), (B), or (C).");
        row(SymbolSet::Uppercase, "bracket", "question_answer",
            "Question: What is your age?\n[A] 18-29\n[B] 30-49\n[C] 50 or older\nAnswer with [A], [B], or "
            "[C].\nAnswer:");
        row(SymbolSet::Uppercase, "bracket", "surveyor_respondent",
            "Surveyor: What is your age?\n[A] 18-29\n[B] 30-49\n[C] 50 or older\nAnswer with [A], [B], or "
            "[C].\nRespondent:");
        row(SymbolSet::Uppercase, "bracket", "interviewer_interviewee",
            "Interviewer: What is your age?\n[A] 18-29\n[B] 30-49\n[C] 50 or older\nAnswer with [A], [B], or "
            "[C].\nInterviewee:");
        row(SymbolSet::Uppercase, "bracket", "multiturn_chat",
            "What is your age?\n[A] 18-29\n[B] 30-49\n[C] 50 or older\nAnswer with [A], [B], or [C].");
        row(SymbolSet::Uppercase, "dot", "question_answer",
            "Question: What is your age?\nA. 18-29\nB. 30-49\nC. 50 or older\nAnswer with A., B., or "
            "C.\nAnswer:");
        row(SymbolSet::Uppercase, "dot", "surveyor_respondent",
            "Surveyor: What is your age?\nA. 18-29\nB. 30-49\nC. 50 or older\nAnswer with A., B., or "
            "C.\nRespondent:");
        row(SymbolSet::Uppercase, "dot", "interviewer_interviewee",
            "Interviewer: What is your age?\nA. 18-29\nB. 30-49\nC. 50 or older\nAnswer with A., B., or "
            "C.\nInterviewee:");
        row(SymbolSet::Uppercase, "dot", "multiturn_chat",
            "What is your age?\nA. 18-29\nB. 30-49\nC. 50 or older\nAnswer with A., B., or C.");
        row(SymbolSet::Uppercase, "space", "question_answer",
            "Question: What is your age?\nA 18-29\nB 30-49\nC 50 or older\nAnswer with A, B, or C.\nAnswer:");
        row(SymbolSet::Uppercase, "space", "surveyor_respondent",
            "Surveyor: What is your age?\nA 18-29\nB 30-49\nC 50 or older\nAnswer with A, B, or "
            "C.\nRespondent:");
        row(SymbolSet::Uppercase, "space", "interviewer_interviewee",
            "Interviewer: What is your age?\nA 18-29\nB 30-49\nC 50 or older\nAnswer with A, B, or "
            "C.\nInterviewee:");
        row(SymbolSet::Uppercase, "space", "multiturn_chat",
            "What is your age?\nA 18-29\nB 30-49\nC 50 or older\nAnswer with A, B, or C.");
        row(SymbolSet::Lowercase, "curved_bracket", "question_answer",
            "Question: What is your age?\n(a) 18-29\n(b) 30-49\n(c) 50 or older\nAnswer with (a), (b), or "
            "(c).\nAnswer:");
        row(SymbolSet::Lowercase, "curved_bracket", "surveyor_respondent",
            "Surveyor: What is your age?\n(a) 18-29\n(b) 30-49\n(c) 50 or older\nAnswer with (a), (b), or "
            "(c).\nRespondent:");
        row(SymbolSet::Lowercase, "curved_bracket", "interviewer_interviewee",
            "Interviewer: What is your age?\n(a) 18-29\n(b) 30-49\n(c) 50 or older\nAnswer with (a), (b), or "
            "(c).\nInterviewee:");
        row(SymbolSet::Lowercase, "curved_bracket", "multiturn_chat",
            "What is your age?\n(a) 18-29\n(b) 30-49\n(c) 50 or older\nAnswer with (a), (b), or (c).");
        row(SymbolSet::Lowercase, "bracket", "question_answer",
            "Question: What is your age?\n[a] 18-29\n[b] 30-49\n[c] 50 or older\nAnswer with [a], [b], or "
            "[c].\nAnswer:");
        row(SymbolSet::Lowercase, "bracket", "surveyor_respondent",
            "Surveyor: What is your age?\n[a] 18-29\n[b] 30-49\n[c] 50 or older\nAnswer with [a], [b], or "
            "[c].\nRespondent:");
        row(SymbolSet::Lowercase, "bracket", "interviewer_interviewee",
            "Interviewer: What is your age?\n[a] 18-29\n[b] 30-49\n[c] 50 or older\nAnswer with [a], [b], or "
            "[c].\nInterviewee:");
        row(SymbolSet::Lowercase, "bracket", "multiturn_chat",
            "What is your age?\n[a] 18-29\n[b] 30-49\n[c] 50 or older\nAnswer with [a], [b], or [c].");
        row(SymbolSet::Lowercase, "dot", "question_answer",
            "Question: What is your age?\na. 18-29\nb. 30-49\nc. 50 or older\nAnswer with a., b., or "
            "c.\nAnswer:");
        row(SymbolSet::Lowercase, "dot", "surveyor_respondent",
            "Surveyor: What is your age?\na. 18-29\nb. 30-49\nc. 50 or older\nAnswer with a., b., or "
            "c.\nRespondent:");
        row(SymbolSet::Lowercase, "dot", "interviewer_interviewee",
            "Interviewer: What is your age?\na. 18-29\nb. 30-49\nc. 50 or older\nAnswer with a., b., or "
            "c.\nInterviewee:");
        row(SymbolSet::Lowercase, "dot", "multiturn_chat",
            "What is your age?\na. 18-29\nb. 30-49\nc. 50 or older\nAnswer with a., b., or c.");
        row(SymbolSet::Lowercase, "space", "question_answer",
            "Question: What is your age?\na 18-29\nb 30-49\nc 50 or older\nAnswer with a, b, or c.\nAnswer:");
        row(SymbolSet::Lowercase, "space", "surveyor_respondent",
            "Surveyor: What is your age?\na 18-29\nb 30-49\nc 50 or older\nAnswer with a, b, or "
            "c.\nRespondent:");
        row(SymbolSet::Lowercase, "space", "interviewer_interviewee",
            "Interviewer: What is your age?\na 18-29\nb 30-49\nc 50 or older\nAnswer with a, b, or "
            "c.\nInterviewee:");
        row(SymbolSet::Lowercase, "space", "multiturn_chat",
            "What is your age?\na 18-29\nb 30-49\nc 50 or older\nAnswer with a, b, or c.");
        row(SymbolSet::Number, "curved_bracket", "question_answer",
            "Question: What is your age?\n(1) 18-29\n(2) 30-49\n(3) 50 or older\nAnswer with (1), (2), or "
            "(3).\nAnswer:");
        row(SymbolSet::Number, "curved_bracket", "surveyor_respondent",
            "Surveyor: What is your age?\n(1) 18-29\n(2) 30-49\n(3) 50 or older\nAnswer with (1), (2), or "
            "(3).\nRespondent:");
        row(SymbolSet::Number, "curved_bracket", "interviewer_interviewee",
            "Interviewer: What is your age?\n(1) 18-29\n(2) 30-49\n(3) 50 or older\nAnswer with (1), (2), or "
            "(3).\nInterviewee:");
        row(SymbolSet::Number, "curved_bracket", "multiturn_chat",
            "What is your age?\n(1) 18-29\n(2) 30-49\n(3) 50 or older\nAnswer with (1), (2), or (3).");
        row(SymbolSet::Number, "bracket", "question_answer",
            "Question: What is your age?\n[1] 18-29\n[2] 30-49\n[3] 50 or older\nAnswer with [1], [2], or "
            "[3].\nAnswer:");
        row(SymbolSet::Number, "bracket", "surveyor_respondent",
            "Surveyor: What is your age?\n[1] 18-29\n[2] 30-49\n[3] 50 or older\nAnswer with [1], [2], or "
            "[3].\nRespondent:");
        row(SymbolSet::Number, "bracket", "interviewer_interviewee",
            "Interviewer: What is your age?\n[1] 18-29\n[2] 30-49\n[3] 50 or older\nAnswer with [1], [2], or "
            "[3].\nInterviewee:");
        row(SymbolSet::Number, "bracket", "multiturn_chat",
            "What is your age?\n[1] 18-29\n[2] 30-49\n[3] 50 or older\nAnswer with [1], [2], or [3].");
        row(SymbolSet::Number, "dot", "question_answer",
            "Question: What is your age?\n1. 18-29\n2. 30-49\n3. 50 or older\nAnswer with 1., 2., or "
            "3.\nAnswer:");
        row(SymbolSet::Number, "dot", "surveyor_respondent",
            "Surveyor: What is your age?\n1. 18-29\n2. 30-49\n3. 50 or older\nAnswer with 1., 2., or "
            "3.\nRespondent:");
        row(SymbolSet::Number, "dot", "interviewer_interviewee",
            "Interviewer: What is your age?\n1. 18-29\n2. 30-49\n3. 50 or older\nAnswer with 1., 2., or "
            "3.\nInterviewee:");
        row(SymbolSet::Number, "dot", "multiturn_chat",
            "What is your age?\n1. 18-29\n2. 30-49\n3. 50 or older\nAnswer with 1., 2., or 3.");
        row(SymbolSet::Number, "space", "question_answer",
            "Question: What is your age?\n1 18-29\n2 30-49\n3 50 or older\nAnswer with 1, 2, or 3.\nAnswer:");
        row(SymbolSet::Number, "space", "surveyor_respondent",
            "Surveyor: What is your age?\n1 18-29\n2 30-49\n3 50 or older\nAnswer with 1, 2, or "
            "3.\nRespondent:");
        row(SymbolSet::Number, "space", "interviewer_interviewee",
            "Interviewer: What is your age?\n1 18-29\n2 30-49\n3 50 or older\nAnswer with 1, 2, or "
            "3.\nInterviewee:");
        row(SymbolSet::Number, "space", "multiturn_chat",
            "What is your age?\n1 18-29\n2 30-49\n3 50 or older\nAnswer with 1, 2, or 3.");
    }
    void allFormatCombinations()
    {
        QFETCH(SymbolSet, set);
        QFETCH(QString, choice);
        QFETCH(QString, roles);
        QFETCH(QByteArray, expected);
        const DemographicPromptBuilder builder(format(set, choice, roles));
        COMPARE_BYTES(builder.question(ageQuestion()).toUtf8(), expected);
    }

    // The seed's forcing line always reads "(A)"-style, whatever the choices look like.
    void seedForcing_data()
    {
        QTest::addColumn<SymbolSet>("set");
        QTest::addColumn<QString>("choice");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("lower dot") << SymbolSet::Lowercase << u"dot"_s
                                   << "Question: What is your age?\na. 18-29\nb. 30-49\nc. 50 or older\n"
                                      "Answer with (A), (B), or (C).\nAnswer:"_ba;
        QTest::newRow("number bracket")
            << SymbolSet::Number << u"bracket"_s
            << "Question: What is your age?\n[1] 18-29\n[2] 30-49\n[3] 50 or older\n"
               "Answer with (A), (B), or (C).\nAnswer:"_ba;
        QTest::newRow("upper space") << SymbolSet::Uppercase << u"space"_s
                                     << "Question: What is your age?\nA 18-29\nB 30-49\nC 50 or older\n"
                                        "Answer with (A), (B), or (C).\nAnswer:"_ba;
    }
    void seedForcing()
    {
        QFETCH(SymbolSet, set);
        QFETCH(QString, choice);
        QFETCH(QByteArray, expected);
        const DemographicPromptBuilder builder(format(set, choice, u"question_answer"_s, Behaviour::Seed));
        COMPARE_BYTES(builder.question(ageQuestion()).toUtf8(), expected);
    }

    void forcingLine_data()
    {
        QTest::addColumn<SymbolSet>("set");
        QTest::addColumn<QString>("choice");
        QTest::addColumn<int>("behaviour");
        QTest::addColumn<int>("k");
        QTest::addColumn<QString>("expected");
        QTest::newRow("one option") << SymbolSet::Uppercase << u"curved_bracket"_s << 0 << 1
                                    << u"Answer with (A)."_s;
        QTest::newRow("two options") << SymbolSet::Uppercase << u"curved_bracket"_s << 0 << 2
                                     << u"Answer with (A), or (B)."_s;
        QTest::newRow("two lowercase dot")
            << SymbolSet::Lowercase << u"dot"_s << 0 << 2 << u"Answer with a., or b."_s;
        QTest::newRow("two lowercase dot seed")
            << SymbolSet::Lowercase << u"dot"_s << 1 << 2 << u"Answer with (A), or (B)."_s;
        QTest::newRow("13 upper")
            << SymbolSet::Uppercase << u"curved_bracket"_s << 0 << 13
            << u"Answer with (A), (B), (C), (D), (E), (F), (G), (H), (I), (J), (K), (L), or (M)."_s;
        QTest::newRow("13 numbers dot")
            << SymbolSet::Number << u"dot"_s << 0 << 13
            << u"Answer with 1., 2., 3., 4., 5., 6., 7., 8., 9., 10., 11., 12., or 13."_s;
        QTest::newRow("13 numbers dot seed")
            << SymbolSet::Number << u"dot"_s << 1 << 13
            << u"Answer with (A), (B), (C), (D), (E), (F), (G), (H), (I), (J), (K), (L), or (M)."_s;
    }
    void forcingLine()
    {
        QFETCH(SymbolSet, set);
        QFETCH(QString, choice);
        QFETCH(int, behaviour);
        QFETCH(int, k);
        QFETCH(QString, expected);
        const McqFormatter f(set, choiceFormat(choice), behaviour ? Behaviour::Seed : Behaviour::Ours);
        QCOMPARE(f.forcingLine(k), expected);
    }

    void thirteenNumberedChoices()
    {
        QStringList choices;
        for (int i = 1; i <= 13; ++i)
            choices << u"Bracket %1"_s.arg(i);
        const McqFormatter f(SymbolSet::Number, choiceFormat(u"dot"_s));
        const QString lines = f.choiceLines(choices);
        QCOMPARE(lines.split(u'\n').size(), 13);
        QCOMPARE(lines.split(u'\n').at(9), u"10. Bracket 10"_s);
        QCOMPARE(lines.split(u'\n').at(12), u"13. Bracket 13"_s);
        QVERIFY(lines.startsWith(u"1. Bracket 1\n2. Bracket 2\n"_s));
        QVERIFY(!lines.endsWith(u'\n'));
    }
};

QTEST_GUILESS_MAIN(TestMcqFormatter)
#include "TestMcqFormatter.moc"
