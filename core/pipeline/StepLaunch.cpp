#include "pipeline/StepLaunch.h"

#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"
#include "project/ProjectFile.h"
#include "run/DemographicsPlan.h"
#include "run/GeneratePlan.h"
#include "run/RunInvocation.h"
#include "run/RunStatus.h"

#include <QCommandLineParser>
#include <QDir>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

// What the CLI's step commands take besides their positionals, --config-dir, --json and the
// engine's --in-flight/--fresh/--quiet; the commands themselves are StepCatalog's.
QStringList optionsOf(StepKind kind)
{
    switch (kind) {
    case StepKind::GenerateBackstories:
        return {u"name"_s, u"profile"_s};
    case StepKind::SurveyDemographics:
        return {u"name"_s, u"profile"_s, u"parser-traits"_s};
    case StepKind::Match:
        return {};
    case StepKind::SurveyAtp:
    case StepKind::SurveyBaseline:
        return {u"profile"_s};
    case StepKind::Study:
        return {u"output"_s};
    }
    return {};
}

} // namespace

StepLaunch::~StepLaunch() = default;

QString StepLaunch::command() const
{
    return StepCatalog::spec(m_kind).command.join(u' ');
}

Result<std::unique_ptr<StepLaunch>> StepLaunch::parse(const QStringList &arguments, QList<Error> *warnings)
{
    const StepSpec *spec = StepCatalog::forArguments(arguments);
    if (!spec)
        return Error::user(u"'%1' is not a step command (generate backstories, survey demographics, match, "
                           "survey atp, survey baseline, study)"_s.arg(arguments.mid(0, 2).join(u' ')));
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    parser.addOption(QCommandLineOption(u"config-dir"_s, QString(), u"dir"_s));
    parser.addOption(QCommandLineOption(u"json"_s, QString()));
    parser.addOption(QCommandLineOption(u"in-flight"_s, QString(), u"n"_s));
    parser.addOption(QCommandLineOption(u"fresh"_s, QString()));
    parser.addOption(QCommandLineOption(u"quiet"_s, QString()));
    const QStringList options = optionsOf(spec->kind);
    for (const QString &option : options)
        parser.addOption(QCommandLineOption(option, QString(), u"value"_s));
    const QString commandName = spec->command.join(u' ');
    if (!parser.parse(QStringList{u"anthology "_s + commandName} + arguments.mid(spec->command.size())))
        return Error::user(u"anthology %1: %2"_s.arg(commandName, parser.errorText()));

    std::unique_ptr<StepLaunch> launch(new StepLaunch);
    launch->m_kind = spec->kind;
    launch->m_arguments = arguments;
    for (const QString &dir : parser.values(u"config-dir"_s))
        launch->m_configDirs.append(QDir(dir).absolutePath());
    launch->m_fresh = parser.isSet(u"fresh"_s);
    if (parser.isSet(u"in-flight"_s)) {
        bool ok = false;
        const int n = parser.value(u"in-flight"_s).toInt(&ok);
        if (!ok || n < 1)
            return Error::user(u"--in-flight expects a whole number >= 1"_s);
        launch->m_inFlight = n;
    }
    if (options.contains(u"profile"_s))
        launch->m_profile = parser.value(u"profile"_s);
    if (options.contains(u"name"_s))
        launch->m_name = parser.value(u"name"_s);
    if (options.contains(u"parser-traits"_s))
        launch->m_parserTraits = parser.value(u"parser-traits"_s);
    const QStringList positional = parser.positionalArguments();
    const QStringList &dirs = launch->m_configDirs;

    switch (spec->kind) {
    case Kind::GenerateBackstories:
    case Kind::SurveyDemographics: {
        if (positional.isEmpty())
            return Error::user(u"expected a config name (see: anthology %1 --help)"_s.arg(commandName));
        launch->m_step.configName = positional.first();
        launch->m_step.overrides = positional.mid(1);
        Result<StepRequests::StepConfig> config = StepRequests::loadStepConfig(
            dirs, positional.first(), positional.mid(1), launch->m_profile, warnings);
        if (!config)
            return config.error();
        launch->m_config = std::move(*config);
        break;
    }
    case Kind::SurveyAtp:
    case Kind::SurveyBaseline: {
        const bool atp = spec->kind == Kind::SurveyAtp;
        launch->m_step = StepArguments::split(positional, spec->defaultConfig, spec->stepKeys);
        Result<StepRequests::StepConfig> config = StepRequests::loadStepConfig(
            dirs, launch->m_step.configName, launch->m_step.overrides, {}, warnings);
        if (!config)
            return config.error();
        if (atp) {
            Result<SurveyStepRequest> request = StepRequests::atp(launch->m_step, config->survey, launch->m_fresh);
            if (!request)
                return request.error();
            launch->m_survey = *request;
        } else {
            Result<StepRequests::Baseline> baseline =
                StepRequests::baseline(launch->m_step, config->survey, dirs, launch->m_fresh);
            if (!baseline)
                return baseline.error();
            launch->m_baseline = *baseline;
        }
        launch->m_config = std::move(*config);
        break;
    }
    case Kind::Match: {
        launch->m_step = StepArguments::split(positional, spec->defaultConfig, {});
        Result<ResolvedConfig> config = ConfigLoader(dirs).load(launch->m_step.configName, launch->m_step.overrides);
        if (!config)
            return config.error();
        if (warnings)
            warnings->append(config->warnings());
        Result<SurveyConfig> schema = ConfigSchema::survey(*config);
        if (!schema)
            return schema.error();
        Result<MatchRequest> request = StepRequests::match(*config, *schema, dirs);
        if (!request)
            return request.error();
        launch->m_match = *request;
        break;
    }
    case Kind::Study: {
        launch->m_step = StepArguments::split(positional, spec->defaultConfig, spec->stepKeys);
        Result<StepRequests::Study> study = StepRequests::study(dirs, launch->m_step, warnings);
        if (!study)
            return study.error();
        launch->m_study =
            std::make_unique<StudyPipeline>(study->settings, study->survey, study->demographics, study->generate);
        break;
    }
    }
    return launch;
}

