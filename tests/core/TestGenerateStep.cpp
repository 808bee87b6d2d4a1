#include "FakeLlmServer.h"
#include "ScriptedPersonas.h"
#include "StepFixture.h"
#include "TempProject.h"

#include "backstories/BackstoryStore.h"
#include "config/SurveyConfig.h"
#include "data/DatasetStore.h"
#include "data/SyntheticAtpGenerator.h"
#include "pipeline/GenerateStep.h"
#include "project/ProjectFile.h"
#include "prompt/BackstoryPromptBuilder.h"
#include "run/GenerateItemBuilder.h"
#include "run/GeneratePlan.h"
#include "run/RunItemBuilder.h"
#include "run/RunStore.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// Backstory generation through the run engine: the preamble is re-asked until it says yes,
// the story is sampled with the reference parameters, and the answered stories become
// project backstories with their metadata, exactly once, the short ones dropped and counted.
class TestGenerateStep : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_files = 0;

    QString newProject()
    {
        const QString path = m_dir.path(u"generate%1.anthology"_s.arg(++m_files));
        return ProjectFile::create(path) ? path : QString();
    }

    static SurveyConfig config(const FakeLlmServer &server, bool chat, bool preamble, int stories)
    {
        SurveyConfig c;
        c.name = u"stories"_s;
        c.hasLlm = true;
        c.llm = fakeEndpoint(server, chat);
        c.llm.maxTokens = 1500;
        c.llm.temperature = 1.0;
        c.llm.topP = 1.0;
        if (!chat)
            c.llm.logprobs = 1;
        c.hasSelfGenerate = true;
        c.selfGenerate.preambleQuestion = preamble ? BackstoryPromptBuilder::citizenQuestion() : QString();
        c.selfGenerate.backstoryQuestion = BackstoryPromptBuilder::backstoryQuestion();
        c.selfGenerate.numBackstories = stories;
        c.run.seed = 11;
        return c;
    }

    // Plans (or finds) and drives the run; returns its id, 0 on failure.
    static qint64 generate(const QString &path, const GeneratePlan &plan,
                           std::function<void(RunEngine &, const RunProgress &)> onProgress = {},
                           QString *status = nullptr)
    {
        auto p = ProjectFile::open(path);
        if (!p)
            return 0;
        Result<StepRun> run = GenerateStep::prepare(**p, plan);
        if (!run)
            return 0;
        p->reset();
        const QString s = driveStepRun(path, run->runId, fastStepOptions(), onProgress);
        if (status)
            *status = s;
        return run->runId;
    }

    static Result<GenerateReport> materialise(const QString &path, qint64 runId)
    {
        auto p = ProjectFile::open(path);
        if (!p)
            return p.error();
        return GenerateStep::materialise(**p, runId);
    }

    // How many of the plan's stories the scripted personas make short.
    static int expectedShort(const GeneratePlan &plan)
    {
        const GenerateItemBuilder builder(plan);
        int n = 0;
        for (int i = 0; i < plan.storyCount(); ++i)
            n +=
                scriptedStoryIsShort(builder.seedFor(GeneratePlan::storyKey(i), GeneratePlan::storyItem(), 0))
                    ? 1
                    : 0;
        return n;
    }

