#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"
#include "GenerateOutcome.h"
#include "Invocation.h"
#include "RunCommands.h"

#include "llm/EndpointProfile.h"
#include "pipeline/GenerateStep.h"
#include "pipeline/RunController.h"
#include "project/ProjectFile.h"
#include "run/GeneratePlan.h"
#include "run/QuestionnaireFile.h"
#include "run/RunAdaptations.h"
#include "run/RunAnswers.h"
#include "run/RunEndpoint.h"
#include "run/RunEngine.h"
#include "run/RunFailures.h"
#include "run/RunInvocation.h"
#include "run/RunItemBuilder.h"
#include "run/RunPlanner.h"
#include "run/RunStore.h"
#include "run/SurveyPlan.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <atomic>
#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;

namespace anthology::cli {

namespace {

std::atomic<bool> g_interrupted{false};

void onInterrupt(int)
{
    g_interrupted.store(true);
}

Result<qint64> runIdArgument(const CommandLine &cl)
{
    if (cl.positional().size() != 1)
        return Error::user(u"expected one run id (see 'anthology run list')"_s);
    bool ok = false;
    const qint64 id = cl.positional().first().toLongLong(&ok);
    if (!ok || id <= 0)
        return Error::user(
            u"expected a run id (a whole number > 0), got '%1'"_s.arg(cl.positional().first()));
    return id;
}

// A value of --profile: an http(s) base URL or a provider name.
LlmParameters llmFor(const QString &profile, const QString &model)
{
    LlmParameters llm;
    llm.apiProvider = profile;
    llm.modelName = model;
    return llm;
}

QJsonObject countsJson(const RunCounts &c)
{
    return QJsonObject{{u"total"_s, double(c.total)},
                       {u"pending"_s, double(c.pending)},
                       {u"done"_s, double(c.done)},
                       {u"failed"_s, double(c.failed)},
                       {u"compliant"_s, double(c.compliant)},
                       {u"from_cache"_s, double(c.fromCache)},
                       {u"prompt_tokens"_s, double(c.promptTokens)},
                       {u"completion_tokens"_s, double(c.completionTokens)},
                       {u"cost"_s, c.cost}};
}

QString progressLine(const RunProgress &p)
{
    QString line = u"run %1: %2/%3 done, %4 failed, %5 in flight, %6 req/s, %7 tok/s"_s.arg(p.runId)
                       .arg(p.done)
                       .arg(p.total)
                       .arg(p.failed)
                       .arg(p.inFlight)
                       .arg(p.requestsPerSecond, 0, 'f', 1)
                       .arg(p.tokensPerSecond, 0, 'f', 0);
    if (p.etaSeconds >= 0)
        line += u", ETA %1 s"_s.arg(p.etaSeconds, 0, 'f', 0);
    if (p.cost > 0)
        line += u", cost %1"_s.arg(p.cost, 0, 'f', 4);
    if (p.paused)
        line += u" (paused)"_s;
    return line;
}

} // namespace

QJsonArray failuresJson(const QList<FailureGroup> &groups)
{
    QJsonArray array;
    for (const FailureGroup &g : groups) {
        QJsonObject o{{u"cause"_s, g.label()},
                      {u"count"_s, double(g.count)},
                      {u"latest_error"_s, g.latestMessage},
                      {u"latest_item"_s, double(g.latestItem)}};
        if (g.cause == FailureCause::HttpStatus)
            o.insert(u"http_status"_s, g.httpStatus);
        array.append(o);
    }
    return array;
}

void printFailures(CliOutput &out, const QList<FailureGroup> &groups)
{
    if (groups.isEmpty())
        return;
    out.out() << "  failures by cause:\n";
    for (const QString &line : RunFailures::describe(groups))
        out.out() << "    " << line << '\n';
    out.out().flush();
}

int exitCodeOf(const RunOutcome &outcome)
{
    if (outcome.error)
        return outcome.error->kind == Error::Kind::User ? ExitUserError : ExitInternalError;
    return outcome.succeeded() ? ExitOk : ExitUserError;
}

Result<RunDriveOptions> driveOptions(const CommandLine &cl, bool useProfileOption)
{
    RunDriveOptions options;
    if (cl.isSet(u"in-flight"_s)) {
        bool ok = true;
        options.inFlight = cl.value(u"in-flight"_s).toInt(&ok);
        if (!ok || *options.inFlight < 1)
            return Error::user(u"--in-flight expects a whole number >= 1"_s);
    }
    options.freshSamples = cl.isSet(u"fresh"_s);
    if (useProfileOption && cl.isSet(u"profile"_s))
        options.profile = cl.value(u"profile"_s);
    return options;
}

RunOutcome driveOutcome(std::unique_ptr<ProjectFile> project, qint64 runId, const CommandLine &cl, CliOutput &out,
                        bool useProfileOption)
{
    Result<RunDriveOptions> options = driveOptions(cl, useProfileOption);
    if (!options) {
        RunOutcome refused;
        refused.runId = runId;
        refused.error = options.error();
        return refused;
    }
    const bool showProgress = !out.json() && !cl.isSet(u"quiet"_s);
    g_interrupted.store(false);
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    RunOutcome outcome = RunController::drive(
        std::move(project), runId, *options,
        [&](const RunProgress &p) {
            if (showProgress) {
                out.err() << '\r' << progressLine(p) << "   ";
                out.err().flush();
            }
        },
        [] { return g_interrupted.exchange(false); });
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (showProgress && outcome.progress.runId)
        out.err() << '\r' << progressLine(outcome.progress) << '\n';
    return outcome;
}

QJsonObject outcomeJson(const RunOutcome &outcome)
{
    const RunProgress &p = outcome.progress;
    QJsonObject result{{u"run"_s, double(outcome.runId)},
                       {u"status"_s, outcome.statusText()},
                       {u"total"_s, double(p.total)},
                       {u"done"_s, double(p.done)},
                       {u"failed"_s, double(p.failed)},
                       {u"cache_hits"_s, double(p.cacheHits)},
                       {u"cost"_s, p.cost}};
    if (!outcome.failures.isEmpty())
        result.insert(u"failures"_s, failuresJson(outcome.failures));
    return result;
}

// Runs the engine on an open read-write project until the run finishes or is cancelled
// (Ctrl-C, `anthology run cancel`), then reports. The project connection goes to the engine.
int driveRun(std::unique_ptr<ProjectFile> project, qint64 runId, const CommandLine &cl, CliOutput &out,
             bool useProfileOption, QJsonObject *summary)
{
    const RunOutcome outcome = driveOutcome(std::move(project), runId, cl, out, useProfileOption);
    if (outcome.error && !outcome.progress.runId) // refused before a request: said as an error
        return out.fail(*outcome.error);
    const RunProgress &p = outcome.progress;
    const QJsonObject result = outcomeJson(outcome);
    // The endpoint was never reached: the run paused itself; say why whoever reports the rest.
    const QString stopLine =
        outcome.stopReason.isEmpty()
            ? QString()
            : u"run %1 paused: %2; then resume it: anthology run resume %1"_s.arg(runId).arg(outcome.stopReason);
    if (!stopLine.isEmpty())
        out.err() << "anthology: " << stopLine << Qt::endl;
    QJsonObject reported = result;
    if (!outcome.stopReason.isEmpty())
        reported.insert(u"stop_reason"_s, outcome.stopReason);
    if (summary) {
        *summary = reported; // the caller reports
    } else if (out.json()) {
        out.printJson(reported);
    } else {
        out.out() << "Run " << runId << ": " << outcome.statusText() << " (" << p.done << " of " << p.total
                  << " done, " << p.failed << " failed)" << Qt::endl;
        printFailures(out, outcome.failures);
    }
    return exitCodeOf(outcome);
}

void addEngineOptions(CommandLine &cl)
{
    cl.addOption(
        QCommandLineOption(u"in-flight"_s,
                           u"Requests on the wire at once (default: the run's num_processes, or its llm "
                           "max_in_flight when set; else %1)."_s.arg(RunController::kDefaultInFlight),
                           u"n"_s));
    cl.addOption(QCommandLineOption(u"fresh"_s, u"Never answer from the project's request cache."_s));
    cl.addOption(QCommandLineOption(u"quiet"_s, u"No progress line on stderr."_s));
}

namespace {

int surveyCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"run survey"_s,
                   u"Plan a survey run (every backstory x question x sample), store it, and run it. "
                   "Killed or cancelled, it continues with 'anthology run resume RUN'."_s);
    cl.addOption(projectOption());
    cl.addOption(
        QCommandLineOption(u"questionnaire"_s, u"Questionnaire YAML (wave, questions)."_s, u"file"_s));
    cl.addOption(QCommandLineOption(u"profile"_s,
                                    u"An http(s) base URL or a provider name (openai, together, "
                                    "localhost, ollama, llamacpp)."_s,
                                    u"url-or-provider"_s));
    cl.addOption(QCommandLineOption(u"model"_s, u"Model name."_s, u"model"_s));
    cl.addOption(
        QCommandLineOption(u"samples"_s, u"Samples per persona and question (default 1)."_s, u"n"_s, u"1"_s));
    cl.addOption(QCommandLineOption(u"in-series"_s, u"Ask the questions in series (the default)."_s));
    cl.addOption(QCommandLineOption(u"independent"_s, u"Ask every question independently."_s));
    cl.addOption(QCommandLineOption(u"seed"_s, u"Run seed (default 42)."_s, u"seed"_s, u"42"_s));
    cl.addOption(
        QCommandLineOption(u"max-tokens"_s, u"max_tokens per answer (default 16)."_s, u"n"_s, u"16"_s));
    cl.addOption(QCommandLineOption(u"logprobs"_s, u"Ask for K alternatives per token."_s, u"k"_s));
    cl.addOption(QCommandLineOption(u"compliance-forcing"_s,
                                    u"Re-ask a non-compliant answer up to N times."_s, u"n"_s));
    cl.addOption(QCommandLineOption(u"chat"_s, u"Use chat completions."_s));
    cl.addOption(QCommandLineOption(u"name"_s, u"Run name."_s, u"name"_s));
    addEngineOptions(cl);
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (!cl.positional().isEmpty())
        return out.usage(u"unexpected argument '%1'"_s.arg(cl.positional().first()), cl.helpHint());
    for (const QString &required : {u"questionnaire"_s, u"profile"_s, u"model"_s}) {
        if (!cl.isSet(required))
            return out.usage(u"--%1 is required"_s.arg(required), cl.helpHint());
    }
    if (cl.isSet(u"in-series"_s) && cl.isSet(u"independent"_s))
        return out.usage(u"--in-series and --independent exclude each other"_s, cl.helpHint());