Result<QStringList> StepLaunch::withRunName(const QStringList &arguments, const QString &name)
{
    const StepSpec *spec = StepCatalog::forArguments(arguments);
    if (!spec)
        return Error::user(u"'%1' is not a step command the window can launch"_s.arg(arguments.mid(0, 2).join(u' ')));
    QStringList out = withoutProject(arguments);
    if (optionsOf(spec->kind).contains(u"name"_s)) {
        for (qsizetype i = spec->command.size(); i < out.size(); ++i) {
            if (out[i] == u"--name"_s && i + 1 < out.size()) {
                out[i + 1] = name;
                return out;
            }
            if (out[i].startsWith(u"--name="_s)) {
                out[i] = u"--name="_s + name;
                return out;
            }
        }
        return out << u"--name"_s << name;
    }
    for (QString &arg : out)
        if (arg.startsWith(u"name="_s)) {
            arg = u"name="_s + name;
            return out;
        }
    // The config name is the first positional unless it is a key=value: keep it first.
    return out << u"name="_s + name;
}

QStringList StepLaunch::withoutProject(const QStringList &arguments)
{
    QStringList out;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &arg = arguments[i];
        if (arg == u"--project"_s || arg == u"-p"_s) {
            ++i;
            continue;
        }
        if (arg.startsWith(u"--project="_s))
            continue;
        out.append(arg);
    }
    return out;
}

QString StepLaunch::profileFor(const StudyStage &stage) const
{
    if (m_kind == Kind::Study || stage.kind == StudyStage::Kind::DemographicsParser)
        return {}; // as the CLI: a study and the LLM-as-parser keep their configs' endpoints
    return m_profile;
}

void StepLaunch::record(ProjectFile &project, qint64 runId) const
{
    RunInvocation invocation = RunInvocation::capture(m_arguments + QStringList{u"--project"_s, project.path()});
    invocation.configName = m_step.configName;
    invocation.overrides = m_step.overrides;
    invocation.configDirs = m_configDirs;
    (void)invocation.record(project, runId); // like the CLI: failing to record never stops a run
}

Result<std::optional<StudyStage>> StepLaunch::next(ProjectFile &project, const QString &previousStatus)
{
    m_message.clear();
    switch (m_kind) {
    case Kind::SurveyAtp:
    case Kind::SurveyBaseline:
        return surveyStage(project);
    case Kind::GenerateBackstories: {
        if (m_stage++ > 0)
            return std::optional<StudyStage>();
        Result<GeneratePlan> plan = GenerateStep::planFor(project, m_config->survey,
                                                          StepRequests::generate(*m_config, m_name, m_fresh));
        if (!plan)
            return plan.error();
        Result<StepRun> run = GenerateStep::prepare(project, *plan);
        if (!run)
            return run.error();
        if (!run->resumed)
            record(project, run->runId);
        StudyStage stage;
        stage.kind = StudyStage::Kind::Generate;
        stage.label = plan->name;
        stage.what = u"generate %1 (%2 stories)"_s.arg(plan->name).arg(plan->storyCount());
        stage.runId = run->runId;
        stage.status = run->status;
        return std::optional<StudyStage>(stage);
    }
    case Kind::SurveyDemographics:
        return demographicsStage(project, previousStatus);
    case Kind::Match: {
        if (m_stage++ > 0)
            return std::optional<StudyStage>();
        Result<MatchOutcome> match = MatchStep::run(project, *m_match);
        if (!match)
            return match.error();
        m_message = (match->reused ? u"Match '%1' (%2) is already in the project; persona sets: %3"_s
                                   : u"Matched '%1' (%2): %4 respondents to %5 of %6 personas; persona sets: %3"_s)
                        .arg(m_match->name)
                        .arg(match->matchId)
                        .arg(match->personaSets.join(u", "_s))
                        .arg(match->humans)
                        .arg(match->distinctPersonas)
                        .arg(match->personas);
        return std::optional<StudyStage>();
    }
    case Kind::Study:
        return studyStage(project, previousStatus);
    }
    return std::optional<StudyStage>();
}

