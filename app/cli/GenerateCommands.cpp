#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"
#include "ConfigArguments.h"
#include "GenerateOutcome.h"
#include "Invocation.h"
#include "RunCommands.h"

#include "config/ConfigSchema.h"
#include "config/ResolvedConfig.h"
#include "config/SurveyConfig.h"
#include "pipeline/GenerateStep.h"
#include "project/ProjectFile.h"
#include "run/GeneratePlan.h"
#include "run/RunStore.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace anthology::cli {

namespace {

int backstoriesCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(
        u"generate backstories"_s,
        u"Generate natural backstories (optional citizenship preamble, then the story) or, with "
        "prompt_style=qa|bio|portray dataset=NAME [num_users=N], demographics-primed ones, and store "
        "them in the project. A run of the same name resumes; killed, run the same command again."_s);
    addConfigOptions(cl);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(u"name"_s, u"Run name (default: the config's name)."_s, u"name"_s));
    cl.addOption(QCommandLineOption(u"profile"_s, u"Send to this URL or provider instead of the config's."_s,
                                    u"url-or-provider"_s));
    cl.addOption(QCommandLineOption(u"restart"_s, u"Replace an unfinished run of the same name that was "
                                                  "planned from another config."_s));
    addEngineOptions(cl);
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    Result<StepConfig> step = loadStepConfig(cl, out);
    if (!step)
        return out.fail(step.error());
    const SurveyConfig *config = &step->survey;

    const GenerateOptions options = StepRequests::generate(*step, cl.value(u"name"_s), cl.isSet(u"fresh"_s));

    auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
    if (!project)
        return out.fail(project.error());
    Result<GeneratePlan> plan = GenerateStep::planFor(**project, *config, options);
    if (!plan)
        return out.fail(plan.error());
    Result<StepRun> run = GenerateStep::prepare(**project, *plan, cl.isSet(u"restart"_s));
    if (!run)
        return out.fail(run.error());
    if (!run->resumed)
        recordInvocation(**project, run->runId, {u"generate"_s, u"backstories"_s}, args, out, &cl);
    if (!out.json())
        out.err() << (run->resumed ? "Resuming generate run " : "Planned generate run ") << run->runId << " ("
                  << plan->name << ", " << plan->storyCount() << " stories)" << Qt::endl;
    QJsonObject summary;
    int code = ExitOk;
    std::optional<GenerateReport> report;
    QList<FailureGroup> failures;
    if (run->status != runStatusName(RunStatus::Completed)) {
        const RunOutcome outcome = driveOutcome(std::move(*project), run->runId, cl, out, true);
        if (outcome.error && !outcome.progress.runId)
            return out.fail(*outcome.error);
        summary = outcomeJson(outcome);
        code = exitCodeOf(outcome);
        if (!outcome.backstories) { // stopped on a fault: said like any run
            if (out.json())
                out.printJson(summary);
            else
                out.out() << "Run " << run->runId << ": " << outcome.statusText() << Qt::endl;
            return code;
        }
        report = outcome.backstories;
        failures = outcome.failures;
    } else {
        Result<RunCounts> counts = RunStore(**project).counts(run->runId);
        if (!counts)
            return out.fail(counts.error());
        summary = QJsonObject{{u"run"_s, double(run->runId)},
                              {u"status"_s, run->status},
                              {u"total"_s, double(counts->total)},
                              {u"done"_s, double(counts->done)},
                              {u"failed"_s, double(counts->failed)}};
        Result<GenerateReport> materialised = GenerateStep::materialise(**project, run->runId);
        if (!materialised)
            return out.fail(materialised.error());
        report = *materialised;
    }
    summary.insert(u"resumed"_s, run->resumed);
    printGenerateOutcome(out, run->runId, summary, *report);
    if (!out.json())
        printFailures(out, failures);
    return code;
}

} // namespace

int runGenerate(const QStringList &args, CliOutput &out)
{
    return dispatch("generate",
                    {{"backstories", "Generate backstories with an LLM and store them in the project",
                      backstoriesCommand}},
                    args, out);
}

} // namespace anthology::cli
