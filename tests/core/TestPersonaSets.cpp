#include "PersonaFixture.h"
#include "RunFixture.h"
#include "TempProject.h"

#include "backstories/BackstoryStore.h"
#include "config/SurveyConfig.h"
#include "data/QuestionnaireFromDataset.h"
#include "matching/CategoryMapLocator.h"
#include "pipeline/BaselinePersonaSet.h"
#include "pipeline/MatchStep.h"
#include "pipeline/RespondentTraits.h"
#include "pipeline/SurveyStep.h"
#include "prompt/OptionOrder.h"
#include "run/PersonaPassage.h"
#include "run/PersonaSetStore.h"
#include "run/RunPlanner.h"
#include "run/SurveyItemBuilder.h"

#include "llm/LlmRequest.h"

#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// Persona sets: storage, the passages the engine reads from them (byte for byte what
// DemographicPrefixBuilder gives), respondent baselines, and surveys planned over them.
class TestPersonaSets : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_files = 0;

    std::unique_ptr<ProjectFile> projectWithWave(int personas, int respondents)
    {
        auto p = projectWithPersonas(m_dir, u"sets%1.anthology"_s.arg(++m_files), personas);
        if (p && !storeSyntheticWave(*p, u"W99"_s, respondents))
            return nullptr;
        return p;
    }

    static BaselineRequest baseline(const QString &style)
    {
        BaselineRequest r;
        r.dataset = u"W99"_s;
        r.style = style;
        r.numUsers = 12;
        r.traitsOfInterest = {u"age"_s, u"gender"_s, u"income"_s, u"education"_s};
        r.seed = 5;
        r.demographics = defaultDemographics();
        return r;
    }

    // The respondents' traits, as the test computes them independently of the set builder.
    static RespondentTraits traitsOf(ProjectFile &project, const QStringList &traits)
    {
        const CategoryMapConfig map = *CategoryMapLocator::load(99, {});
        return *RespondentTraits::build(*DatasetStore(project).load(u"W99"_s), map, defaultDemographics(),
                                        traits);
    }

    static SurveyPlan planFor(const PersonaSet &set, bool inSeries)
    {
        SurveyPlan plan = surveyPlan(QUrl(u"http://127.0.0.1:9/v1"_s), 2, inSeries);
        plan.personaSetId = set.id;
        plan.personaSetName = set.name;
        plan.noConditioning = set.style == u"nothing"_s;
        plan.options.consistencyPrompt =
            u"Please answer the following question keeping in mind your previous answers."_s;
        return plan;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void storesMembersInOrder()
    {
        auto project = projectWithPersonas(m_dir, u"store.anthology"_s, 2);
        QVERIFY(project);
        PersonaSet set;
        set.name = u"picked"_s;
        set.kind = u"backstories"_s;
        set.style = u"none"_s;
        set.source = QJsonObject{{u"note"_s, u"by hand"_s}};
        PersonaSetMember a;
        a.personaKey = u"b"_s;
        a.backstoryUid = personaUid(1);
        PersonaSetMember b;
        b.personaKey = u"a"_s;
        b.beforeText = u"Answer as yourself.\n"_s;
        b.humanKey = u"77"_s;
        b.humanWeight = 1.25;
        set.members = {a, b};
        PersonaSetStore store(*project);
        Result<qint64> id = store.insert(set);
        QVERIFY2(id, id ? "" : qPrintable(id.error().toString()));
        Result<PersonaSet> back = store.load(u"picked"_s);
        QVERIFY(back);
        QCOMPARE(back->id, *id);
        QCOMPARE(back->source, set.source);
        QCOMPARE(back->members.size(), 2);
        QCOMPARE(back->members[0].personaKey, u"b"_s);
        QVERIFY(back->members[0].hasBackstory());
        QVERIFY(back->members[0].beforeText.isEmpty());
        QVERIFY(!back->members[0].humanWeight);
        QVERIFY(!back->members[1].hasBackstory());
        QCOMPARE(back->members[1].beforeText, b.beforeText);
        QCOMPARE(*back->members[1].humanWeight, 1.25);
        QCOMPARE(*store.memberCount(*id), 2);
        QCOMPARE(store.member(*id, u"a"_s)->humanKey, u"77"_s);
        QVERIFY(!store.member(*id, u"zz"_s));

        QVERIFY(!store.insert(set)); // same name
        set.name = u"twice"_s;
        set.members = {a, a};
        Result<qint64> twice = store.insert(set);
        QVERIFY(!twice);
        QVERIFY2(twice.error().message.contains(u"appears twice"_s), qPrintable(twice.error().message));
        QVERIFY(!store.find(u"twice"_s)->has_value()); // nothing half-written
        set.kind = u"mixed"_s;
        QVERIFY(!store.insert(set));
    }

    // The engine's passage of a matched persona is appendToBackstory(backstory passage, the
    // human's traits) byte for byte, for each of the three styles.
    void matchedPassagesAreTheBackstoryWithTraitsAppended()
    {
        auto project = projectWithWave(30, 15);
        QVERIFY(project);
        QList<QPair<QString, int>> personas;
        for (int i = 0; i < 30; ++i)
            personas.append({personaUid(i), 1});
        QVERIFY(writeDemographicsRun(*project, u"demo"_s, personas, defaultDemographics()));
        MatchRequest request;
        request.name = u"na"_s;
        request.dataset = u"W99"_s;
        request.demographicsRun = u"demo"_s;
        request.traits = {u"age_category_4"_s, u"gender"_s, u"race"_s};
        request.demographics = defaultDemographics();
        Result<MatchOutcome> match = MatchStep::run(*project, request);
        QVERIFY2(match, match ? "" : qPrintable(match.error().toString()));
        const RespondentTraits humans = traitsOf(*project, request.traits);
        const BackstoryStore backstories(*project);
        const QList<QPair<QString, PrefixStyle>> styles = {{u"qa_mcq"_s, PrefixStyle::Qa},
                                                           {u"qa_freeform"_s, PrefixStyle::QaFreeform},
                                                           {u"bio"_s, PrefixStyle::Bio}};
        for (const auto &[style, prefixStyle] : styles) {
            const PersonaSet set = *PersonaSetStore(*project).load(MatchStep::setName(u"na"_s, style));
            QCOMPARE(set.members.size(), 15);
            const SurveyPlan plan = planFor(set, true);
            for (int row : {0, 7, 14}) {
                const PersonaSetMember &m = set.members[row];
                QCOMPARE(m.humanKey, humans.humanKey(row));
                const QString expected =
                    DemographicPrefixBuilder(prefixStyle)
                        .appendToBackstory(backstories.get(m.backstoryUid)->passage(), humans.answers(row));
                Result<QString> passage = PersonaPassage::passage(backstories, plan, m.personaKey, 1);
                QVERIFY(passage);
                QCOMPARE(passage->trimmed(), expected);
            }
        }
        // The bio tail, spelled out for one persona.
        const PersonaSet bio = *PersonaSetStore(*project).load(u"na/bio"_s);
        const QMap<QString, HumanTrait> traits = MatchStore::traitsFromJson(bio.members[0].traits);
        QVERIFY(bio.members[0].afterText.startsWith(
            u"\n\nQuestion: Please provide a demographic information of yourself.\n\nAnswer: My age is "_s +
            traits.value(u"age_category_4"_s).label + u"."_s));
    }

    void baselinePrefixesAreShuffledPerRespondent_data()
    {
        QTest::addColumn<QString>("style");
        QTest::addColumn<int>("prefixStyle");
        QTest::newRow("qa") << u"qa"_s << int(PrefixStyle::Qa);
        QTest::newRow("qa_freeform") << u"qa_freeform"_s << int(PrefixStyle::QaFreeform);
        QTest::newRow("bio") << u"bio"_s << int(PrefixStyle::Bio);
        QTest::newRow("portray") << u"portray"_s << int(PrefixStyle::Portray);
        QTest::newRow("nothing") << u"nothing"_s << -1;
    }

    void baselinePrefixesAreShuffledPerRespondent()
    {
        QFETCH(QString, style);
        QFETCH(int, prefixStyle);
        auto project = projectWithWave(1, 30);
        QVERIFY(project);
        Result<PersonaSet> set = BaselinePersonaSet::ensure(*project, baseline(style));
        QVERIFY2(set, set ? "" : qPrintable(set.error().toString()));
        QCOMPARE(set->name, u"W99/baseline_"_s + style);
        QCOMPARE(set->kind, u"respondents"_s);
        QCOMPARE(set->members.size(), 12);
        const RespondentTraits humans =
            traitsOf(*project,
                     {u"age_category_4"_s, u"gender"_s, u"income_level_category_13"_s, u"education_level"_s});
        for (int row = 0; row < 12; ++row) {
            const PersonaSetMember &m = set->members[row];
            QCOMPARE(m.personaKey, humans.humanKey(row));
            QCOMPARE(*m.humanWeight, humans.weight(row));
            QVERIFY(!m.hasBackstory());
            const QString expected =
                prefixStyle < 0
                    ? QString()
                    : DemographicPrefixBuilder(PrefixStyle(prefixStyle))
                          .prefix(DemographicPrefixBuilder::shuffled(humans.answers(row), 5, m.humanKey));
            QCOMPARE(m.beforeText, expected);
        }
        // The same request reuses the set; a different one under the same name is refused.
        Result<PersonaSet> again = BaselinePersonaSet::ensure(*project, baseline(style));
        QVERIFY(again);
        QCOMPARE(again->id, set->id);
        BaselineRequest other = baseline(style);
        other.numUsers = 5;
        Result<PersonaSet> clash = BaselinePersonaSet::ensure(*project, other);
        QVERIFY(!clash);
        QVERIFY(clash.error().message.contains(u"built differently"_s));
        other.setName = u"five"_s;
        QCOMPARE(BaselinePersonaSet::ensure(*project, other)->members.size(), 5);
    }

    void baselineRefusals_data()
    {
        QTest::addColumn<QString>("style");
        QTest::addColumn<QStringList>("traits");
        QTest::addColumn<QString>("expected");
        QTest::newRow("style") << u"poem"_s << QStringList() << u"prompt_style must be one of"_s;
        QTest::newRow("trait") << u"qa"_s << QStringList{u"height"_s} << u"unknown trait 'height'"_s;
    }

    void baselineRefusals()
    {
        QFETCH(QString, style);
        QFETCH(QStringList, traits);
        QFETCH(QString, expected);
        auto project = projectWithWave(1, 5);
        BaselineRequest r = baseline(style);
        r.traitsOfInterest = traits;
        Result<PersonaSet> set = BaselinePersonaSet::ensure(*project, r);
        QVERIFY(!set);
        QVERIFY2(set.error().message.contains(expected), qPrintable(set.error().message));
    }

    // Planned over a set, the items carry the set's persona keys and the prompts its passages;
    // the nothing baseline has no passage and no consistency sentence.
    void surveysArePlannedOverASet_data()
    {
        QTest::addColumn<QString>("style");
        QTest::newRow("bio") << u"bio"_s;
        QTest::newRow("nothing") << u"nothing"_s;
    }

    void surveysArePlannedOverASet()
    {
        QFETCH(QString, style);
        auto project = projectWithWave(1, 8);
        QVERIFY(project);
        const PersonaSet set = *BaselinePersonaSet::ensure(*project, baseline(style));
        const SurveyPlan plan = planFor(set, false);
        Result<qint64> run = RunPlanner::plan(*project, plan);
        QVERIFY2(run, run ? "" : qPrintable(run.error().toString()));
        const QList<StoredItem> items = *RunStore(*project).items(*run);
        QCOMPARE(items.size(), 8 * 2);
        SurveyItemBuilder builder(plan);
        const BackstoryStore backstories(*project);
        for (const StoredItem &it : items) {
            const PersonaSetMember m = *PersonaSetStore(*project).member(set.id, it.persona);
            const Question *q = builder.question(it.question);
            const QString question =
                builder.questionText(*q, *builder.optionOrder(*q, it.persona), it.position);
            // What the engine sends for the item.
            const QString prompt = builder.independentRequest(backstories, it)->prompt;
            if (style == u"nothing"_s) {
                // The formula as written: the empty passage, "\n\n", the question.
                QCOMPARE(prompt, u"\n\n"_s + question);
                QVERIFY(!prompt.contains(u"keeping in mind"_s));
            } else {
                QCOMPARE(prompt, m.beforeText.trimmed() + u"\n\n"_s + question);
                QVERIFY(prompt.contains(u"keeping in mind"_s));
            }
        }
        QVERIFY(SurveyPlan::fromJson(plan.toJson())->personaSetId == set.id);
        QCOMPARE(SurveyPlan::fromJson(plan.toJson())->noConditioning, style == u"nothing"_s);
    }

    void questionnaireChoicesMustMatchTheDataSet_data()
    {
        QTest::addColumn<int>("choice");
        QTest::addColumn<QString>("replacement");
        QTest::newRow("matches") << -1 << QString();
        QTest::newRow("renamed") << 1 << u"Quite a lot"_s;
        QTest::newRow("missing") << 99 << QString();
    }

    void questionnaireChoicesMustMatchTheDataSet()
    {
        QFETCH(int, choice);
        QFETCH(QString, replacement);
        auto project = projectWithWave(1, 5);
        const Dataset data = *DatasetStore(*project).load(u"W99"_s);
        const QString item =
            SyntheticAtpGenerator(SyntheticAtpOptions{5, 3, 99, 7, 0.02}).itemNames().first();
        Questionnaire q = *QuestionnaireFromDataset::build(data, {item});
        const QString original = choice >= 0 && choice < q.questions[0].choices.size()
                                     ? q.questions[0].choices[choice]
                                     : QString();
        if (choice == 99)
            q.questions[0].choices.removeLast();
        else if (choice >= 0)
            q.questions[0].choices[choice] = replacement;
        const Status st = SurveyStep::checkChoices(q, data);
        QCOMPARE(st.ok(), choice < 0);
        if (choice == 1)
            QVERIFY2(st.error().message.contains(u"question %1: choice 2 is 'Quite a lot'"_s.arg(item)) &&
                         st.error().message.contains(original),
                     qPrintable(st.error().message));
        if (choice == 99)
            QVERIFY2(st.error().message.contains(u"(none)"_s), qPrintable(st.error().message));
    }

    // SurveyStep refuses an endpoint through the one endpoint check every step uses.
    void aMissingApiKeyOrAChatParameterOnACompletionModelIsRefused()
    {
        auto project = projectWithPersonas(m_dir, u"sets%1.anthology"_s.arg(++m_files), 1);
        QVERIFY(project);
        SurveyConfig config;
        config.llm.apiProvider = u"openai"_s;
        config.llm.modelName = u"gpt-4o-mini"_s;
        config.llm.apiKeyEnv = u"ANTHOLOGY_TEST_UNSET_KEY"_s;
        qunsetenv("ANTHOLOGY_TEST_UNSET_KEY");
        Status st = SurveyStep::check(*project, config, {});
        QVERIFY(!st);
        QVERIFY2(st.error().message.contains(u"ANTHOLOGY_TEST_UNSET_KEY"_s), qPrintable(st.error().message));
        qputenv("ANTHOLOGY_TEST_UNSET_KEY", "sk-test");
        QVERIFY(SurveyStep::check(*project, config, {}));

        config.llm.topLogprobs = 5; // chat-only, on a completion model
        st = SurveyStep::check(*project, config, {});
        QVERIFY(!st);
        QCOMPARE(st.error().key, u"llm_parameters.top_logprobs"_s);
        config.llm.chat = true;
        QVERIFY(SurveyStep::check(*project, config, {}));
    }
};

QTEST_GUILESS_MAIN(TestPersonaSets)
#include "TestPersonaSets.moc"