    SurveyPlan plan;
    QList<Error> warnings;
    Result<Questionnaire> questionnaire = QuestionnaireFile::load(cl.value(u"questionnaire"_s), &warnings);
    if (!questionnaire)
        return out.fail(questionnaire.error());
    if (!out.json())
        for (const Error &w : std::as_const(warnings))
            out.err() << "warning: " << w.toString() << Qt::endl;
    plan.questionnaire = *questionnaire;
    plan.name = cl.isSet(u"name"_s) ? cl.value(u"name"_s) : u"survey"_s;
    plan.llm = llmFor(cl.value(u"profile"_s), cl.value(u"model"_s));
    plan.llm.chat = cl.isSet(u"chat"_s);
    bool ok = true;
    plan.llm.maxTokens = cl.value(u"max-tokens"_s).toInt(&ok);
    if (!ok || plan.llm.maxTokens < 1)
        return out.usage(u"--max-tokens expects a whole number >= 1"_s, cl.helpHint());
    if (cl.isSet(u"logprobs"_s)) {
        const int k = cl.value(u"logprobs"_s).toInt(&ok);
        if (!ok || k < 0)
            return out.usage(u"--logprobs expects a whole number >= 0"_s, cl.helpHint());
        plan.llm.logprobs = k;
        plan.llm.topLogprobs = k;
    }
    plan.samples = cl.value(u"samples"_s).toInt(&ok);
    if (!ok || plan.samples < 1)
        return out.usage(u"--samples expects a whole number >= 1"_s, cl.helpHint());
    plan.options.seed = cl.value(u"seed"_s).toInt(&ok);
    if (!ok)
        return out.usage(u"--seed expects a whole number"_s, cl.helpHint());
    plan.options.inSeries = !cl.isSet(u"independent"_s);
    // Kept with the run, so resuming it without --in-flight keeps the same concurrency.
    plan.options.numProcesses =
        cl.isSet(u"in-flight"_s) ? cl.value(u"in-flight"_s).toInt(&ok) : RunController::kDefaultInFlight;
    if (!ok || plan.options.numProcesses < 1)
        return out.usage(u"--in-flight expects a whole number >= 1"_s, cl.helpHint());
    if (cl.isSet(u"compliance-forcing"_s)) {
        plan.options.includeComplianceForcing = true;
        plan.options.numberComplianceForcing = cl.value(u"compliance-forcing"_s).toInt(&ok);
        if (!ok || plan.options.numberComplianceForcing < 0)
            return out.usage(u"--compliance-forcing expects a whole number >= 0"_s, cl.helpHint());
    }
    plan.freshSamples = cl.isSet(u"fresh"_s);
    if (Result<EndpointProfile> profile = EndpointProfile::fromParameters(plan.llm); !profile)
        return out.fail(profile.error());

    auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
    if (!project)
        return out.fail(project.error());
    Result<qint64> runId = RunPlanner::plan(**project, plan);
    if (!runId)
        return out.fail(runId.error());
    recordInvocation(**project, *runId, {u"run"_s, u"survey"_s}, args, out);
    if (!out.json()) {
        out.err() << "Planned run " << *runId << Qt::endl;
    }
    return driveRun(std::move(*project), *runId, cl, out);
}

// What resume and retry-failed share: the run, its project, another endpoint, engine options.
void addDriveExistingRunOptions(CommandLine &cl)
{
    cl.addPositional(u"run"_s, u"The run id."_s);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(u"profile"_s, u"Send to this URL or provider instead of the run's own."_s,
                                    u"url-or-provider"_s));
    addEngineOptions(cl);
}

// Drives an existing run; a "generate" run's stories then become backstories (idempotent, the
// controller does it), as `generate backstories` does.
int driveExistingRun(std::unique_ptr<ProjectFile> project, qint64 runId, const CommandLine &cl,
                     CliOutput &out)
{
    const RunOutcome outcome = driveOutcome(std::move(project), runId, cl, out, true);
    if (outcome.error && !outcome.progress.runId)
        return out.fail(*outcome.error);
    if (!outcome.backstories) {
        const QJsonObject result = outcomeJson(outcome);
        if (out.json()) {
            out.printJson(result);
        } else {
            out.out() << "Run " << runId << ": " << outcome.statusText() << " (" << outcome.progress.done
                      << " of " << outcome.progress.total << " done, " << outcome.progress.failed << " failed)"
                      << Qt::endl;
            printFailures(out, outcome.failures);
        }
        return exitCodeOf(outcome);
    }
    printGenerateOutcome(out, runId, outcomeJson(outcome), *outcome.backstories);
    return exitCodeOf(outcome);
}

int resumeCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"run resume"_s, u"Continue a run with exactly the items not yet committed; or, while "
                                    "another process runs it paused, let it go on."_s);
    addDriveExistingRunOptions(cl);
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    Result<qint64> runId = runIdArgument(cl);
    if (!runId)
        return out.usage(runId.error().message, cl.helpHint());
    const QString path = projectPath(cl);
    if (!path.isEmpty() && RunController::isHeld(path, *runId)) {
        Result<RunController::RequestResult> asked =
            RunController::request(path, *runId, RunController::Request::Resume);
        if (!asked)
            return out.fail(asked.error());
        out.out() << "Run " << *runId << ": resume requested from the process running it" << Qt::endl;
        return ExitOk;
    }
    auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
    if (!project)
        return out.fail(project.error());
    return driveExistingRun(std::move(*project), *runId, cl, out);
}

int retryFailedCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"run retry-failed"_s, u"Send the failed items of a run again (only those)."_s);
    addDriveExistingRunOptions(cl);
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    Result<qint64> runId = runIdArgument(cl);
    if (!runId)
        return out.usage(runId.error().message, cl.helpHint());
    auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
    if (!project)
        return out.fail(project.error());
    Result<int> reset = RunController::resetFailed(**project, *runId);
    if (!reset)
        return out.fail(reset.error());
    if (!out.json())
        out.err() << "Retrying " << *reset << " failed items" << Qt::endl;
    return driveExistingRun(std::move(*project), *runId, cl, out);
}

