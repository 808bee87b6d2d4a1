#include "example/ExampleProjectBuilder.h"

#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"
#include "data/DatasetStore.h"
#include "data/SyntheticAtpGenerator.h"
#include "example/DemoLlmServer.h"
#include "example/DemoModel.h"
#include "example/ExampleProject.h"
#include "llm/EndpointProfile.h"
#include "pipeline/StudyPipeline.h"
#include "project/ProjectFile.h"
#include "run/RunEngine.h"
#include "run/RunInvocation.h"
#include "run/RunItemBuilder.h"
#include "run/RunStore.h"

#include <QDir>
#include <QEventLoop>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

constexpr int kWave = 92;

Result<SurveyConfig> stepConfig(const QString &name, const QStringList &overrides)
{
    Result<ResolvedConfig> resolved = ConfigLoader().load(name, overrides);
    if (!resolved)
        return resolved.error();
    return ConfigSchema::survey(*resolved);
}

// Drives one run to its end on the calling thread's event loop, as `anthology` does.
Result<QString> drive(const QString &path, qint64 runId)
{
    auto project = ProjectFile::open(path, ProjectFile::Mode::ReadWrite);
    if (!project)
        return project.error();
    Result<RunInfo> info = RunStore(**project).run(runId);
    if (!info)
        return info.error();
    Result<LlmParameters> llm = RunItemBuilder::llmOf(*info);
    if (!llm)
        return llm.error();
    Result<EndpointProfile> profile = EndpointProfile::fromParameters(*llm);
    if (!profile)
        return profile.error();
    RunEngineOptions options;
    options.inFlight = 16;
    RunEngine engine(std::move(*project), runId, *profile, options);
    QEventLoop loop;
    QObject::connect(&engine, &RunEngine::finished, &loop, &QEventLoop::quit);
    if (Status st = engine.start(); !st)
        return st.error();
    if (!engine.isFinished())
        loop.exec();
    return engine.finalStatus();
}

Status fillData(const QString &path, const ExampleProjectOptions &options, ExampleProjectReport &report,
                bool &created)
{
    auto project = ProjectFile::create(path);
    if (!project)
        return project.error();
    created = true;
    Result<int> backstories = ExampleProject::populate(**project);
    if (!backstories)
        return backstories.error();
    report.backstories = *backstories;
    SyntheticAtpOptions synthetic;
    synthetic.respondents = options.respondents;
    synthetic.items = options.questions;
    synthetic.wave = kWave;
    synthetic.seed = std::uint64_t(options.seed);
    Result<DatasetInfo> dataset =
        DatasetStore(**project).store(SyntheticAtpGenerator(synthetic).generate(), ExampleProjectBuilder::datasetName(),
                                      kWave);
    if (!dataset)
        return dataset.error();
    report.dataset = dataset->name;
    report.respondents = options.respondents;
    return {};
}

} // namespace

QString ExampleProjectBuilder::datasetName()
{
    return u"SYNTHETIC_W92"_s;
}

QString ExampleProjectBuilder::studyName()
{
    return u"demo-scripted"_s;
}

Result<ExampleProjectReport> ExampleProjectBuilder::create(const QString &path, const ExampleProjectOptions &options)
{
    if (QFileInfo::exists(path))
        return Error::user(u"cannot create the example project: the file already exists"_s).withFile(path);
    bool created = false;
    Result<ExampleProjectReport> report = build(path, options, created);
    if (!report && created) {
        // Half an example is no example: the file is ours (it did not exist), so it goes, and
        // the same command can be run again.
        ProjectFile::removeFiles(path);
    }
    return report;
}

Result<ExampleProjectReport> ExampleProjectBuilder::build(const QString &path, const ExampleProjectOptions &options,
                                                          bool &created)
{
    ExampleProjectReport report;
    if (Status st = fillData(path, options, report, created); !st)
        return st.error();

    DemoLlmServer server;
    if (!server.listen())
        return Error::internal(u"the example's demo server could not listen on 127.0.0.1"_s);
    const QStringList llm{u"llm_parameters.api_provider="_s + server.baseUrl().toString(),
                          u"llm_parameters.model_name="_s + DemoModel::modelName()};
    const QString seed = u"random_seed="_s + QString::number(options.seed);
    StudySettings settings;
    settings.name = studyName();
    settings.dataset = datasetName();
    settings.questions = SyntheticAtpGenerator([&] {
                             SyntheticAtpOptions o;
                             o.items = options.questions;
                             o.wave = kWave;
                             return o;
                         }())
                             .itemNames();
    settings.runs = {u"QA"_s, u"BIO"_s, u"NA_greedy_QA_MCQ"_s, u"NA_greedy_BIO"_s};
    settings.numUsers = options.baselineUsers;
    // Four traits: with twelve personas, matching on all eight leaves most respondents without
    // any persona that could share all of their demographics.
    settings.traits = {u"age_category_4"_s, u"gender"_s, u"region"_s, u"political_affiliation"_s};
    settings.seed = options.seed;
    Result<SurveyConfig> survey = stepConfig(settings.surveyConfig, llm + QStringList{seed});
    if (!survey)
        return survey.error();
    Result<SurveyConfig> demographics =
        stepConfig(settings.demographicsConfig, llm + QStringList{seed, u"num_sample_response=20"_s});
    if (!demographics)
        return demographics.error();
    Result<SurveyConfig> generate = stepConfig(settings.generateConfig, llm);
    if (!generate)
        return generate.error();

    StudyPipeline pipeline(settings, *survey, *demographics, *generate);
    {
        auto project = ProjectFile::open(path, ProjectFile::Mode::ReadWrite);
        if (!project)
            return project.error();
        if (Status st = pipeline.check(**project); !st)
            return st.error();
    }
    // As `anthology study` does: one connection finishes a stage and prepares the next, the
    // engine takes its own to drive the stage's run.
    const RunInvocation invocation = RunInvocation::capture(
        {u"project"_s, u"init"_s, u"--project"_s, QFileInfo(path).absoluteFilePath(), u"--example"_s});
    std::optional<StudyStage> previous;
    QString previousStatus;
    for (;;) {
        std::optional<StudyStage> stage;
        {
            auto project = ProjectFile::open(path, ProjectFile::Mode::ReadWrite);
            if (!project)
                return project.error();
            if (previous)
                if (Status st = pipeline.finish(**project, *previous, previousStatus); !st)
                    return st.error();
            Result<std::optional<StudyStage>> next = pipeline.next(**project);
            if (!next)
                return next.error();
            stage = *next;
            if (stage && stage->runId > 0)
                if (Status st = invocation.record(**project, stage->runId); !st)
                    return st.error();
        }
        if (!stage)
            break;
        previousStatus = stage->status;
        if (stage->runId > 0 && previousStatus != u"completed"_s) {
            Result<QString> status = drive(path, stage->runId);
            if (!status)
                return status.error();
            previousStatus = *status;
        }
        if (stage->kind == StudyStage::Kind::Demographics)
            report.demographicsRun = stage->runId;
        previous = stage;
    }
    report.studyRuns = pipeline.surveyRuns();
    report.requests = server.requestCount();
    return report;
}

} // namespace anthology
