#include "PromptGolden.h"
#include "prompt/DemographicPromptBuilder.h"
#include "prompt/LlmParserPromptBuilder.h"

#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

DemographicQuestion genderQuestion()
{
    DemographicQuestion q;
    q.key = u"gender"_s;
    q.question = u"Which gender do you identify with?"_s;
    q.choices = {u"Male"_s, u"Female"_s, u"Prefer not to answer"_s};
    return q;
}

DemographicQuestion incomeQuestion()
{
    DemographicQuestion q;
    q.key = u"income_level_category_13"_s;
    q.question = u"What was your total family income last year?"_s;
    q.llmParserQuestion = u"What was your total family income last year, as mentioned in the essay?"_s;
    q.choices = {u"Less than $30,000"_s, u"$30,000 to less than $100,000"_s, u"$100,000 or more"_s,
                 u"Prefer not to answer"_s};
    return q;
}

McqFormat qaFormat()
{
    return McqFormat{};
}

} // namespace

class TestDemographicPrompt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void edgeCases_data()
    {
        QTest::addColumn<bool>("forcing");
        QTest::addColumn<bool>("preferNot");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("prefer-not kept") << true << true
                                         << "Question: Which gender do you identify with?\n(A) Male\n(B) "
                                            "Female\n(C) Prefer not to answer\n"
                                            "Answer with (A), (B), or (C).\nAnswer:"_ba;
        QTest::newRow("prefer-not removed leaves two options")
            << true << false
            << "Question: Which gender do you identify with?\n(A) Male\n(B) Female\nAnswer with (A), or (B).\nAnswer:"_ba;
        QTest::newRow("no answer forcing leaves a blank line")
            << false << true
            << "Question: Which gender do you identify with?\n(A) Male\n(B) Female\n(C) Prefer not to answer\n\nAnswer:"_ba;
    }
    void edgeCases()
    {
        QFETCH(bool, forcing);
        QFETCH(bool, preferNot);
        QFETCH(QByteArray, expected);
        const DemographicPromptBuilder builder(qaFormat(), forcing, preferNot);
        COMPARE_BYTES(builder.question(genderQuestion()).toUtf8(), expected);
    }

    void emptyRoles_data()
    {
        QTest::addColumn<QString>("surveyor");
        QTest::addColumn<QString>("respondent");
        QTest::addColumn<QString>("connector");
        QTest::addColumn<bool>("forcing");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("no surveyor") << QString() << u"Answer"_s << u":"_s << true
                                     << "Which gender do you identify with?\n(A) Male\n(B) Female\n"
                                        "Answer with (A), or (B).\nAnswer:"_ba;
        QTest::newRow("no connector") << u"Question"_s << u"Answer"_s << QString() << true
                                      << "Which gender do you identify with?\n(A) Male\n(B) Female\n"
                                         "Answer with (A), or (B).\nAnswer"_ba;
        QTest::newRow("no respondent")
            << u"Question"_s << QString() << u":"_s << true
            << "Question: Which gender do you identify with?\n(A) Male\n(B) Female\n"
               "Answer with (A), or (B)."_ba;
        QTest::newRow("all empty, no forcing: stripped")
            << QString() << QString() << QString() << false
            << "Which gender do you identify with?\n(A) Male\n(B) Female"_ba;
    }
    void emptyRoles()
    {
        QFETCH(QString, surveyor);
        QFETCH(QString, respondent);
        QFETCH(QString, connector);
        QFETCH(bool, forcing);
        QFETCH(QByteArray, expected);
        McqFormat f;
        f.roles = RoleFormat{surveyor, respondent, connector};
        const DemographicPromptBuilder builder(f, forcing, false);
        COMPARE_BYTES(builder.question(genderQuestion()).toUtf8(), expected);
    }

    void thirteenOptionsNumbered()
    {
        DemographicQuestion q;
        q.question = u"Pick one."_s;
        for (int i = 1; i <= 13; ++i)
            q.choices << u"Option %1"_s.arg(i);
        McqFormat f;
        f.symbol = SymbolSet::Number;
        f.choice = ChoiceFormat{QString(), u"."_s};
        const DemographicPromptBuilder builder(f);
        COMPARE_BYTES(builder.question(q).toUtf8(),
                      "Question: Pick one.\n1. Option 1\n2. Option 2\n3. Option 3\n4. Option 4\n5. Option 5\n"
                      "6. Option 6\n7. Option 7\n8. Option 8\n9. Option 9\n10. Option 10\n11. Option 11\n"
                      "12. Option 12\n13. Option 13\n"
                      "Answer with 1., 2., 3., 4., 5., 6., 7., 8., 9., 10., 11., 12., or 13.\nAnswer:"_ba);
    }

    void promptAfterBackstoryGolden()
    {
        DemographicQuestion q;
        q.key = u"region"_s;
        q.question = u"In which region of the country do you live?"_s;
        q.choices = {u"Northeast"_s, u"Midwest"_s, u"South"_s, u"West"_s, u"Prefer not to answer"_s};
        McqFormat f;
        f.symbol = SymbolSet::Number;
        f.choice = ChoiceFormat{u"["_s, u"]"_s};
        f.roles = RoleFormat{u"Interviewer"_s, u"Interviewee"_s, u":"_s};
        const DemographicPromptBuilder builder(f, true, false);
        const QString backstory =
            u"\n  Question: Tell me about yourself.\n\nAnswer: I was raised on a farm near the lake. \n"_s;
        COMPARE_GOLDEN(builder.prompt(backstory, q).toUtf8(), u"demographic_region_after_backstory.txt"_s);
        QCOMPARE(builder.stops(), (QStringList{u"\n"_s, u"Interviewer"_s}));
    }

    void chatMessages()
    {
        McqFormat f;
        f.roles = RoleFormat{QString(), QString(), QString()};
        const DemographicPromptBuilder builder(f, true, false);
        const auto messages =
            builder.messages(u"You are a survey respondent."_s, u"I am Ana. "_s, genderQuestion());
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages.at(0), ChatMessage::system(u"You are a survey respondent."_s));
        QCOMPARE(messages.at(1).role, u"user"_s);
        COMPARE_BYTES(
            messages.at(1).content.toUtf8(),
            "I am Ana.\n\nWhich gender do you identify with?\n(A) Male\n(B) Female\nAnswer with (A), or (B)."_ba);
        QCOMPARE(builder.messages(QString(), u"x"_s, genderQuestion()).size(), 1);
        QCOMPARE(builder.stops(), QStringList{u"\n"_s});
    }

    void llmParserMessagesGolden()
    {
        const LlmParserPromptBuilder builder;
        const QString backstory =
            u"Question: Tell me about yourself.\n\nAnswer: I run a bakery and earn about sixty thousand a year.\n"_s;
        COMPARE_GOLDEN(ChatMessage::toJson(builder.messages(backstory, incomeQuestion())),
                       u"llm_parser_income_messages.json"_s);
    }

    void llmParserChoicesAndMention()
    {
        const LlmParserPromptBuilder builder;
        const QStringList choices = builder.choices(incomeQuestion());
        QCOMPARE(choices.constLast(), u"Was not mentioned"_s);
        QCOMPARE(choices.size(), 4);
        QVERIFY(builder.isMentioned(incomeQuestion(), 1));
        QVERIFY(!builder.isMentioned(incomeQuestion(), 3));
        QVERIFY(!builder.isMentioned(incomeQuestion(), -1));
        QVERIFY(!LlmParserPromptBuilder::seedUsesParserFor(u"race"_s));
        QVERIFY(!LlmParserPromptBuilder::seedUsesParserFor(u"gender"_s));
        QVERIFY(!LlmParserPromptBuilder::seedUsesParserFor(u"religion"_s));
        QVERIFY(LlmParserPromptBuilder::seedUsesParserFor(u"income_level_category_13"_s));
    }

    void llmParserFallsBackToQuestionAndKeepsSurveyorWordsElsewhere()
    {
        DemographicQuestion q = genderQuestion();
        const LlmParserPromptBuilder builder(RoleFormat{u"Interviewer"_s, u"Interviewee"_s, u":"_s});
        COMPARE_BYTES(builder.essay(u"Interviewer: hi\nInterviewee: Question time"_s).toUtf8(),
                      "Essay: hi\nInterviewee: Question time"_ba);
        COMPARE_BYTES(
            builder.question(q).toUtf8(),
            "Interviewer: Which gender do you identify with?\n(A) Male\n(B) Female\n(C) Was not mentioned\n"
            "First, provide evidence that is mentioned in the text. If the answer was not mentioned, select "
            "'Was not mentioned'. Next, answer with (A), (B), or (C).\nInterviewee:"_ba);
    }
};

QTEST_GUILESS_MAIN(TestDemographicPrompt)
#include "TestDemographicPrompt.moc"
