#include "PromptGolden.h"
#include "prompt/DemographicPrefixBuilder.h"

#include <QSet>
#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

DemographicQuestion trait(const QString &key, const QString &question, const QStringList &choices,
                          const QString &topic = {}, const QString &bio = {})
{
    DemographicQuestion q;
    q.key = key;
    q.question = question;
    q.choices = choices;
    q.topic = topic;
    q.bioTemplate = bio;
    return q;
}

// One respondent, in file order; income was refused and religion is missing.
QList<TraitAnswer> respondent()
{
    return {
        {trait(u"age_category_4"_s, u"How old are you?"_s,
               {u"18-29"_s, u"30-49"_s, u"50-64"_s, u"65+"_s, u"Prefer not to answer"_s}, u"Age"_s,
               u"My age is {label}."_s),
         1},
        {trait(u"gender"_s, u"What is your gender?"_s,
               {u"Male"_s, u"Female"_s, u"Other"_s, u"Prefer not to answer"_s}, u"Gender"_s,
               u"I consider my gender as {label_lower}."_s),
         1},
        {trait(u"region"_s, u"Where do you live?"_s,
               {u"Northeast"_s, u"Midwest"_s, u"South"_s, u"West"_s, u"Prefer not to answer"_s}, QString(),
               u"I live in the {label}."_s),
         2},
        {trait(u"income_level_category_13"_s, u"What is your family income?"_s,
               {u"Under $50,000"_s, u"$50,000 or more"_s, u"Prefer not to answer"_s}),
         2},
        {trait(u"religion"_s, u"What is your religion?"_s,
               {u"None"_s, u"Other"_s, u"Prefer not to answer"_s}),
         -1},
        {trait(
             u"education_level"_s, u"What is your highest level of education?"_s,
             {u"High school or less"_s, u"Some college"_s, u"College graduate"_s, u"Prefer not to answer"_s}),
         2},
    };
}

} // namespace

class TestPrefixStyles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dpPrefix_data()
    {
        QTest::addColumn<PrefixStyle>("style");
        QTest::addColumn<QString>("golden");
        QTest::newRow("qa") << PrefixStyle::Qa << u"prefix_dp_qa.txt"_s;
        QTest::newRow("qa_freeform") << PrefixStyle::QaFreeform << u"prefix_dp_qa_freeform.txt"_s;
        QTest::newRow("bio") << PrefixStyle::Bio << u"prefix_dp_bio.txt"_s;
        QTest::newRow("portray") << PrefixStyle::Portray << u"prefix_dp_portray.txt"_s;
    }
    void dpPrefix()
    {
        QFETCH(PrefixStyle, style);
        QFETCH(QString, golden);
        COMPARE_GOLDEN(DemographicPrefixBuilder(style).prefix(respondent()).toUtf8(), golden);
    }

    void appendedAfterMatching_data()
    {
        QTest::addColumn<PrefixStyle>("style");
        QTest::addColumn<QString>("golden");
        QTest::newRow("qa_mcq") << PrefixStyle::Qa << u"matched_qa_mcq.txt"_s;
        QTest::newRow("qa_freeform") << PrefixStyle::QaFreeform << u"matched_qa_freeform.txt"_s;
        QTest::newRow("bio") << PrefixStyle::Bio << u"matched_bio.txt"_s;
    }
    void appendedAfterMatching()
    {
        QFETCH(PrefixStyle, style);
        QFETCH(QString, golden);
        COMPARE_GOLDEN(DemographicPrefixBuilder(style)
                           .appendToBackstory(u" I am a nurse in Ohio.  "_s, respondent())
                           .toUtf8(),
                       golden);
    }

    void refusedAnswers_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<bool>("refused");
        QTest::newRow("first") << 0 << false;
        QTest::newRow("prefer not to answer") << 2 << true;
        QTest::newRow("missing") << -1 << true;
        QTest::newRow("beyond the choices") << 3 << true;
    }
    void refusedAnswers()
    {
        QFETCH(int, index);
        QFETCH(bool, refused);
        const TraitAnswer a{trait(u"religion"_s, u"Q"_s, {u"None"_s, u"Other"_s, u"Prefer not to answer"_s}),
                            index};
        QCOMPARE(DemographicPrefixBuilder::isRefused(a), refused);
        QCOMPARE(DemographicPrefixBuilder(PrefixStyle::Portray).traitText(a).isEmpty(), refused);
    }

    void topicsAndBioDefaults_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("topic");
        QTest::addColumn<QString>("sentence");
        QTest::newRow("category suffix")
            << u"income_level_category_13"_s << u"Income level"_s << u"My income level is $50,000 or more."_s;
        QTest::newRow("plain") << u"political_affiliation"_s << u"Political affiliation"_s
                               << u"My political affiliation is $50,000 or more."_s;
        QTest::newRow("age") << u"age_category_4"_s << u"Age"_s << u"My age is $50,000 or more."_s;
    }
    void topicsAndBioDefaults()
    {
        QFETCH(QString, key);
        QFETCH(QString, topic);
        QFETCH(QString, sentence);
        const DemographicQuestion q = trait(key, u"Q"_s, {u"$50,000 or more"_s});
        QCOMPARE(DemographicPrefixBuilder::topicOf(q), topic);
        QCOMPARE(DemographicPrefixBuilder::bioSentence(q, u"$50,000 or more"_s), sentence);
    }

    void traitOrderShuffledPerRespondent()
    {
        const QList<TraitAnswer> answers = respondent();
        auto keys = [](const QList<TraitAnswer> &list) {
            QStringList out;
            for (const auto &a : list)
                out << a.trait.key;
            return out;
        };
        const QStringList first = keys(DemographicPrefixBuilder::shuffled(answers, 5, u"QKEY-100"_s));
        QCOMPARE(keys(DemographicPrefixBuilder::shuffled(answers, 5, u"QKEY-100"_s)), first);
        QSet<QString> orders;
        for (int r = 0; r < 20; ++r)
            orders.insert(
                keys(DemographicPrefixBuilder::shuffled(answers, 5, u"QKEY-%1"_s.arg(r))).join(u','));
        QVERIFY(orders.size() > 5);
        QStringList sorted = first;
        sorted.sort();
        QStringList expected = keys(answers);
        expected.sort();
        QCOMPARE(sorted, expected);
    }
};

QTEST_GUILESS_MAIN(TestPrefixStyles)
#include "TestPrefixStyles.moc"
