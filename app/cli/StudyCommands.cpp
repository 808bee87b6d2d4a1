#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"
#include "ConfigArguments.h"
#include "Invocation.h"
#include "RunCommands.h"
#include "pipeline/StepArguments.h"
#include "pipeline/StepRequests.h"

#include "analysis/StudyReport.h"
#include "config/ResolvedConfig.h"
#include "pipeline/StepCatalog.h"
#include "pipeline/StudyPipeline.h"
#include "project/ProjectFile.h"

#include <QJsonDocument>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace anthology::cli {

namespace {

Status writeTable(const QString &path, const StudyResult &result)
{
    const QByteArray bytes = path.endsWith(u".json"_s, Qt::CaseInsensitive)
                                 ? QJsonDocument(StudyReport::json(result)).toJson()
                                 : StudyReport::csv(result);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return Error::user(u"cannot write the study table: "_s + file.errorString()).withFile(path);
    return {};
}

} // namespace

int runStudy(const QStringList &args, CliOutput &out)
{
    CommandLine cl(
        u"study"_s,
        u"Run the paper's comparison from one config (default study_config): baselines QA and BIO, "
        "demographics-primed DP_QA, DP_PORTRAY and DP_BIO, natural backstories surveyed for "
        "demographics and matched greedy and maximum_weight with QA_MCQ, QA_FREEFORM and BIO trait "
        "appending (11 runs), then the table of runs sorted by average distance with the human "
        "split-half row. Study keys: dataset, questions, runs, num_users, natural_backstories, "
        "traits, seed, metric, subgroup, name; every other key=value goes to the step configs "
        "(survey_config, demographics_config, generate_config). Stopped at any point, the same "
        "command continues where it stopped."_s);
    addConfigOptions(cl);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(u"output"_s, u"Also write the table: .csv or .json."_s, u"file"_s));
    cl.addOption(QCommandLineOption(u"restart"_s, u"Replace the study's unfinished runs that were planned from "
                                                  "another config; runs whose items did not change are kept."_s));
    addEngineOptions(cl);
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    const QStringList dirs = cl.parser().values(u"config-dir"_s);
    const StepArguments a = StepArguments::split(cl.positional(), StepCatalog::spec(StepKind::Study).defaultConfig,
                                                 StepCatalog::spec(StepKind::Study).stepKeys);
    QList<Error> warnings;
    Result<StepRequests::Study> study = StepRequests::study(dirs, a, &warnings);
    if (!study)
        return out.fail(study.error());
    if (!out.json())
        printWarnings(out, warnings);

    study->settings.restart = cl.isSet(u"restart"_s);
    StudyPipeline pipeline(study->settings, study->survey, study->demographics, study->generate);
    {
        auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
        if (!project)
            return out.fail(project.error());
        if (Status st = pipeline.check(**project); !st)
            return out.fail(st.error());
    }
    // One connection per stage: it finishes the stage before (stories become backstories) and
    // prepares the next; the engine then takes a connection of its own to drive the run.
    std::optional<StudyStage> previous;
    QString previousStatus;
    int worstCode = ExitOk; // a stage with failed items makes the study's exit code 1
    for (int index = 1;; ++index) {
        std::optional<StudyStage> stage;
        {
            auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
            if (!project)
                return out.fail(project.error());
            if (previous)
                if (Status st = pipeline.finish(**project, *previous, previousStatus); !st)
                    return out.fail(st.error());
            Result<std::optional<StudyStage>> next = pipeline.next(**project);
            if (!next)
                return out.fail(next.error());
            stage = *next;
            if (stage && stage->runId > 0 && stage->status == u"planned"_s)
                recordInvocation(**project, stage->runId, {u"study"_s}, args, out, &cl);
        }
        if (!stage)
            break;
        if (!out.json()) {
            out.err() << "Study step " << index << ": " << stage->what;
            if (stage->runId > 0)
                out.err() << " (run " << stage->runId << ", " << stage->status << ")";
            out.err() << Qt::endl;
        }
        previousStatus = stage->status;
        if (stage->runId > 0 && previousStatus != u"completed"_s) {
            auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
            if (!project)
                return out.fail(project.error());
            QJsonObject summary;
            const int code = driveRun(std::move(*project), stage->runId, cl, out, false, &summary);
            previousStatus = summary.value(u"status"_s).toString();
            if (summary.isEmpty() || previousStatus.startsWith(u"error"_s)) // refused or faulted
                return code;
            worstCode = qMax(worstCode, code);
        }
        previous = stage;
    }

    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return out.fail(project.error());
    Result<StudyResult> result = pipeline.report(**project);
    if (!result)
        return out.fail(result.error());
    if (cl.isSet(u"output"_s))
        if (Status st = writeTable(cl.value(u"output"_s), *result); !st)
            return out.fail(st.error());
    QJsonObject runs;
    for (const auto &[label, runId] : pipeline.surveyRuns())
        runs.insert(label, double(runId));
    if (out.json()) {
        QJsonObject json = StudyReport::json(*result);
        json.insert(u"runs"_s, runs);
        out.printJson(json);
    } else {
        out.out() << StudyReport::text(*result) << Qt::flush;
    }
    return worstCode;
}

} // namespace anthology::cli
