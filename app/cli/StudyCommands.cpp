#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"
#include "ConfigArguments.h"
#include "Invocation.h"
#include "RunCommands.h"
#include "StepArguments.h"

#include "analysis/StudyReport.h"
#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"
#include "config/ResolvedConfig.h"
#include "pipeline/StudyPipeline.h"
#include "project/ProjectFile.h"

#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

using namespace Qt::StringLiterals;

namespace anthology::cli {

namespace {

const QStringList kStudyKeys = {u"name"_s,           u"dataset"_s,       u"questions"_s,
                                u"runs"_s,           u"num_users"_s,     u"natural_backstories"_s,
                                u"traits"_s,         u"seed"_s,          u"metric"_s,
                                u"subgroup"_s,       u"survey_config"_s, u"demographics_config"_s,
                                u"generate_config"_s};

// A study's overrides go to whichever step configs have the key (or the group), so one
// command line can say llm_parameters.model_name=... for all three and num_sample_response=...
// for the demographic survey alone. `used` collects the overrides some config took.
Result<SurveyConfig> stepConfig(const QStringList &dirs, const QString &name, const QStringList &overrides,
                                QSet<QString> &used, CliOutput &out)
{
    const ConfigLoader loader(dirs);
    Result<ResolvedConfig> base = loader.load(name);
    if (!base)
        return base.error();
    QStringList applicable;
    for (const QString &o : overrides) {
        const qsizetype eq = o.indexOf(u'=');
        QString key = eq > 0 ? o.left(eq) : o;
        if (key.startsWith(u'+') || key.startsWith(u'~')) {
            applicable.append(o);
            used.insert(o);
            continue;
        }
        key.replace(u'/', u'.');
        if (base->contains(key)) {
            applicable.append(o);
            used.insert(o);
        }
    }
    Result<ResolvedConfig> resolved = loader.load(name, applicable);
    if (!resolved)
        return resolved.error();
    Result<SurveyConfig> config = ConfigSchema::survey(*resolved);
    if (config && !out.json())
        printWarnings(out, config->warnings);
    return config;
}

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
    addEngineOptions(cl);
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    const QStringList dirs = cl.parser().values(u"config-dir"_s);
    const StepArguments a = StepArguments::split(cl.positional(), u"study_config"_s, kStudyKeys);
    QStringList studyOverrides;
    for (auto it = a.steps.cbegin(); it != a.steps.cend(); ++it)
        studyOverrides.append(it.key() + u'=' + it.value());
    Result<ResolvedConfig> studyConfig = ConfigLoader(dirs).load(a.configName, studyOverrides);
    if (!studyConfig)
        return out.fail(studyConfig.error());
    Result<StudySettings> settings = StudyDefinition::fromConfig(*studyConfig);
    if (!settings)
        return out.fail(settings.error());
    settings->configDirs = dirs;
    QSet<QString> used;
    Result<SurveyConfig> survey = stepConfig(dirs, settings->surveyConfig, a.overrides, used, out);
    if (!survey)
        return out.fail(survey.error());
    Result<SurveyConfig> demographics =
        stepConfig(dirs, settings->demographicsConfig, a.overrides, used, out);
    if (!demographics)
        return out.fail(demographics.error());
    Result<SurveyConfig> generate = stepConfig(dirs, settings->generateConfig, a.overrides, used, out);
    if (!generate)
        return out.fail(generate.error());
    for (const QString &o : a.overrides)
        if (!used.contains(o))
            return out.usage(
                u"'%1': no key of that name in %2, %3 or %4 (nor a study key)"_s.arg(
                    o, settings->surveyConfig, settings->demographicsConfig, settings->generateConfig),
                cl.helpHint());

    StudyPipeline pipeline(*settings, *survey, *demographics, *generate);
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
