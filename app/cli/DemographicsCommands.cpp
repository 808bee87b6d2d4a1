#include "DemographicsCommands.h"

#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"
#include "ConfigArguments.h"
#include "Invocation.h"
#include "RunCommands.h"

#include "config/ConfigSchema.h"
#include "config/ResolvedConfig.h"
#include "config/SurveyConfig.h"
#include "pipeline/DemographicsStep.h"
#include "project/ProjectFile.h"
#include "run/DemographicsPlan.h"
#include "run/RunFailures.h"
#include "run/RunStore.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace anthology::cli {

namespace {

// Drives a step's run unless it already completed; returns its summary (driveRun's fields)
// with the run's stored status after.
Result<QJsonObject> driveStepRun(const StepRun &run, const QString &what, bool useProfile,
                                 const CommandLine &cl, CliOutput &out, int &exitCode)
{
    exitCode = ExitOk;
    if (!out.json())
        out.err() << (run.resumed ? "Resuming " : "Planned ") << what << " run " << run.runId << Qt::endl;
    QJsonObject summary;
    if (run.status != u"completed"_s) {
        auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
        if (!project)
            return project.error();
        exitCode = driveRun(std::move(*project), run.runId, cl, out, useProfile, &summary);
        // Refused (said already) or stopped on a fault: nothing more to report.
        if (summary.isEmpty() || summary.value(u"status"_s).toString().startsWith(u"error"_s))
            return summary;
    }
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return project.error();
    const RunStore store(**project);
    Result<RunInfo> info = store.run(run.runId);
    if (!info)
        return info.error();
    Result<RunCounts> counts = store.counts(run.runId);
    if (!counts)
        return counts.error();
    summary.insert(u"run"_s, double(run.runId));
    summary.insert(u"kind"_s, info->kind);
    summary.insert(u"status"_s, info->status);
    summary.insert(u"resumed"_s, run.resumed);
    summary.insert(u"total"_s, double(counts->total));
    summary.insert(u"done"_s, double(counts->done));
    summary.insert(u"failed"_s, double(counts->failed));
    if (!out.json()) {
        out.out() << "Run " << run.runId << " (" << what << "): " << info->status << " (" << counts->done
                  << " of " << counts->total << " done, " << counts->failed << " failed)" << Qt::endl;
        if (Result<QList<FailureGroup>> failures = RunFailures::of(**project, run.runId))
            printFailures(out, *failures);
    }
    return summary;
}

} // namespace

int surveyDemographicsCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"survey demographics"_s,
                   u"Ask every backstory of the project each trait of the demographic questionnaire, "
                   "num_sample_response samples per request, and store each trait's answer distribution. "
                   "With use_llm_as_parser=true a chat model (llm_parsing_parameters) first reads the "
                   "backstories; traits it finds stated are not sampled. use_logprobs=true also reads the "
                   "distribution from logprobs. A run of the same name resumes."_s);
    addConfigOptions(cl);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(u"name"_s, u"Run name (default: the config's name)."_s, u"name"_s));
    cl.addOption(QCommandLineOption(
        u"profile"_s, u"Send the sampling run to this URL or provider instead of the config's."_s,
        u"url-or-provider"_s));
    cl.addOption(
        QCommandLineOption(u"parser-traits"_s,
                           u"Traits the LLM-as-parser reads, comma-separated (default: all but race, "
                           "gender and religion, as in the seed)."_s,
                           u"keys"_s));
    cl.addOption(QCommandLineOption(u"restart"_s, u"Replace an unfinished run of the same name that was "
                                                  "planned from another config."_s));
    addEngineOptions(cl);
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    Result<StepConfig> step = loadStepConfig(cl, out);
    if (!step)
        return out.fail(step.error());
    const SurveyConfig *config = &step->survey;
    const DemographicsOptions options = StepRequests::demographics(
        *step, cl.value(u"name"_s), cl.isSet(u"fresh"_s), cl.value(u"parser-traits"_s));

    std::optional<DemographicsPlan> parserPlan;
    Result<DemographicsPlan> plan = Error::internal(u"unset"_s);
    {
        auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
        if (!project)
            return out.fail(project.error());
        plan = DemographicsStep::planFor(**project, *config, options);
        if (!plan)
            return out.fail(plan.error());
        Result<std::optional<DemographicsPlan>> parser =
            DemographicsStep::parserPlanFor(*plan, *config, options);
        if (!parser)
            return out.fail(parser.error());
        parserPlan = *parser;
    }

    const QStringList kCommand{u"survey"_s, u"demographics"_s};
    std::optional<qint64> parserRun;
    QJsonValue parserSummary;
    int code = ExitOk;
    if (parserPlan) {
        Result<StepRun> run = [&]() -> Result<StepRun> {
            auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
            if (!project)
                return project.error();
            Result<StepRun> prepared =
                DemographicsStep::prepare(**project, *parserPlan, std::nullopt, cl.isSet(u"restart"_s));
            if (prepared && !prepared->resumed)
                recordInvocation(**project, prepared->runId, kCommand, args, out, &cl);
            return prepared;
        }();
        if (!run)
            return out.fail(run.error());
        Result<QJsonObject> summary = driveStepRun(*run, u"LLM-as-parser"_s, false, cl, out, code);
        if (!summary)
            return out.fail(summary.error());
        if (summary->isEmpty() || !summary->contains(u"kind"_s)) // refused, or stopped on a fault
            return code;
        parserSummary = *summary;
        const QString status = summary->value(u"status"_s).toString();
        if (status != u"completed"_s && status != u"incomplete"_s) {
            if (out.json())
                out.printJson(QJsonObject{{u"parser"_s, parserSummary}, {u"demographics"_s, QJsonValue()}});
            else
                out.err() << "The parser run " << run->runId << " is " << status
                          << "; run the same command again to resume it." << Qt::endl;
            return ExitUserError;
        }
        parserRun = run->runId;
    }
    Result<StepRun> run = [&]() -> Result<StepRun> {
        auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
        if (!project)
            return project.error();
        Result<StepRun> prepared =
            DemographicsStep::prepare(**project, *plan, parserRun, cl.isSet(u"restart"_s));
        if (prepared && !prepared->resumed)
            recordInvocation(**project, prepared->runId, kCommand, args, out, &cl);
        return prepared;
    }();
    if (!run)
        return out.fail(run.error());
    const int parserCode = code;
    Result<QJsonObject> summary = driveStepRun(*run, u"demographics"_s, true, cl, out, code);
    if (!summary)
        return out.fail(summary.error());
    if (summary->isEmpty() || !summary->contains(u"kind"_s))
        return code;
    if (out.json())
        out.printJson(QJsonObject{{u"parser"_s, parserSummary}, {u"demographics"_s, *summary}});
    return qMax(code, parserCode);
}

} // namespace anthology::cli