int controlCommand(const QStringList &args, CliOutput &out, const QString &what)
{
    const bool cancel = what == u"cancel"_s;
    CommandLine cl(u"run "_s + what, cancel
                                         ? u"Cancel a run: a running process stops after committing what it "
                                           "has; everything else stays pending for 'run resume'."_s
                                         : u"Pause a running run: nothing new is sent until 'run resume'."_s);
    cl.addPositional(u"run"_s, u"The run id."_s);
    cl.addOption(projectOption());
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    Result<qint64> runId = runIdArgument(cl);
    if (!runId)
        return out.usage(runId.error().message, cl.helpHint());
    const QString path = projectPath(cl);
    if (path.isEmpty())
        return out.usage(u"no project file: pass --project FILE or set ANTHOLOGY_PROJECT"_s, cl.helpHint());
    Result<RunController::RequestResult> asked = RunController::request(
        path, *runId, cancel ? RunController::Request::Cancel : RunController::Request::Pause);
    if (!asked)
        return out.fail(asked.error());
    if (asked->running) {
        if (out.json())
            out.printJson(QJsonObject{{u"run"_s, double(*runId)}, {u"running"_s, true}, {u"requested"_s, what}});
        else
            out.out() << "Run " << *runId << ": " << what << " requested from the process running it" << Qt::endl;
        return ExitOk;
    }
    if (out.json())
        out.printJson(QJsonObject{
            {u"run"_s, double(*runId)}, {u"running"_s, false}, {u"status"_s, runStatusName(asked->status)}});
    else
        out.out() << "Run " << *runId << " is not running" << (cancel ? "; marked cancelled" : "") << Qt::endl;
    return ExitOk;
}

int cancelCommand(const QStringList &args, CliOutput &out)
{
    return controlCommand(args, out, u"cancel"_s);
}

int pauseCommand(const QStringList &args, CliOutput &out)
{
    return controlCommand(args, out, u"pause"_s);
}

int listCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"run list"_s, u"List the runs of a project with their item counts."_s);
    cl.addOption(projectOption());
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return out.fail(project.error());
    RunStore store(**project);
    Result<QList<RunInfo>> runs = store.runs();
    if (!runs)
        return out.fail(runs.error());
    Result<QHash<qint64, RunCounts>> counts = store.allCounts();
    if (!counts)
        return out.fail(counts.error());
    QJsonArray array;
    QList<QStringList> table;
    for (RunInfo r : *runs) {
        r.status = RunController::effectiveStatusName((*project)->path(), r);
        const RunCounts *c = &(*counts)[r.id]; // a run without items has zero counts
        QJsonObject o{{u"id"_s, double(r.id)},     {u"name"_s, r.name},
                      {u"kind"_s, r.kind},         {u"status"_s, r.status},
                      {u"seed"_s, double(r.seed)}, {u"created"_s, r.created.toString(Qt::ISODate)}};
        o.insert(u"items"_s, countsJson(*c));
        array.append(o);
        table.append({QString::number(r.id), r.name, r.status, QString::number(c->done),
                      QString::number(c->failed), QString::number(c->total),
                      r.created.toString(Qt::ISODate)});
    }
    if (out.json())
        out.printJson(QJsonObject{{u"runs"_s, array}});
    else
        out.printTable({u"id"_s, u"name"_s, u"status"_s, u"done"_s, u"failed"_s, u"items"_s, u"created"_s},
                       table);
    return ExitOk;
}

// What `run status` and `run show` read: the run and its counts, from a read-only project.
struct StoredRun
{
    std::unique_ptr<ProjectFile> project;
    RunInfo info; // its status as shown: a running run no process holds is interrupted
    RunCounts counts;
    QList<FailureGroup> failures;
};

Result<StoredRun> readRun(const CommandLine &cl, qint64 runId)
{
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return project.error();
    RunStore store(**project);
    Result<RunInfo> info = store.run(runId);
    if (!info)
        return info.error();
    Result<RunCounts> counts = store.counts(runId);
    if (!counts)
        return counts.error();
    Result<QList<FailureGroup>> failures = RunFailures::of(**project, runId);
    if (!failures)
        return failures.error();
    info->status = RunController::effectiveStatusName((*project)->path(), *info);
    return StoredRun{std::move(*project), std::move(*info), *counts, std::move(*failures)};
}

// The items and tokens lines of `run status` and `run show`.
QString countsText(const RunCounts &c)
{
    return u"  items: %1 total, %2 done (%3 compliant, %4 from cache), %5 failed, %6 pending\n"
           "  tokens: %7 prompt, %8 completion; cost %9\n"_s.arg(c.total)
               .arg(c.done)
               .arg(c.compliant)
               .arg(c.fromCache)
               .arg(c.failed)
               .arg(c.pending)
               .arg(c.promptTokens)
               .arg(c.completionTokens)
               .arg(c.cost);
}

int statusCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"run status"_s, u"Show a run's state, item counts, tokens and cost."_s);
    cl.addPositional(u"run"_s, u"The run id."_s);
    cl.addOption(projectOption());
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    Result<qint64> runId = runIdArgument(cl);
    if (!runId)
        return out.usage(runId.error().message, cl.helpHint());
    Result<StoredRun> stored = readRun(cl, *runId);
    if (!stored)
        return out.fail(stored.error());
    ProjectFile *project = stored->project.get();
    const RunInfo *info = &stored->info;
    const RunCounts *c = &stored->counts;
    Result<QList<RunAdaptation>> adaptations = RunAdaptations::of(*project, *runId);
    if (!adaptations)
        return out.fail(adaptations.error());
    Result<QStringList> cachedFrom = RunEndpoint::cachedFrom(*project, *runId);
    if (!cachedFrom)
        return out.fail(cachedFrom.error());
    const QJsonObject endpoint = RunEndpoint::of(info->config);
    if (out.json()) {
        QJsonArray adapted;
        for (const RunAdaptation &a : std::as_const(*adaptations))
            adapted.append(QJsonObject{{u"adaptation"_s, a.text}, {u"items"_s, double(a.items)}});
        out.printJson(QJsonObject{{u"id"_s, double(info->id)},
                                  {u"adaptations"_s, adapted},
                                  {u"name"_s, info->name},
                                  {u"status"_s, info->status},
                                  {u"seed"_s, double(info->seed)},
                                  {u"program_version"_s, info->programVersion},
                                  {u"created"_s, info->created.toString(Qt::ISODate)},
                                  {u"items"_s, countsJson(*c)},
                                  {u"endpoint"_s, endpoint},
                                  {u"cached_from"_s, QJsonArray::fromStringList(*cachedFrom)},
                                  {u"failures"_s, failuresJson(stored->failures)},
                                  {u"config"_s, QJsonDocument::fromJson(info->config.toUtf8()).object()}});
    } else {
        out.out() << "Run " << info->id << " (" << info->name << "): " << info->status << '\n'
                  << countsText(*c) << "  seed " << info->seed << ", created "
                  << info->created.toString(Qt::ISODate) << ", version " << info->programVersion << '\n';
        out.out() << "  endpoint: " << RunEndpoint::describe(endpoint) << '\n';
        for (const QString &line : std::as_const(*cachedFrom))
            out.out() << "  cached from: " << line << '\n';
        for (const RunAdaptation &a : std::as_const(*adaptations))
            out.out() << "  adapted to the server: " << a.text << " (" << a.items
                      << (a.items == 1 ? " item)\n" : " items)\n");
        printFailures(out, stored->failures);
        out.out().flush();
    }
    return ExitOk;
}

int exportCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"run export"_s,
                   u"Write a run's final answers (persona, question, option 1..K or empty when "
                   "non-compliant) as the CSV that 'anthology analyze --answers' reads."_s);
    cl.addPositional(u"run"_s, u"The run id."_s);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(u"answers"_s, u"The CSV file to write."_s, u"file"_s));
    cl.addOption(QCommandLineOption(u"sample"_s, u"Which sample (default 0)."_s, u"n"_s, u"0"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    Result<qint64> runId = runIdArgument(cl);
    if (!runId)
        return out.usage(runId.error().message, cl.helpHint());
    if (!cl.isSet(u"answers"_s))
        return out.usage(u"--answers is required"_s, cl.helpHint());
    bool ok = true;
    const int sample = cl.value(u"sample"_s).toInt(&ok);
    if (!ok || sample < 0)
        return out.usage(u"--sample expects a whole number >= 0"_s, cl.helpHint());
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return out.fail(project.error());
    if (Result<RunInfo> info = RunStore(**project).run(*runId); !info)
        return out.fail(info.error());
    Result<QByteArray> csv = RunAnswers::toCsv(**project, *runId, sample);
    if (!csv)
        return out.fail(csv.error());
    QFile file(cl.value(u"answers"_s));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(*csv) != csv->size())
        return out.fail(
            Error::user(u"cannot write the answers: %1"_s.arg(file.errorString())).withFile(file.fileName()));
    const qsizetype rows = csv->count('\n') - 1;
    if (out.json())
        out.printJson(QJsonObject{
            {u"run"_s, double(*runId)}, {u"answers"_s, double(rows)}, {u"file"_s, file.fileName()}});
    else
        out.out() << "Wrote " << rows << " answers of run " << *runId << " to " << file.fileName()
                  << Qt::endl;
    return ExitOk;
}

int showCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"run show"_s, u"Show what a run is: its resolved config, program version, seeds, item "
                                  "counts and the exact command that reproduces it."_s);
    cl.addPositional(u"run"_s, u"The run id."_s);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(
        u"into"_s, u"Print the reproducing command with --project set to this file."_s, u"project"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    Result<qint64> runId = runIdArgument(cl);
    if (!runId)
        return out.usage(runId.error().message, cl.helpHint());
    Result<StoredRun> stored = readRun(cl, *runId);
    if (!stored)
        return out.fail(stored.error());
    const RunInfo *info = &stored->info;
    const RunCounts *c = &stored->counts;
    QJsonObject config = QJsonDocument::fromJson(info->config.toUtf8()).object();
    const std::optional<RunInvocation> invocation = RunInvocation::of(*info);
    config.remove(QLatin1StringView(RunInvocation::configKey));
    QJsonObject seeds{{u"run"_s, double(info->seed)}};
    const QJsonValue llmSeed = config.value(u"llm"_s).toObject().value(u"seed"_s);
    if (!llmSeed.isUndefined() && !llmSeed.isNull())
        seeds.insert(u"llm"_s, llmSeed);
    const QString into = cl.value(u"into"_s);
    if (out.json()) {
        QJsonObject o{{u"id"_s, double(info->id)},
                      {u"name"_s, info->name},
                      {u"kind"_s, info->kind},
                      {u"status"_s, info->status},
                      {u"program_version"_s, info->programVersion},
                      {u"created"_s, info->created.toString(Qt::ISODate)},
                      {u"seeds"_s, seeds},
                      {u"items"_s, countsJson(*c)},
                      {u"failures"_s, failuresJson(stored->failures)},
                      {u"config"_s, config}};
        if (invocation) {
            QJsonObject i = invocation->toJson();
            i.insert(u"arguments"_s, QJsonArray::fromStringList(invocation->argumentsFor(into)));
            i.insert(u"command_line"_s, invocation->commandLine(into));
            o.insert(u"invocation"_s, i);
        }
        out.printJson(o);
        return ExitOk;
    }
    out.out() << "Run " << info->id << " (" << info->name << "): " << info->kind << ", " << info->status
              << '\n'
              << "  created " << info->created.toString(Qt::ISODate) << " by anthology "
              << info->programVersion << '\n'
              << "  seeds: run " << info->seed;
    if (seeds.contains(u"llm"_s))
        out.out() << ", llm " << seeds.value(u"llm"_s).toInteger();
    out.out() << '\n' << countsText(*c);
    out.out() << "  endpoint: " << RunEndpoint::describe(RunEndpoint::of(info->config)) << '\n';
    printFailures(out, stored->failures);
    if (invocation) {
        out.out() << "  reproduce: " << invocation->commandLine(into) << '\n';
        if (!invocation->configName.isEmpty())
            out.out() << "  config: " << invocation->configName << ' ' << invocation->overrides.join(u' ')
                      << (invocation->configDirs.isEmpty()
                              ? QString()
                              : u" (config dirs "_s + invocation->configDirs.join(u", "_s) + u')')
                      << '\n';
    } else {
        out.out() << "  reproduce: not recorded (the run was planned before commands were kept)\n";
    }
    out.out() << "\nResolved config:\n"
              << QString::fromUtf8(QJsonDocument(config).toJson(QJsonDocument::Indented));
    out.out().flush();
    return ExitOk;
}

} // namespace

int runRun(const QStringList &args, CliOutput &out)
{
    return dispatch(
        "run",
        {{"survey", "Plan and run a survey (questionnaire YAML x every backstory)", surveyCommand},
         {"list", "List runs with their item counts", listCommand},
         {"status", "Show a run's state, counts, tokens and cost", statusCommand},
         {"show", "Show a run's config, version, seeds and the command that reproduces it", showCommand},
         {"export", "Write a run's final answers as the CSV 'analyze --answers' reads", exportCommand},
         {"resume", "Continue a run with the items not yet committed", resumeCommand},
         {"pause", "Pause a running run", pauseCommand},
         {"cancel", "Cancel a run (committed answers are kept)", cancelCommand},
         {"retry-failed", "Send only the failed items of a run again", retryFailedCommand}},
        args, out);
}

} // namespace anthology::cli
