#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"
#include "ConfigArguments.h"
#include "DemographicsCommands.h"
#include "Invocation.h"
#include "RunCommands.h"
#include "pipeline/StepArguments.h"
#include "pipeline/StepRequests.h"

#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"
#include "config/ResolvedConfig.h"
#include "pipeline/BaselinePersonaSet.h"
#include "pipeline/StepCatalog.h"
#include "pipeline/SurveyStep.h"
#include "project/ProjectFile.h"
#include "run/PersonaSetStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace anthology::cli {

namespace {

void addStepOptions(CommandLine &cl)
{
    addConfigOptions(cl);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(u"profile"_s, u"Send to this URL or provider instead of the config's."_s,
                                    u"url-or-provider"_s));
    cl.addOption(QCommandLineOption(u"restart"_s, u"Replace an unfinished run of the same name that was "
                                                  "planned from another config."_s));
    addEngineOptions(cl);
}

Result<SurveyConfig> loadSurveyConfig(const CommandLine &cl, const StepArguments &a, CliOutput &out)
{
    QList<Error> warnings;
    Result<StepConfig> step =
        StepRequests::loadStepConfig(cl.parser().values(u"config-dir"_s), a.configName, a.overrides, {}, &warnings);
    if (!step)
        return step.error();
    if (!out.json())
        printWarnings(out, warnings);
    return step->survey;
}

// Plans (or finds by name) the run and drives it; a completed run of that name is reported.
// A newly planned run records the command (`subcommand` of `survey`, `args`) that planned it.
int planAndDrive(const CommandLine &cl, CliOutput &out, std::unique_ptr<ProjectFile> project,
                 const SurveyStepRequest &request, const QString &subcommand, const QStringList &args,
                 const StepArguments &a)
{
    Result<SurveyStepResult> step = SurveyStep::prepare(*project, request);
    if (!step)
        return out.fail(step.error());
    if (!step->resumed)
        recordInvocation(*project, step->runId, {u"survey"_s, subcommand}, args, out, a.configName,
                         a.overrides, cl.parser().values(u"config-dir"_s));
    if (step->resumed && step->status == u"completed"_s) {
        if (out.json())
            out.printJson(QJsonObject{
                {u"run"_s, double(step->runId)}, {u"status"_s, step->status}, {u"resumed"_s, true}});
        else
            out.out() << "Run " << step->runId << " ('" << request.runName << "') is already completed"
                      << Qt::endl;
        return ExitOk;
    }
    if (!out.json())
        out.err() << (step->resumed ? "Resuming run " : "Planned run ") << step->runId << " ('"
                  << request.runName << "')" << Qt::endl;
    return driveRun(std::move(project), step->runId, cl, out);
}

int atpCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(
        u"survey atp"_s,
        u"Ask the opinion questionnaire of a survey config (default survey_config) of a persona set "
        "(personas=SET, e.g. a match's NAME/qa_mcq; default: every backstory). The run is named "
        "name=RUN (default atp/<set>); the same name again resumes it. samples=N, dataset=D (check "
        "the choices against D's value labels; default: the set's data set)."_s);
    addStepOptions(cl);
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    const StepArguments a = StepArguments::split(cl.positional(), StepCatalog::spec(StepKind::SurveyAtp).defaultConfig,
                                                 StepCatalog::spec(StepKind::SurveyAtp).stepKeys);
    Result<SurveyConfig> config = loadSurveyConfig(cl, a, out);
    if (!config)
        return out.fail(config.error());
    Result<SurveyStepRequest> request = StepRequests::atp(a, *config, cl.isSet(u"fresh"_s));
    if (!request)
        return out.fail(request.error());
    request->restart = cl.isSet(u"restart"_s);
    auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
    if (!project)
        return out.fail(project.error());
    return planAndDrive(cl, out, std::move(*project), *request, u"atp"_s, args, a);
}

int baselineCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(
        u"survey baseline"_s,
        u"Survey a data set's respondents as baseline personas: prompt_style=qa|qa_freeform|bio|"
        "portray|nothing dataset=NAME, num_users=N (-1 all), trait_of_interest=[...] and random_seed "
        "from the config (default survey_config). The respondents persona set (persona_set=NAME, "
        "default DATASET/baseline_STYLE) is built once and reused; the run (name=RUN, default "
        "baseline/<set>) resumes by name. Traits come from the wave's category map "
        "(category_map=FILE for another) worded by demographics_config."_s);
    addStepOptions(cl);
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    const StepArguments a = StepArguments::split(cl.positional(), StepCatalog::spec(StepKind::SurveyBaseline).defaultConfig,
                                                 StepCatalog::spec(StepKind::SurveyBaseline).stepKeys);
    Result<SurveyConfig> config = loadSurveyConfig(cl, a, out);
    if (!config)
        return out.fail(config.error());
    Result<StepRequests::Baseline> baseline =
        StepRequests::baseline(a, *config, cl.parser().values(u"config-dir"_s), cl.isSet(u"fresh"_s));
    if (!baseline)
        return out.fail(baseline.error());

    auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
    if (!project)
        return out.fail(project.error());
    // Checked before the set is stored, so a refused survey leaves the project as it was.
    if (Status st = SurveyStep::check(**project, *config, baseline->set.dataset); !st)
        return out.fail(st.error());
    Result<PersonaSet> set = BaselinePersonaSet::ensure(**project, baseline->set);
    if (!set)
        return out.fail(set.error());
    SurveyStepRequest request = baseline->survey;
    request.personaSet = set->name;
    request.runName = StepRequests::baselineRunName(*baseline, set->name);
    request.restart = cl.isSet(u"restart"_s);
    return planAndDrive(cl, out, std::move(*project), request, u"baseline"_s, args, a);
}

int setsCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"survey sets"_s, u"List the persona sets of a project (survey atp personas=NAME)."_s);
    cl.addOption(projectOption());
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return out.fail(project.error());
    PersonaSetStore store(**project);
    Result<QList<PersonaSet>> sets = store.list();
    if (!sets)
        return out.fail(sets.error());
    QJsonArray array;
    QList<QStringList> rows;
    for (const PersonaSet &s : std::as_const(*sets)) {
        Result<qint64> count = store.memberCount(s.id);
        if (!count)
            return out.fail(count.error());
        array.append(QJsonObject{{u"id"_s, double(s.id)},
                                 {u"name"_s, s.name},
                                 {u"kind"_s, s.kind},
                                 {u"style"_s, s.style},
                                 {u"members"_s, double(*count)},
                                 {u"source"_s, s.source}});
        rows.append({QString::number(s.id), s.name, s.kind, s.style, QString::number(*count),
                     QString::fromUtf8(QJsonDocument(s.source).toJson(QJsonDocument::Compact))});
    }
    if (out.json())
        out.printJson(QJsonObject{{u"persona_sets"_s, array}});
    else
        out.printTable({u"ID"_s, u"NAME"_s, u"KIND"_s, u"STYLE"_s, u"MEMBERS"_s, u"SOURCE"_s}, rows);
    return ExitOk;
}

// The `survey` group's subcommands, one line each (other branches add theirs here, e.g.
// {"demographics", ..., runSurveyDemographics} from DemographicsCommands.cpp).
const QList<Subcommand> &surveySubcommands()
{
    static const QList<Subcommand> table = {
        {"atp", "Ask an opinion questionnaire of a persona set (or every backstory)", atpCommand},
        {"baseline", "Ask it of a data set's respondents as demographic-prefix baselines", baselineCommand},
        {"demographics", "Ask every backstory the demographic questionnaire", surveyDemographicsCommand},
        {"sets", "List the project's persona sets", setsCommand},
    };
    return table;
}

} // namespace

int runSurvey(const QStringList &args, CliOutput &out)
{
    return dispatch("survey", surveySubcommands(), args, out);
}

} // namespace anthology::cli
