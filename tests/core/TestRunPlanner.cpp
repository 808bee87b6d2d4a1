#include "RunFixture.h"
#include "TempProject.h"

#include "backstories/BackstoryStore.h"
#include "llm/LlmRequest.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "run/RunPlanner.h"
#include "run/RunStore.h"
#include "run/SurveyItemBuilder.h"
#include "run/SurveyPlan.h"

#include <QJsonDocument>
#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// Planning: every (persona, question, sample) is stored before the first request, in series
// as chains of dependencies, independently with every prompt already built.
class TestRunPlanner : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_files = 0;
    const QUrl m_url{u"http://127.0.0.1:9/v1"_s};

    std::unique_ptr<ProjectFile> project(int personas)
    {
        return projectWithPersonas(m_dir, u"plan%1.anthology"_s.arg(++m_files), personas);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void itemCounts_data()
    {
        QTest::addColumn<int>("personas");
        QTest::addColumn<int>("questions");
        QTest::addColumn<int>("samples");
        QTest::addColumn<bool>("inSeries");
        QTest::newRow("one of each") << 1 << 1 << 1 << true;
        QTest::newRow("in series") << 5 << 4 << 1 << true;
        QTest::newRow("in series, 3 samples") << 3 << 4 << 3 << true;
        QTest::newRow("independent, 2 samples") << 4 << 3 << 2 << false;
    }

    void itemCounts()
    {
        QFETCH(int, personas);
        QFETCH(int, questions);
        QFETCH(int, samples);
        QFETCH(bool, inSeries);
        auto p = project(personas);
        QVERIFY(p);
        const Result<qint64> run = RunPlanner::plan(*p, surveyPlan(m_url, questions, inSeries, samples));
        QVERIFY2(run, run ? "" : qPrintable(run.error().toString()));
        RunStore store(*p);
        const QList<StoredItem> items = *store.items(*run);
        QCOMPARE(items.size(), personas * questions * samples);
        QSet<QString> keys;
        for (const StoredItem &it : items) {
            QCOMPARE(it.state, u"pending"_s);
            keys.insert(it.persona + u'|' + it.question + u'|' + QString::number(it.sample));
            QVERIFY(it.request.isEmpty()); // every prompt is built when its item is sent
        }
        QCOMPARE(keys.size(), items.size());
        Statement deps =
            p->prepare("SELECT count(*) FROM items i JOIN items d ON d.id = i.depends_on "
                       "WHERE i.run_id = ?1 AND d.persona = i.persona AND d.base_sample = i.base_sample "
                       "AND d.position = i.position - 1");
        deps.bind(1, *run);
        QVERIFY(*deps.step());
        QCOMPARE(deps.columnInt(0), inSeries ? personas * (questions - 1) * samples : 0);
        QCOMPARE(store.run(*run)->status, u"planned"_s);
        QCOMPARE(store.run(*run)->seed, 7);
    }

    void independentPromptsArePassagePlusQuestion()
    {
        auto p = project(2);
        QVERIFY(p);
        const SurveyPlan plan = surveyPlan(m_url, 2, false);
        const Result<qint64> run = RunPlanner::plan(*p, plan);
        QVERIFY(run);
        const QList<StoredItem> items = *RunStore(*p).items(*run);
        const StoredItem &second = items[1];
        // What the engine sends for the item.
        SurveyItemBuilder builder(plan);
        const LlmRequest request = *builder.independentRequest(BackstoryStore(*p), second);
        const QString expected = personaText(0) +
                                 u"\n\nQuestion: How often do you spend time on hobby number 2?\n"
                                 "(A) Every day\n(B) A few times a week\n(C) Once a week\n"
                                 "(D) Rarely\n(E) Never\nAnswer with (A), (B), (C), (D), or (E).\nAnswer:"_s;
        QVERIFY2(request.prompt == expected, qPrintable(request.prompt));
        QCOMPARE(request.stop, QStringList({u"\n"_s, u"Question:"_s}));
        QVERIFY(request.seed.has_value());
    }

    void theRunRecordsTheBackstoryRevision()
    {
        auto p = project(2);
        QVERIFY(p);
        BackstoryStore backstories(*p);
        QCOMPARE(*backstories.edit(personaUid(1), u"An edited life story."_s), 2);
        const SurveyPlan plan = surveyPlan(m_url, 1, false);
        const Result<qint64> run = RunPlanner::plan(*p, plan);
        QVERIFY(run);
        const QList<StoredItem> items = *RunStore(*p).items(*run);
        QCOMPARE(items[0].personaRevision, 1);
        QCOMPARE(items[1].personaRevision, 2);
        SurveyItemBuilder builder(plan);
        QVERIFY(builder.independentRequest(BackstoryStore(*p), items[1])
                    ->prompt.startsWith(u"An edited life story.\n\n"_s));
    }

    void theConfigIsStoredAndReadsBack()
    {
        auto p = project(1);
        SurveyPlan plan = surveyPlan(m_url, 3, true, 2);
        plan.options.includeComplianceForcing = true;
        plan.options.numberComplianceForcing = 4;
        plan.options.randomizeOptionOrder = true;
        plan.questionnaire.questions[0].allowRandomization = true;
        plan.questionnaire.questions[0].randomizationPatterns = {{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}};
        plan.llm.logprobs = 5;
        const Result<qint64> run = RunPlanner::plan(*p, plan);
        QVERIFY(run);
        const RunInfo info = *RunStore(*p).run(*run);
        const Result<SurveyPlan> back =
            SurveyPlan::fromJson(QJsonDocument::fromJson(info.config.toUtf8()).object());
        QVERIFY(back);
        QCOMPARE(back->toJson(), plan.toJson());
    }

    void badPlansAreRefused_data()
    {
        QTest::addColumn<int>("questions");
        QTest::addColumn<QString>("persona");
        QTest::addColumn<int>("samples");
        QTest::addColumn<QString>("message");
        QTest::newRow("no questions") << 0 << QString() << 1 << u"no questions"_s;
        QTest::newRow("unknown persona") << 1 << u"nobody"_s << 1 << u"'nobody'"_s;
        QTest::newRow("zero samples") << 1 << QString() << 0 << u"samples"_s;
    }

    void badPlansAreRefused()
    {
        QFETCH(int, questions);
        QFETCH(QString, persona);
        QFETCH(int, samples);
        QFETCH(QString, message);
        auto p = project(1);
        SurveyPlan plan = surveyPlan(m_url, questions, true, samples);
        if (!persona.isEmpty())
            plan.personas = {persona};
        const Result<qint64> run = RunPlanner::plan(*p, plan);
        QVERIFY(!run);
        QVERIFY2(run.error().message.contains(message), qPrintable(run.error().message));
        Statement count = p->prepare("SELECT count(*) FROM runs");
        QVERIFY(*count.step());
        QCOMPARE(count.columnInt(0), 0);
    }

    // The plan is one transaction: a failure after many rows were written (here the last
    // persona repeats the first, so its first item breaks the unique key) leaves no run and no
    // item, and the next plan starts clean.
    void aPlanThatFailsMidwayLeavesNothing()
    {
        auto p = project(50);
        QVERIFY(p);
        SurveyPlan plan = surveyPlan(m_url, 4, true);
        for (int i = 0; i < 50; ++i)
            plan.personas.append(personaUid(i));
        plan.personas.append(personaUid(0));
        const Result<qint64> failed = RunPlanner::plan(*p, plan);
        QVERIFY(!failed);
        QVERIFY2(failed.error().message.contains(u"UNIQUE"_s), qPrintable(failed.error().message));
        for (const char *sql : {"SELECT count(*) FROM runs", "SELECT count(*) FROM items"}) {
            Statement count = p->prepare(sql);
            QVERIFY(*count.step());
            QCOMPARE(count.columnInt(0), 0);
        }
        plan.personas.removeLast();
        const Result<qint64> run = RunPlanner::plan(*p, plan);
        QVERIFY2(run, run ? "" : qPrintable(run.error().toString()));
        const QList<StoredItem> items = *RunStore(*p).items(*run);
        QCOMPARE(items.size(), 200);
        QCOMPARE(items.first().id, 1);
    }
};

QTEST_GUILESS_MAIN(TestRunPlanner)
#include "TestRunPlanner.moc"
