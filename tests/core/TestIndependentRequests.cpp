#include "FakeLlmServer.h"
#include "RunFixture.h"
#include "StepFixture.h"
#include "ProjectQuery.h"
#include "TempProject.h"

#include "backstories/BackstoryStore.h"
#include "llm/LlmRequest.h"
#include "pipeline/DemographicsStep.h"
#include "pipeline/GenerateStep.h"
#include "pipeline/RunEstimate.h"
#include "project/ProjectFile.h"
#include "prompt/BackstoryPromptBuilder.h"
#include "prompt/OptionOrder.h"
#include "run/DemographicsItemBuilder.h"
#include "run/GenerateItemBuilder.h"
#include "run/PersonaPassage.h"
#include "run/RequestCodec.h"
#include "run/RunPlanner.h"
#include "run/RunStore.h"
#include "run/SurveyItemBuilder.h"

#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// Items asked on their own build their request when they are sent, not at plan time: what the
// engine sends (and stores with the answer) must be, byte for byte, the canonical request the
// planners used to store, for every plan kind, also after a backstory edit and across a
// resume. The expected bytes below are the planners' former code, kept here as the reference.
class TestIndependentRequests : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_files = 0;

    QString newProject(int personas)
    {
        auto p = projectWithPersonas(m_dir, u"independent%1.anthology"_s.arg(++m_files), personas);
        return p ? p->path() : QString();
    }

    static QString key(const QString &persona, const QString &question, int sample)
    {
        return persona + u'/' + question + u'/' + QString::number(sample);
    }

    // RunPlanner's former stored request of every independent item.
    static QHash<QString, QByteArray> expectedSurvey(ProjectFile &project, const SurveyPlan &plan)
    {
        QHash<QString, QByteArray> out;
        const BackstoryStore store(project);
        const SurveyItemBuilder builder(plan);
        const QList<QPair<QString, int>> personas = *PersonaPassage::personas(project, plan);
        for (const auto &[uid, revision] : personas) {
            const QString passage = *builder.passageFor(store, uid, revision);
            const QList<int> order = builder.questionOrder(uid);
            for (int s = 0; s < plan.samples; ++s) {
                for (int pos = 0; pos < order.size(); ++pos) {
                    const Question &q = plan.questionnaire.questions[order[pos]];
                    const OptionOrder options = *builder.optionOrder(q, uid);
                    const LlmRequest request =
                        builder.request(builder.independentPrompt(passage, q, options, pos), uid, q.id, s);
                    out.insert(key(uid, q.id, s), RequestCodec::canonicalRequest(request, plan.llm.modelName, s));
                }
            }
        }
        return out;
    }

    // GenerateStep's former stored request of every story without a preamble.
    static QHash<QString, QByteArray> expectedGenerate(const GeneratePlan &plan)
    {
        QHash<QString, QByteArray> out;
        const GenerateItemBuilder builder(plan);
        for (int i = 0; i < plan.storyCount(); ++i) {
            const QString persona = GeneratePlan::storyKey(i);
            const LlmRequest request = builder.request(builder.storyPrompt(i), persona, GeneratePlan::storyItem(), 0);
            out.insert(key(persona, GeneratePlan::storyItem(), 0),
                       RequestCodec::canonicalRequest(request, plan.llm.modelName, 0));
        }
        return out;
    }

    // DemographicsStep's former stored request of every (persona, trait).
    static QHash<QString, QByteArray> expectedDemographics(ProjectFile &project, const DemographicsPlan &plan)
    {
        QHash<QString, QByteArray> out;
        const BackstoryStore store(project);
        const DemographicsItemBuilder builder(plan);
        for (const QString &uid : plan.personas) {
            const Backstory backstory = *store.get(uid);
            for (const DemographicQuestion &trait : plan.questionnaire.traits)
                out.insert(key(uid, trait.key, 0),
                           RequestCodec::canonicalRequest(builder.traitRequest(backstory.passage(), uid, trait),
                                                          plan.llm.modelName, 0));
        }
        return out;
    }

    static DemographicsPlan demographicsPlan(const FakeLlmServer &server, const QStringList &personas, bool parser)
    {
        DemographicsPlan plan;
        plan.name = parser ? u"parser"_s : u"demographics"_s;
        plan.parser = parser;
        plan.personas = personas;
        plan.questionnaire.traits.append({u"age_category_4"_s,
                                          u"Which age group are you in?"_s,
                                          true,
                                          {u"18-29"_s, u"30-49"_s, u"50-64"_s, u"65 or older"_s},
                                          u"From the text, which age group is the writer in?"_s,
                                          u"Age"_s,
                                          QString()});
        plan.questionnaire.traits.append({u"party"_s,
                                          u"Which party do you lean to?"_s,
                                          false,
                                          {u"Party one"_s, u"Party two"_s, u"Neither"_s},
                                          u"From the text, which party does the writer lean to?"_s,
                                          u"Party"_s,
                                          QString()});
        plan.samples = parser ? 1 : 4;
        plan.llm = fakeEndpoint(server, parser);
        plan.llm.maxTokens = 8;
        plan.seed = 3;
        return plan;
    }

    static GeneratePlan generatePlan(const FakeLlmServer &server, bool chat)
    {
        GeneratePlan plan;
        plan.name = u"stories"_s;
        plan.backstoryQuestion = BackstoryPromptBuilder::backstoryQuestion();
        plan.count = 6;
        plan.llm = fakeEndpoint(server, chat);
        plan.llm.maxTokens = 40;
        if (!chat)
            plan.llm.logprobs = 1;
        plan.seed = 11;
        return plan;
    }

    // Every item of the run is done and holds exactly the expected request; returns what differs.
    static QString compareSent(const QString &path, qint64 runId, const QHash<QString, QByteArray> &expected)
    {
        auto p = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        const QList<StoredItem> all = *RunStore(**p).items(runId);
        if (all.size() != expected.size())
            return u"%1 items, %2 expected"_s.arg(all.size()).arg(expected.size());
        for (const StoredItem &it : all) {
            if (it.state != u"done"_s)
                return u"item %1 is %2: %3"_s.arg(it.id).arg(it.state, it.error);
            const QByteArray want = expected.value(key(it.persona, it.question, it.sample));
            if (it.request != want)
                return u"item %1 (%2 %3 %4) sent\n%5\nexpected\n%6"_s.arg(it.id)
                    .arg(it.persona, it.question)
                    .arg(it.sample)
                    .arg(QString::fromUtf8(it.request), QString::fromUtf8(want));
        }
        return QString();
    }

    // The plan stored no request; driven to its end, the run sent the expected ones.
    static QString sendAndCompare(const QString &path, qint64 runId, const QHash<QString, QByteArray> &expected)
    {
        if (projectScalar(path, "SELECT count(*) FROM items WHERE run_id = ?1 AND request IS NOT NULL", runId) != 0)
            return u"the plan stored requests"_s;
        if (const QString status = driveStepRun(path, runId); status != u"completed"_s)
            return u"the run ended %1"_s.arg(status);
        return compareSent(path, runId, expected);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qRegisterMetaType<anthology::RunProgress>();
    }

    void surveyRequestsAreThePlannedOnes_data()
    {
        QTest::addColumn<bool>("chat");
        QTest::addColumn<bool>("randomOptions");
        QTest::addColumn<int>("samples");
        QTest::newRow("completion") << false << false << 1;
        QTest::newRow("completion, shuffled options, 2 samples") << false << true << 2;
        QTest::newRow("chat with a system prompt, shuffled questions") << true << true << 1;
    }

    void surveyRequestsAreThePlannedOnes()
    {
        QFETCH(bool, chat);
        QFETCH(bool, randomOptions);
        QFETCH(int, samples);
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString path = newProject(5);
        SurveyPlan plan = surveyPlan(server.baseUrl(), 3, false, samples);
        plan.options.randomizeOptionOrder = randomOptions;
        plan.options.randomizeQuestionOrder = randomOptions;
        plan.llm.chat = chat;
        plan.llm.logprobs = 3;
        if (chat)
            plan.llm.systemPrompt = u"You answer surveys."_s;
        QHash<QString, QByteArray> expected;
        qint64 runId = 0;
        {
            auto project = ProjectFile::open(path);
            QVERIFY(project);
            expected = expectedSurvey(**project, plan);
            const Result<qint64> run = RunPlanner::plan(**project, plan);
            QVERIFY(run);
            runId = *run;
        }
        const QString problem = sendAndCompare(path, runId, expected);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // The run asks the passage at the revision its items recorded, as the plan did.
    void aBackstoryEditedAfterPlanningIsAskedAsPlanned()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString path = newProject(3);
        const SurveyPlan plan = surveyPlan(server.baseUrl(), 2, false);
        QHash<QString, QByteArray> expected;
        qint64 runId = 0;
        {
            auto project = ProjectFile::open(path);
            QVERIFY(project);
            expected = expectedSurvey(**project, plan);
            runId = *RunPlanner::plan(**project, plan);
            QVERIFY(BackstoryStore(**project).edit(personaUid(1), u"An edited story."_s));
        }
        const QString problem = sendAndCompare(path, runId, expected);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void generateRequestsAreThePlannedOnes_data()
    {
        QTest::addColumn<bool>("chat");
        QTest::newRow("completion") << false;
        QTest::newRow("chat") << true;
    }

    void generateRequestsAreThePlannedOnes()
    {
        QFETCH(bool, chat);
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString path = m_dir.path(u"generate%1.anthology"_s.arg(++m_files));
        QVERIFY(ProjectFile::create(path));
        const GeneratePlan plan = generatePlan(server, chat);
        qint64 runId = 0;
        {
            auto project = ProjectFile::open(path);
            QVERIFY(project);
            runId = *GenerateStep::plan(**project, plan);
        }
        const QString problem = sendAndCompare(path, runId, expectedGenerate(plan));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void demographicsRequestsAreThePlannedOnes_data()
    {
        QTest::addColumn<bool>("parser");
        QTest::newRow("sampling") << false;
        QTest::newRow("parser") << true;
    }

    void demographicsRequestsAreThePlannedOnes()
    {
        QFETCH(bool, parser);
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString path = newProject(4);
        const DemographicsPlan plan =
            demographicsPlan(server, {personaUid(0), personaUid(1), personaUid(2), personaUid(3)}, parser);
        QHash<QString, QByteArray> expected;
        qint64 runId = 0;
        {
            auto project = ProjectFile::open(path);
            QVERIFY(project);
            expected = expectedDemographics(**project, plan);
            runId = *DemographicsStep::plan(**project, plan);
        }
        const QString problem = sendAndCompare(path, runId, expected);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // Stopped mid-run, the run resumes and sends the rest with the same bytes; the requests of
    // the items answered before stay as they were.
    void aResumedRunSendsTheSameRequests()
    {
        FakeLlmServerConfig config;
        config.latencyMs = 5;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString path = newProject(12);
        const SurveyPlan plan = surveyPlan(server.baseUrl(), 4, false, 2);
        QHash<QString, QByteArray> expected;
        qint64 runId = 0;
        {
            auto project = ProjectFile::open(path);
            QVERIFY(project);
            expected = expectedSurvey(**project, plan);
            runId = *RunPlanner::plan(**project, plan);
        }
        const QString first = driveStepRun(path, runId, fastStepOptions(3), [](RunEngine &e, const RunProgress &p) {
            if (p.done >= 10)
                e.cancel();
        });
        QCOMPARE(first, u"cancelled"_s);
        const qint64 pending =
            projectScalar(path, "SELECT count(*) FROM items WHERE run_id = ?1 AND state = 'pending'", runId);
        QVERIFY(pending > 0 && pending < 96);
        QCOMPARE(projectScalar(path,
                               "SELECT count(*) FROM items WHERE run_id = ?1 AND state = 'pending' AND request "
                               "IS NOT NULL",
                               runId),
                 0);
        QCOMPARE(driveStepRun(path, runId), u"completed"_s);
        const QString problem = compareSent(path, runId, expected);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // The plan summary counts the prompts of items that store no request from the requests the
    // engine will build.
    void theEstimateBuildsThePendingRequests()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString path = newProject(4);
        const SurveyPlan plan = surveyPlan(server.baseUrl(), 3, false);
        auto project = ProjectFile::open(path);
        QVERIFY(project);
        const QHash<QString, QByteArray> expected = expectedSurvey(**project, plan);
        const qint64 runId = *RunPlanner::plan(**project, plan);
        qint64 chars = 0;
        qint64 completion = 0;
        for (const QByteArray &json : expected) {
            const LlmRequest r = *RequestCodec::requestFromJson(json);
            chars += r.prompt.size();
            completion += r.maxTokens * r.n;
        }
        const Result<RunEstimate> e = RunEstimate::of(**project, runId);
        QVERIFY2(e, e ? "" : qPrintable(e.error().message));
        QCOMPARE(e->pending, qint64(expected.size()));
        QCOMPARE(e->completionTokens, completion);
        // Every pending request is built: the count is exact, not an average of a sample.
        QCOMPARE(e->promptTokens, qint64(double(chars) / 4.0));
    }

    // Past the first 4,096 pending items the estimate takes the average of those it built.
    void aLargeRunIsEstimatedFromItsFirstRequests()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString path = newProject(520);
        const SurveyPlan plan = surveyPlan(server.baseUrl(), 8, false);
        auto project = ProjectFile::open(path);
        QVERIFY(project);
        const QHash<QString, QByteArray> expected = expectedSurvey(**project, plan);
        QVERIFY(expected.size() > 4096);
        const qint64 runId = *RunPlanner::plan(**project, plan);
        double chars = 0;
        for (const QByteArray &json : expected)
            chars += double(RequestCodec::requestFromJson(json)->prompt.size());
        const Result<RunEstimate> e = RunEstimate::of(**project, runId);
        QVERIFY(e);
        QCOMPARE(e->completionTokens, qint64(expected.size()) * 16);
        QVERIFY2(qAbs(double(e->promptTokens) - chars / 4.0) < 0.02 * chars / 4.0,
                 qPrintable(u"%1 estimated, %2 exact"_s.arg(e->promptTokens).arg(chars / 4.0)));
    }
};

QTEST_GUILESS_MAIN(TestIndependentRequests)
#include "TestIndependentRequests.moc"