Result<std::optional<StudyStage>> StepLaunch::surveyStage(ProjectFile &project)
{
    if (m_stage++ > 0)
        return std::optional<StudyStage>();
    SurveyStepRequest request;
    if (m_kind == Kind::SurveyAtp) {
        request = *m_survey;
    } else {
        // Checked before the set is stored, so a refused survey leaves the project as it was.
        if (Status st = SurveyStep::check(project, m_config->survey, m_baseline->set.dataset); !st)
            return st.error();
        Result<PersonaSet> set = BaselinePersonaSet::ensure(project, m_baseline->set);
        if (!set)
            return set.error();
        request = m_baseline->survey;
        request.personaSet = set->name;
        request.runName = StepRequests::baselineRunName(*m_baseline, set->name);
    }
    Result<SurveyStepResult> step = SurveyStep::prepare(project, request);
    if (!step)
        return step.error();
    if (!step->resumed)
        record(project, step->runId);
    StudyStage stage;
    stage.kind = StudyStage::Kind::Survey;
    stage.label = request.runName;
    stage.what = u"%1 '%2'"_s.arg(command(), request.runName);
    stage.runId = step->runId;
    stage.status = step->status;
    return std::optional<StudyStage>(stage);
}

Result<std::optional<StudyStage>> StepLaunch::demographicsStage(ProjectFile &project, const QString &previousStatus)
{
    const DemographicsOptions options =
        StepRequests::demographics(*m_config, m_name, m_fresh, m_parserTraits);
    std::optional<qint64> parserRun;
    if (m_stage == 0) {
        Result<DemographicsPlan> plan = DemographicsStep::planFor(project, m_config->survey, options);
        if (!plan)
            return plan.error();
        m_demographicsPlan = *plan;
        Result<std::optional<DemographicsPlan>> parser =
            DemographicsStep::parserPlanFor(*plan, m_config->survey, options);
        if (!parser)
            return parser.error();
        if (*parser) {
            Result<StepRun> run = DemographicsStep::prepare(project, **parser);
            if (!run)
                return run.error();
            if (!run->resumed)
                record(project, run->runId);
            m_stage = 1;
            StudyStage stage;
            stage.kind = StudyStage::Kind::DemographicsParser;
            stage.label = u"parser"_s;
            stage.what = u"LLM-as-parser"_s;
            stage.runId = run->runId;
            stage.status = run->status;
            m_previous = stage;
            return std::optional<StudyStage>(stage);
        }
        m_stage = 1;
    } else if (m_previous && m_previous->kind == StudyStage::Kind::DemographicsParser) {
        if (previousStatus != runStatusName(RunStatus::Completed) &&
            previousStatus != runStatusName(RunStatus::Incomplete))
            return Error::user(u"the parser run %1 is %2; launch the same step again to resume it"_s.arg(
                m_previous->runId)
                                   .arg(previousStatus));
        parserRun = m_previous->runId;
    } else {
        return std::optional<StudyStage>(); // the sampling run was the last stage
    }
    Result<StepRun> run = DemographicsStep::prepare(project, *m_demographicsPlan, parserRun);
    if (!run)
        return run.error();
    if (!run->resumed)
        record(project, run->runId);
    StudyStage stage;
    stage.kind = StudyStage::Kind::Demographics;
    stage.label = m_demographicsPlan->name;
    stage.what = u"demographics"_s;
    stage.runId = run->runId;
    stage.status = run->status;
    m_previous = stage;
    return std::optional<StudyStage>(stage);
}

Result<std::optional<StudyStage>> StepLaunch::studyStage(ProjectFile &project, const QString &previousStatus)
{
    if (m_stage++ == 0) {
        if (Status st = m_study->check(project); !st)
            return st.error();
    }
    if (m_previous)
        if (Status st = m_study->finish(project, *m_previous, previousStatus); !st)
            return st.error();
    Result<std::optional<StudyStage>> next = m_study->next(project);
    if (!next)
        return next.error();
    if (*next && (*next)->runId > 0 && (*next)->status == runStatusName(RunStatus::Planned))
        record(project, (*next)->runId);
    m_previous = *next;
    return next;
}

} // namespace anthology
