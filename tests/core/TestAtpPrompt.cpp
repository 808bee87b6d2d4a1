#include "PromptGolden.h"
#include "prompt/AtpPromptBuilder.h"
#include "prompt/OptionOrder.h"
#include "prompt/SurveyConversation.h"
#include "survey/SurveyTypes.h"

#include <QSet>
#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

const QString kConsistency = u"Please answer the following question keeping in mind your previous answers."_s;

// Passed with surrounding whitespace on purpose: the conversation strips it.
const QString kPassage = u"\n Question: Tell me about yourself. How old are you? Where did you grow up? What "
                         u"events made you who you are? "
                         u"What matters to you and what do you enjoy?\n\nAnswer: I grew up in a small town "
                         u"by the river. I am 42 and I "
                         u"teach music.  \n"_s;

QList<Question> questions()
{
    Question trust{u"TRUST_W1"_s,
                   u"How much do you trust the weather forecast?"_s,
                   {u"A great deal"_s, u"Some"_s, u"Not too much"_s, u"Not at all"_s},
                   false,
                   {}};
    Question risk{u"RISK_W1"_s,
                  u"How much risk does eating late at night pose to health?"_s,
                  {u"A great deal of health risk"_s, u"Some health risk"_s, u"Not too much health risk"_s,
                   u"No health risk at all"_s},
                  false,
                  {}};
    Question likely{u"LIKELY_W1"_s,
                    u"How likely are you to plant a tree this year?"_s,
                    {u"Very likely"_s, u"Somewhat likely"_s, u"Not too likely"_s, u"Not at all likely"_s},
                    true,
                    {{0, 1, 2, 3}, {3, 2, 1, 0}}};
    return {trust, risk, likely};
}

const QStringList kAnswers = {u" (B) Some"_s, u" (C) Not too much health risk  "_s, u" A"_s};

// Runs the three questions; returns every prompt sent.
QStringList runCompletion(bool inSeries, bool nothing, const QString &passage)
{
    const AtpPromptBuilder builder({kConsistency, true, inSeries, nothing});
    SurveyConversation conversation(inSeries);
    conversation.start(passage);
    QStringList sent;
    const auto qs = questions();
    for (int i = 0; i < qs.size(); ++i) {
        sent << conversation.nextPrompt(builder.question(qs[i].body, qs[i].choices, i));
        conversation.recordAnswer(kAnswers.at(i));
    }
    return sent;
}

} // namespace