private Q_SLOTS:
    void storiesBecomeBackstories_data()
    {
        QTest::addColumn<bool>("chat");
        QTest::addColumn<bool>("preamble");
        QTest::newRow("completion, citizenship preamble") << false << true;
        QTest::newRow("completion, no preamble") << false << false;
        QTest::newRow("chat, citizenship preamble") << true << true;
    }

    void storiesBecomeBackstories()
    {
        QFETCH(bool, chat);
        QFETCH(bool, preamble);
        FakeLlmServerConfig serverConfig;
        serverConfig.answer = scriptedPersonas();
        FakeLlmServer server(serverConfig);
        QVERIFY(server.start());
        const QString path = newProject();
        auto project = ProjectFile::open(path);
        QVERIFY(project);
        Result<GeneratePlan> plan = GenerateStep::planFor(**project, config(server, chat, preamble, 20), {});
        QVERIFY2(plan, plan ? "" : qPrintable(plan.error().message));
        project->reset();

        QString status;
        const qint64 runId = generate(path, *plan, {}, &status);
        QVERIFY(runId > 0);
        QCOMPARE(status, u"completed"_s);
        const Result<GenerateReport> report = materialise(path, runId);
        QVERIFY2(report, report ? "" : qPrintable(report.error().message));
        const int shortOnes = expectedShort(*plan);
        QVERIFY2(shortOnes > 0 && shortOnes < 20, "the scripted personas should tell some short stories");
        QCOMPARE(report->stories, 20);
        QCOMPARE(report->droppedShort, shortOnes);
        QCOMPARE(report->preambleRefused, 0);
        QCOMPARE(report->unfinished, 0);
        QCOMPARE(report->stored, 20 - shortOnes);
        QCOMPARE(report->imported, 20 - shortOnes);

        auto reader = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        const BackstoryStore store(**reader);
        QCOMPARE(store.count(), 20 - shortOnes);
        const QList<StoredItem> items = *RunStore(**reader).items(runId);
        int preambles = 0;
        for (const StoredItem &it : items)
            preambles += it.question == GeneratePlan::preambleItem() ? 1 : 0;
        if (preamble)
            QVERIFY2(preambles > 20, "some citizenship answers were No and re-asked");
        else
            QCOMPARE(preambles, 0);

        for (const BackstorySummary &s : store.page(0, store.count())) {
            const std::optional<Backstory> b = store.get(s.uid);
            QVERIFY(b);
            QVERIFY(b->uid.startsWith(u"gen%1-story-"_s.arg(runId)));
            QVERIFY(b->tokenCount && *b->tokenCount > 40);
            QVERIFY(b->text.startsWith(u" I am persona "_s));
            QCOMPARE(*b->fullPassage, plan->passageHead() + b->text);
            QCOMPARE(b->model, u"fake-model"_s);
            QCOMPARE(b->sampling.value(u"temperature"_s).toDouble(), 1.0);
            QCOMPARE(b->sampling.value(u"top_p"_s).toDouble(), 1.0);
            QCOMPARE(b->sampling.value(u"max_tokens"_s).toInt(), 1500);
            QCOMPARE(b->attributes.value(u"finish_reason"_s).toString(), u"stop"_s);
            QCOMPARE(qint64(b->attributes.value(u"run_id"_s).toDouble()), runId);
            if (!chat) {
                QVERIFY(b->logprob && *b->logprob < 0);
                QCOMPARE(b->sampling.value(u"stop"_s).toArray(),
                         (QJsonArray{u"Question"_s, u"Q:"_s, u"Interview"_s}));
            }
            if (preamble)
                QCOMPARE(b->attributes.value(u"preamble_answer"_s).toString(), u" Yes"_s);
        }

        // What went over the wire: the reference sampling parameters.
        for (const QJsonObject &body : server.completionBodies()) {
            const bool isPreamble = chat ? body.value(u"messages"_s).toArray().size() == 1
                                         : !body.value(u"prompt"_s).toString().contains(u"Tell me about"_s);
            if (isPreamble) {
                QVERIFY(preamble);
                QCOMPARE(body.value(u"max_tokens"_s).toInt(), 100);
                if (!chat)
                    QCOMPARE(body.value(u"stop"_s).toArray(), (QJsonArray{u"\n"_s, u"Question"_s}));
                continue;
            }
            QCOMPARE(body.value(u"max_tokens"_s).toInt(), 1500);
            QCOMPARE(body.value(u"temperature"_s).toDouble(), 1.0);
            if (chat) {
                const QJsonArray messages = body.value(u"messages"_s).toArray();
                QCOMPARE(messages.size(), 3);
                QCOMPARE(messages[1].toObject().value(u"role"_s).toString(), u"assistant"_s);
                QVERIFY(messages[1].toObject().value(u"content"_s).toString().contains(u"Yes"_s));
                QCOMPARE(messages[2].toObject().value(u"content"_s).toString(),
                         BackstoryPromptBuilder::backstoryQuestion());
            } else {
                QCOMPARE(body.value(u"logprobs"_s).toInt(), 1);
                QCOMPARE(body.value(u"stop"_s).toArray(),
                         (QJsonArray{u"Question"_s, u"Q:"_s, u"Interview"_s}));
                if (preamble)
                    QVERIFY(
                        body.value(u"prompt"_s)
                            .toString()
                            .startsWith(
                                u"Question: Are you a US citizen?\n\nAnswer: Yes\n\nQuestion: Tell me"_s));
            }
        }

        // Materialising again imports nothing and reports the same figures.
        const Result<GenerateReport> again = materialise(path, runId);
        QVERIFY(again);
        QCOMPARE(again->imported, 0);
        QCOMPARE(again->stored, report->stored);
        QCOMPARE(again->droppedShort, report->droppedShort);
        QCOMPARE(BackstoryStore(**ProjectFile::open(path, ProjectFile::Mode::ReadOnly)).count(),
                 20 - shortOnes);
    }

    // Cancelled half way, materialised, resumed by name, materialised again: every story once.
    void cancelledGenerationResumesWithoutDuplicates()
    {
        FakeLlmServerConfig serverConfig;
        serverConfig.answer = scriptedPersonas();
        serverConfig.latencyMs = 5;
        FakeLlmServer server(serverConfig);
        QVERIFY(server.start());
        const QString path = newProject();
        Result<GeneratePlan> plan =
            GenerateStep::planFor(**ProjectFile::open(path), config(server, false, true, 20), {});
        QVERIFY(plan);
        QString status;
        const qint64 runId = generate(
            path, *plan,
            [](RunEngine &e, const RunProgress &p) {
                if (p.done >= 12)
                    e.cancel();
            },
            &status);
        QCOMPARE(status, u"cancelled"_s);
        const Result<GenerateReport> partial = materialise(path, runId);
        QVERIFY(partial);
        QVERIFY(partial->unfinished > 0);

        const qint64 again = generate(path, *plan, {}, &status);
        QCOMPARE(again, runId); // found by name, not planned anew
        QCOMPARE(status, u"completed"_s);
        const Result<GenerateReport> report = materialise(path, runId);
        QVERIFY(report);
        const int shortOnes = expectedShort(*plan);
        QCOMPARE(report->stored, 20 - shortOnes);
        QCOMPARE(report->imported, report->stored - partial->stored);
        QCOMPARE(report->droppedShort, shortOnes);

        auto reader = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        const BackstoryStore store(**reader);
        QCOMPARE(store.count(), 20 - shortOnes);
        QSet<QString> texts;
        for (const BackstorySummary &s : store.page(0, store.count()))
            texts.insert(store.get(s.uid)->text);
        QCOMPARE(texts.size(), 20 - shortOnes);
        QCOMPARE(RunStore(**reader).runs()->size(), 1);
    }

    // DP: one story per respondent, primed with the respondent's demographics; the backstory
    // keeps the respondent's QKEY and weight.
    void primedStoriesCarryTheirRespondent_data()
    {
        QTest::addColumn<QString>("style");
        QTest::addColumn<QString>("intro");
        QTest::newRow("qa") << u"qa"_s << u"Below you will be asked to complete some demographic questions"_s;
        QTest::newRow("bio") << u"bio"_s << u"Below you will be asked to provide a short description"_s;
        QTest::newRow("portray") << u"portray"_s
                                 << u"Answer the following questions as if you are a person"_s;
    }

    void primedStoriesCarryTheirRespondent()
    {
        QFETCH(QString, style);
        QFETCH(QString, intro);
        FakeLlmServerConfig serverConfig;
        serverConfig.answer = scriptedPersonas();
        FakeLlmServer server(serverConfig);
        QVERIFY(server.start());
        const QString path = newProject();
        SyntheticAtpOptions synthetic;
        synthetic.respondents = 12;
        synthetic.refusedRate = 0.2;
        const Dataset dataset = SyntheticAtpGenerator(synthetic).generate();
        {
            auto p = ProjectFile::open(path);
            QVERIFY(DatasetStore(**p).store(dataset, u"synth"_s, 34));
        }
        GenerateOptions options;
        options.promptStyle = style;
        options.dataset = u"synth"_s;
        options.numUsers = 8;
        Result<GeneratePlan> plan =
            GenerateStep::planFor(**ProjectFile::open(path), config(server, false, true, 0), options);
        QVERIFY2(plan, plan ? "" : qPrintable(plan.error().message));
        QCOMPARE(plan->storyCount(), 8);
        QVERIFY(!plan->hasPreamble()); // the prefix stands where the preamble would
        QSet<QString> prefixes;
        for (const PrimedStory &p : plan->primed) {
            QVERIFY(p.prefix.startsWith(intro));
            QVERIFY(!p.prefix.contains(u"Refused"_s));
            prefixes.insert(p.prefix);
        }
        QCOMPARE(prefixes.size(), 8);
        QString status;
        const qint64 runId = generate(path, *plan, {}, &status);
        QCOMPARE(status, u"completed"_s);
        for (const QJsonObject &body : server.completionBodies())
            QVERIFY(body.value(u"prompt"_s).toString().startsWith(intro));
        const Result<GenerateReport> report = materialise(path, runId);
        QVERIFY(report);
        QCOMPARE(report->stored + report->droppedShort, 8);
        const std::vector<double> weights = dataset.weights();
        auto reader = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        const BackstoryStore store(**reader);
        for (const BackstorySummary &s : store.page(0, store.count())) {
            const Backstory b = *store.get(s.uid);
            const int index = GenerateItemBuilder::storyIndex(b.uid.section(u'-', 1));
            QVERIFY(index >= 0 && index < 8);
            QCOMPARE(b.attributes.value(u"qkey"_s).toString(), plan->primed[index].qkey);
            QCOMPARE(b.attributes.value(u"weight"_s).toDouble(), weights[size_t(index)]);
            QCOMPARE(b.attributes.value(u"prompt_style"_s).toString(), style);
            QVERIFY(b.fullPassage->startsWith(plan->primed[index].prefix));
        }
    }

    // A second generation under another name writes other stories; the same name resumes.
    void anotherNameWritesOtherStories()
    {
        FakeLlmServerConfig serverConfig;
        serverConfig.answer = scriptedPersonas();
        FakeLlmServer server(serverConfig);
        QVERIFY(server.start());
        const QString path = newProject();
        QSet<QString> texts;
        QHash<QString, int> storedByName;
        for (const QString &name : {u"first"_s, u"second"_s, u"first"_s}) {
            GenerateOptions options;
            options.name = name;
            Result<GeneratePlan> plan =
                GenerateStep::planFor(**ProjectFile::open(path), config(server, false, false, 6), options);
            QVERIFY(plan);
            QString status;
            const qint64 runId = generate(path, *plan, {}, &status);
            QCOMPARE(status, u"completed"_s);
            QCOMPARE(runId, name == u"first"_s ? 1 : 2);
            const Result<GenerateReport> report = materialise(path, runId);
            QVERIFY(report);
            storedByName.insert(name, int(report->stored)); // the same figure when run again
        }
        const int stored = storedByName.value(u"first"_s) + storedByName.value(u"second"_s);
        QVERIFY(storedByName.value(u"first"_s) > 0 && storedByName.value(u"second"_s) > 0);
        auto reader = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        const BackstoryStore store(**reader);
        QCOMPARE(store.count(), stored);
        for (const BackstorySummary &s : store.page(0, store.count()))
            texts.insert(store.get(s.uid)->text);
        QCOMPARE(int(texts.size()), stored);
        QCOMPARE(RunStore(**reader).runs()->size(), 2);
    }

    void engineRefusesAnUnknownKind()
    {
        RunInfo info;
        info.id = 3;
        info.kind = u"horoscope"_s;
        info.config = u"{}"_s;
        const Result<std::unique_ptr<RunItemBuilder>> builder = RunItemBuilder::forRun(info);
        QVERIFY(!builder);
        QVERIFY(builder.error().message.contains(u"horoscope"_s));
    }

    void refusesWhatCannotRun_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("message");
        QTest::newRow("no stories") << u"count"_s << u"num_backstories"_s;
        QTest::newRow("chat-only parameter") << u"top_logprobs"_s << u"chat-model parameter"_s;
        QTest::newRow("missing API key") << u"key"_s << u"ANTHOLOGY_TEST_NO_SUCH_KEY"_s;
        QTest::newRow("unknown data set") << u"dataset"_s << u"nowhere"_s;
    }

    void refusesWhatCannotRun()
    {
        QFETCH(QString, what);
        QFETCH(QString, message);
        FakeLlmServer server;
        SurveyConfig c = config(server, false, true, 5);
        GenerateOptions options;
        if (what == u"count"_s)
            c.selfGenerate.numBackstories = 0;
        else if (what == u"top_logprobs"_s)
            c.llm.topLogprobs = 5;
        else if (what == u"key"_s)
            c.llm.apiKeyEnv = u"ANTHOLOGY_TEST_NO_SUCH_KEY"_s;
        else
            options.promptStyle = u"qa"_s, options.dataset = u"nowhere"_s;
        const QString path = newProject();
        const Result<GeneratePlan> plan = GenerateStep::planFor(**ProjectFile::open(path), c, options);
        QVERIFY(!plan);
        QVERIFY2(plan.error().message.contains(message) || plan.error().key.contains(message),
                 qPrintable(plan.error().toString()));
    }
};

QTEST_GUILESS_MAIN(TestGenerateStep)
#include "TestGenerateStep.moc"
