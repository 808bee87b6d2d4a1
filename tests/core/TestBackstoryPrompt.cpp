#include "PromptGolden.h"
#include "prompt/BackstoryPromptBuilder.h"

#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

class TestBackstoryPrompt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void preamble()
    {
        const CompletionSpec spec = BackstoryPromptBuilder().preamble();
        COMPARE_BYTES(spec.prompt.toUtf8(), "Question: Are you a US citizen?\n\nAnswer:"_ba);
        QCOMPARE(spec.stops, (QStringList{u"\n"_s, u"Question"_s}));
        QCOMPARE(spec.maxTokens, 100);
    }

    void preambleAccepted_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("yes") << u" Yes."_s << true;
        QTest::newRow("lower, inside") << u" I guess yes, since birth"_s << true;
        QTest::newRow("upper") << u" YES"_s << true;
        QTest::newRow("no") << u" No, I am not."_s << false;
        QTest::newRow("empty") << QString() << false;
    }
    void preambleAccepted()
    {
        QFETCH(QString, answer);
        QFETCH(bool, accepted);
        QCOMPARE(BackstoryPromptBuilder::preambleAccepted(answer), accepted);
    }

    void storyAfterPreamble()
    {
        const CompletionSpec spec = BackstoryPromptBuilder().story(u" Yes, I was born in Texas."_s);
        COMPARE_GOLDEN(spec.prompt.toUtf8(), u"backstory_preamble_then_story.txt"_s);
        QCOMPARE(spec.stops, (QStringList{u"Question"_s, u"Q:"_s, u"Interview"_s}));
        QCOMPARE(spec.temperature, 1.0);
        QCOMPARE(spec.topP, 1.0);
        QCOMPARE(spec.maxTokens, 1500);
        QCOMPARE(spec.logprobs, std::optional<int>(1));
    }

    void storyWithoutPreambleOtherRoles()
    {
        const BackstoryPromptBuilder builder(RoleFormat{u"Interviewer"_s, u"Interviewee"_s, u":"_s});
        const CompletionSpec spec = builder.story();
        COMPARE_GOLDEN(spec.prompt.toUtf8(), u"backstory_interviewer_story.txt"_s);
        QCOMPARE(spec.stops, (QStringList{u"Interviewer"_s, u"Q:"_s, u"Interview"_s}));
        QCOMPARE(builder.preamble().stops, (QStringList{u"\n"_s, u"Interviewer"_s}));
    }

    void emptyRolesHaveNoPrefixAndNoEmptyStop()
    {
        const BackstoryPromptBuilder builder(RoleFormat{QString(), QString(), QString()});
        COMPARE_BYTES(builder.preamble().prompt.toUtf8(), "Are you a US citizen?\n\n"_ba);
        QCOMPARE(builder.preamble().stops, QStringList{u"\n"_s});
        QCOMPARE(builder.story().stops, (QStringList{u"Q:"_s, u"Interview"_s}));
    }

    void fullPassage()
    {
        COMPARE_GOLDEN(
            BackstoryPromptBuilder().fullPassage(u" I am 34 and grew up near the coast."_s).toUtf8(),
            u"backstory_full_passage.txt"_s);
    }

    void shortStoriesDroppedOnLoad_data()
    {
        QTest::addColumn<int>("tokens");
        QTest::addColumn<bool>("kept");
        QTest::newRow("0") << 0 << false;
        QTest::newRow("40") << 40 << false;
        QTest::newRow("41") << 41 << true;
        QTest::newRow("1500") << 1500 << true;
    }
    void shortStoriesDroppedOnLoad()
    {
        QFETCH(int, tokens);
        QFETCH(bool, kept);
        QCOMPARE(BackstoryPromptBuilder::keepOnLoad(tokens), kept);
    }
};

QTEST_GUILESS_MAIN(TestBackstoryPrompt)
#include "TestBackstoryPrompt.moc"