class TestAtpPrompt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void questionText_data()
    {
        QTest::addColumn<QString>("consistency");
        QTest::addColumn<bool>("forcing");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("consistency and forcing") << kConsistency << true
                                                 << "Please answer the following question keeping in mind "
                                                    "your previous answers.\nQuestion: Is it raining?\n"
                                                    "(A) Yes\n(B) No\nAnswer with (A), or (B).\nAnswer:"_ba;
        QTest::newRow("no consistency: stripped at the start")
            << QString() << true
            << "Question: Is it raining?\n(A) Yes\n(B) No\nAnswer with (A), or (B).\nAnswer:"_ba;
        QTest::newRow("no forcing: blank line before Answer")
            << QString() << false << "Question: Is it raining?\n(A) Yes\n(B) No\n\nAnswer:"_ba;
    }
    void questionText()
    {
        QFETCH(QString, consistency);
        QFETCH(bool, forcing);
        QFETCH(QByteArray, expected);
        const AtpPromptBuilder builder({consistency, forcing, true, false});
        COMPARE_BYTES(builder.question(u"Is it raining?"_s, {u"Yes"_s, u"No"_s}, 0).toUtf8(), expected);
    }

    void consistencyRules_data()
    {
        QTest::addColumn<bool>("inSeries");
        QTest::addColumn<bool>("nothing");
        QTest::addColumn<int>("askedIndex");
        QTest::addColumn<bool>("included");
        QTest::newRow("backstory, series, first") << true << false << 0 << true;
        QTest::newRow("backstory, series, later") << true << false << 2 << true;
        QTest::newRow("backstory, independent, first") << false << false << 0 << true;
        QTest::newRow("backstory, independent, later") << false << false << 1 << true;
        QTest::newRow("nothing, series, first") << true << true << 0 << false;
        QTest::newRow("nothing, series, later") << true << true << 1 << true;
        QTest::newRow("nothing, independent, first") << false << true << 0 << false;
        QTest::newRow("nothing, independent, later") << false << true << 1 << false;
    }
    void consistencyRules()
    {
        QFETCH(bool, inSeries);
        QFETCH(bool, nothing);
        QFETCH(int, askedIndex);
        QFETCH(bool, included);
        const AtpPromptBuilder builder({kConsistency, true, inSeries, nothing});
        QCOMPARE(builder.consistencyFor(askedIndex), included ? kConsistency : QString());
        QCOMPARE(builder.question(u"Q?"_s, {u"x"_s, u"y"_s}, askedIndex).startsWith(kConsistency), included);
    }

    void inSeriesAccumulatesAnswers()
    {
        const QStringList sent = runCompletion(true, false, kPassage);
        COMPARE_GOLDEN(sent.at(2).toUtf8(), u"atp_in_series_prompt3.txt"_s);
        // Every prompt extends the previous one (plus the stripped answer).
        QVERIFY(sent.at(2).startsWith(sent.at(1) + u" (C) Not too much health risk\n\n"_s));
    }

    void independentQuestionsRestartFromThePassage()
    {
        const QStringList sent = runCompletion(false, false, kPassage);
        COMPARE_GOLDEN(sent.at(1).toUtf8(), u"atp_independent_prompt2.txt"_s);
        QVERIFY(!sent.at(2).contains(u"Answer: (B) Some"_s));
        QCOMPARE(sent.at(2).count(u"Question:"_s), 2); // the passage turn and the third question
    }

    void nothingBaseline_data()
    {
        QTest::addColumn<bool>("inSeries");
        QTest::addColumn<QString>("golden");
        QTest::newRow("in series") << true << u"atp_nothing_in_series_prompt2.txt"_s;
        QTest::newRow("independent") << false << u"atp_nothing_independent_prompt2.txt"_s;
    }
    void nothingBaseline()
    {
        QFETCH(bool, inSeries);
        QFETCH(QString, golden);
        const QStringList sent = runCompletion(inSeries, true, QString());
        COMPARE_GOLDEN(sent.at(1).toUtf8(), golden);
        // The first prompt of an empty passage keeps the "\n\n" the formula puts before it.
        QVERIFY(sent.at(0).startsWith(u"\n\nQuestion: How much do you trust"_s));
    }

    void chatInSeriesGolden()
    {
        const AtpPromptBuilder builder({kConsistency, true, true, false});
        SurveyConversation conversation(true, SurveyConversation::Mode::Chat,
                                        u"You are answering a survey."_s);
        conversation.start(kPassage);
        const auto qs = questions();
        for (int i = 0; i < qs.size(); ++i) {
            const auto &messages =
                conversation.nextMessages(builder.chatQuestion(qs[i].body, qs[i].choices, i));
            QCOMPARE(messages.constLast().role, u"user"_s);
            if (i < qs.size() - 1)
                conversation.recordAnswer(kAnswers.at(i));
        }
        COMPARE_GOLDEN(ChatMessage::toJson(conversation.messages()), u"atp_chat_in_series_messages.json"_s);
    }

    void chatIndependentSendsOneUserTurn()
    {
        SurveyConversation conversation(false, SurveyConversation::Mode::Chat);
        conversation.start(u"Story. "_s);
        conversation.nextMessages(u"Q1"_s);
        conversation.recordAnswer(u"A"_s);
        const auto &messages = conversation.nextMessages(u"Q2"_s);
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages.at(0), ChatMessage::user(u"Story.\n\nQ2"_s));
    }

    void stops() { QCOMPARE(AtpPromptBuilder::stops(), (QStringList{u"\n"_s, u"Question:"_s})); }

    void optionOrderFollowsDrawnPattern()
    {
        const Question likely = questions().at(2);
        QSet<QString> seenOrders;
        for (int persona = 0; persona < 40; ++persona) {
            const auto order = OptionOrder::draw(likely, true, 42, QString::number(persona));
            QVERIFY(order.ok());
            QVERIFY(likely.randomizationPatterns.contains(order->pattern()));
            seenOrders.insert(order->apply(likely.choices).join(u'|'));
            // Reproducible per persona and question.
            QCOMPARE(OptionOrder::draw(likely, true, 42, QString::number(persona))->pattern(),
                     order->pattern());
        }
        QCOMPARE(seenOrders.size(), 2);

        const auto reversed = OptionOrder::fromPattern({3, 2, 1, 0});
        QVERIFY(reversed.ok());
        const AtpPromptBuilder builder({QString(), true, true, false});
        COMPARE_BYTES(
            builder.question(likely.body, reversed->apply(likely.choices), 0).toUtf8(),
            "Question: How likely are you to plant a tree this year?\n(A) Not at all likely\n"
            "(B) Not too likely\n(C) Somewhat likely\n(D) Very likely\nAnswer with (A), (B), (C), or (D).\n"
            "Answer:"_ba);
        QCOMPARE(reversed->originalIndex(0), 3);
        QCOMPARE(reversed->shownIndex(3), 0);
        QCOMPARE(reversed->toOriginal({0.1, 0.2, 0.3, 0.4}), (QList<double>{0.4, 0.3, 0.2, 0.1}));
    }

    void optionOrderIdentityUnlessAllowedAndAsked()
    {
        Question q = questions().at(2);
        QVERIFY(OptionOrder::draw(q, false, 1, u"p"_s)->isIdentity());
        q.allowRandomization = false;
        QVERIFY(OptionOrder::draw(q, true, 1, u"p"_s)->isIdentity());
    }

    void optionOrderRejectsBadPatterns_data()
    {
        QTest::addColumn<QList<int>>("pattern");
        QTest::newRow("repeat") << QList<int>{0, 0, 1, 2};
        QTest::newRow("out of range") << QList<int>{0, 1, 2, 4};
        QTest::newRow("too short") << QList<int>{0, 1, 2};
    }
    void optionOrderRejectsBadPatterns()
    {
        QFETCH(QList<int>, pattern);
        Question q = questions().at(2);
        q.randomizationPatterns = {pattern};
        const auto order = OptionOrder::draw(q, true, 1, u"p"_s);
        QVERIFY(!order.ok());
        QCOMPARE(order.error().key, u"LIKELY_W1.randomization_pattern"_s);
    }

    void questionShuffleOnlyInSeries()
    {
        const QList<int> fileOrder{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        QCOMPARE(AtpPromptBuilder::questionOrder(10, false, true, 7, u"p1"_s), fileOrder);
        QCOMPARE(AtpPromptBuilder::questionOrder(10, true, false, 7, u"p1"_s), fileOrder);
        const QList<int> a = AtpPromptBuilder::questionOrder(10, true, true, 7, u"p1"_s);
        QCOMPARE(AtpPromptBuilder::questionOrder(10, true, true, 7, u"p1"_s), a);
        QList<int> sorted = a;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(sorted, fileOrder);
        bool anyDiffers = false;
        for (int p = 0; p < 5; ++p)
            anyDiffers =
                anyDiffers || AtpPromptBuilder::questionOrder(10, true, true, 7, u"q%1"_s.arg(p)) != a;
        QVERIFY(anyDiffers);
        QVERIFY(a != fileOrder);
    }

    void goldenHelperPointsAtFirstDifference()
    {
        const QByteArray diff = prompt_golden::firstDifference("Answer:\nline two"_ba, "Answer:\nline 2"_ba);
        QVERIFY(diff.contains("byte 13 (line 2, column 6)"));
        QVERIFY(prompt_golden::firstDifference("same"_ba, "same"_ba).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAtpPrompt)
#include "TestAtpPrompt.moc"
