#include "pipeline/StudyPipeline.h"

#include "analysis/StudyReport.h"
#include "data/Dataset.h"
#include "data/DatasetStore.h"
#include "data/QuestionnaireFromDataset.h"
#include "pipeline/BackstoryPersonaSet.h"
#include "pipeline/BaselinePersonaSet.h"
#include "pipeline/EndpointCheck.h"
#include "pipeline/GenerateStep.h"
#include "pipeline/MatchStep.h"
#include "pipeline/RunComparison.h"
#include "run/GeneratePlan.h"

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

const QString kNatural = u"natural"_s;
const QString kParser = u"demographics_parser"_s;
const QString kDemographics = u"demographics"_s;
// A study renames all its runs at once, by its name key.
const QString kRename = u"name=NEW (the study's name)"_s;

QString storiesLabel(const QString &label)
{
    return label + u"/stories"_s;
}

StudyStage startedStage(StudyStage::Kind kind, const QString &label)
{
    StudyStage out;
    out.kind = kind;
    out.label = label;
    return out;
}

} // namespace

StudyPipeline::StudyPipeline(StudySettings settings, SurveyConfig survey, SurveyConfig demographics,
                             SurveyConfig generate)
    : m_settings(std::move(settings)), m_survey(std::move(survey)), m_demographics(std::move(demographics)),
      m_generate(std::move(generate))
{
    buildStages();
}

void StudyPipeline::buildStages()
{
    QList<StudyRunSpec> specs;
    QStringList methods;
    for (const QString &label : std::as_const(m_settings.runs)) {
        Result<StudyRunSpec> spec = StudyDefinition::spec(label);
        if (!spec)
            continue; // StudyDefinition::fromConfig has refused unknown labels already
        specs.append(*spec);
        if (spec->kind == StudyRunSpec::Kind::Natural && !methods.contains(spec->method))
            methods.append(spec->method);
    }
    // The natural backstories' demographics and matches come first: every NA run needs them.
    if (!methods.isEmpty()) {
        if (m_settings.naturalBackstories > 0)
            m_stages.append({StudyStage::Kind::Generate, kNatural, {}});
        m_stages.append({StudyStage::Kind::DemographicsParser, kParser, {}});
        m_stages.append({StudyStage::Kind::Demographics, kDemographics, {}});
        for (const QString &method : std::as_const(methods)) {
            StudyRunSpec match;
            match.kind = StudyRunSpec::Kind::Natural;
            match.method = method;
            m_stages.append({StudyStage::Kind::Match, u"match_"_s + method, match});
        }
    }
    for (const StudyRunSpec &spec : std::as_const(specs)) {
        if (spec.kind == StudyRunSpec::Kind::Primed)
            m_stages.append({StudyStage::Kind::Generate, storiesLabel(spec.label), spec});
        m_stages.append({StudyStage::Kind::Survey, spec.label, spec});
    }
}

Status StudyPipeline::check(ProjectFile &project)
{
    Result<Dataset> dataset = DatasetStore(project).load(m_settings.dataset, m_settings.questions);
    if (!dataset)
        return dataset.error();
    Result<Questionnaire> questionnaire = QuestionnaireFromDataset::build(*dataset, m_settings.questions);
    if (!questionnaire)
        return questionnaire.error();
    m_survey.questionnaire = *questionnaire;
    m_survey.hasQuestionnaire = true;
    if (m_survey.questionnaire.wave <= 0)
        m_survey.questionnaire.wave = dataset->wave();
    if (Status st = checkEndpoint(m_survey.llm, u"llm_parameters ("_s + m_settings.surveyConfig + u')'); !st)
        return st;
    bool natural = false, primed = false;
    for (const Stage &s : std::as_const(m_stages)) {
        natural = natural || s.kind == StudyStage::Kind::Demographics;
        primed = primed || s.spec.kind == StudyRunSpec::Kind::Primed;
    }
    if (natural) {
        if (!m_demographics.hasDemographics)
            return Error::user(u"%1 has no demographic questionnaire"_s.arg(m_settings.demographicsConfig))
                .withKey(u"demographics_config"_s);
        if (Status st = checkEndpoint(m_demographics.llm,
                                      u"llm_parameters ("_s + m_settings.demographicsConfig + u')');
            !st)
            return st;
        if (m_settings.naturalBackstories == 0) {
            Result<QStringList> personas = naturalPersonas(project);
            if (!personas)
                return personas.error();
            if (personas->isEmpty())
                return Error::user(u"the NA runs need natural backstories: import some, or set "
                                   "natural_backstories=N to generate them"_s)
                    .withKey(u"natural_backstories"_s);
        }
    }
    if ((natural && m_settings.naturalBackstories > 0) || primed)
        if (Status st =
                checkEndpoint(m_generate.llm, u"llm_parameters ("_s + m_settings.generateConfig + u')');
            !st)
            return st;
    return {};
}

Result<QStringList> StudyPipeline::naturalPersonas(ProjectFile &project) const
{
    if (m_settings.naturalBackstories <= 0)
        return BackstoryPersonaSet::naturalBackstories(project);
    const qint64 run = m_runs.value(kNatural);
    Result<PersonaSet> set = BackstoryPersonaSet::ensureForGenerateRun(
        project, run, StudyDefinition::nameOf(m_settings, kNatural));
    if (!set)
        return set.error();
    QStringList uids;
    for (const PersonaSetMember &m : std::as_const(set->members))
        uids.append(m.backstoryUid);
    return uids;
}

DemographicsOptions StudyPipeline::demographicsOptions() const
{
    DemographicsOptions options;
    options.name = StudyDefinition::nameOf(m_settings, kDemographics);
    return options;
}

// The sampling plan serves the parser stage and the sampling stage: built once.
Result<DemographicsPlan> StudyPipeline::demographicsPlan(ProjectFile &project)
{
    if (m_demographicsPlan)
        return *m_demographicsPlan;
    Result<QStringList> personas = naturalPersonas(project);
    if (!personas)
        return personas.error();
    DemographicsOptions options = demographicsOptions();
    options.personas = *personas;
    Result<DemographicsPlan> plan = DemographicsStep::planFor(project, m_demographics, options);
    if (plan)
        m_demographicsPlan = *plan;
    return plan;
}

Result<std::optional<StudyStage>> StudyPipeline::next(ProjectFile &project)
{
    if (m_next >= m_stages.size())
        return std::optional<StudyStage>();
    Result<StudyStage> stage = prepare(project, m_stages.at(m_next));
    if (!stage)
        return stage.error();
    ++m_next;
    return std::optional<StudyStage>(*stage);
}

Result<SurveyStepResult> StudyPipeline::surveyStage(ProjectFile &project, const QString &label,
                                                    const QString &personaSet)
{
    SurveyStepRequest request;
    request.config = m_survey;
    request.runName = StudyDefinition::nameOf(m_settings, label);
    request.personaSet = personaSet;
    request.dataset = m_settings.dataset;
    request.restart = m_settings.restart;
    request.rename = kRename;
    Result<SurveyStepResult> run = SurveyStep::prepare(project, request);
    if (run)
        m_surveyRuns.append({label, run->runId});
    return run;
}

Result<StudyStage> StudyPipeline::prepare(ProjectFile &project, const Stage &stage)
{
    switch (stage.kind) {
    case StudyStage::Kind::Generate:
        return prepareGenerate(project, stage);
    case StudyStage::Kind::DemographicsParser:
        return prepareDemographicsParser(project, stage);
    case StudyStage::Kind::Demographics:
        return prepareDemographics(project, stage);
    case StudyStage::Kind::Match:
        return prepareMatch(project, stage);
    case StudyStage::Kind::Survey:
        return prepareSurvey(project, stage);
    }
    return Error::internal(u"unknown study stage '%1'"_s.arg(stage.label));
}

// A stage that made a run: later stages find it by the stage's label.
StudyStage StudyPipeline::recorded(StudyStage out, qint64 runId, const QString &status)
{
    out.runId = runId;
    out.status = status;
    m_runs.insert(out.label, out.runId);
    return out;
}

Result<StudyStage> StudyPipeline::prepareGenerate(ProjectFile &project, const Stage &stage)
{
    StudyStage out = startedStage(stage.kind, stage.label);
    SurveyConfig config = m_generate;
    GenerateOptions options;
    options.name = StudyDefinition::nameOf(m_settings, stage.label);
    if (stage.label == kNatural) {
        config.selfGenerate.numBackstories = m_settings.naturalBackstories;
        out.what = u"generate %1 natural backstories"_s.arg(m_settings.naturalBackstories);
    } else {
        options.promptStyle = stage.spec.style;
        options.dataset = m_settings.dataset;
        options.numUsers = m_settings.numUsers;
        out.what = u"generate the %1 stories"_s.arg(stage.spec.label);
    }
    Result<GeneratePlan> plan = GenerateStep::planFor(project, config, options);
    if (!plan)
        return plan.error();
    Result<StepRun> run = GenerateStep::prepare(project, *plan, m_settings.restart, kRename);
    if (!run)
        return run.error();
    return recorded(out, run->runId, run->status);
}

Result<StudyStage> StudyPipeline::prepareDemographicsParser(ProjectFile &project, const Stage &stage)
{
    StudyStage out = startedStage(stage.kind, stage.label);
    Result<DemographicsPlan> plan = demographicsPlan(project);
    if (!plan)
        return plan.error();
    out.what = u"read the natural backstories with the LLM parser"_s;
    Result<std::optional<DemographicsPlan>> parser =
        DemographicsStep::parserPlanFor(*plan, m_demographics, demographicsOptions());
    if (!parser)
        return parser.error();
    if (!*parser) {
        out.status = u"skipped"_s; // use_llm_as_parser is off
        return out;
    }
    Result<StepRun> run = DemographicsStep::prepare(project, **parser, std::nullopt, m_settings.restart, kRename);
    if (!run)
        return run.error();
    return recorded(out, run->runId, run->status);
}

Result<StudyStage> StudyPipeline::prepareDemographics(ProjectFile &project, const Stage &stage)
{
    StudyStage out = startedStage(stage.kind, stage.label);
    Result<DemographicsPlan> plan = demographicsPlan(project);
    if (!plan)
        return plan.error();
    out.what = u"survey the demographics of %1 natural backstories"_s.arg(plan->personas.size());
    std::optional<qint64> parserRun;
    if (m_runs.contains(kParser))
        parserRun = m_runs.value(kParser);
    Result<StepRun> run = DemographicsStep::prepare(project, *plan, parserRun, m_settings.restart, kRename);
    if (!run)
        return run.error();
    return recorded(out, run->runId, run->status);
}

// A match makes no run: it is done when prepared.
Result<StudyStage> StudyPipeline::prepareMatch(ProjectFile &project, const Stage &stage)
{
    StudyStage out = startedStage(stage.kind, stage.label);
    const QString &method = stage.spec.method;
    MatchRequest request;
    request.name = StudyDefinition::nameOf(m_settings, u"NA_"_s + method);
    request.method = method;
    request.dataset = m_settings.dataset;
    request.demographicsRun = QString::number(m_runs.value(kDemographics));
    request.traits = m_settings.traits;
    request.seed = m_settings.seed;
    request.configDirs = m_settings.configDirs;
    request.demographics = m_demographics.demographics;
    Result<MatchOutcome> match = MatchStep::run(project, request);
    if (!match)
        return match.error();
    out.what =
        u"match %1 respondents to %2 personas (%3)"_s.arg(match->humans).arg(match->personas).arg(method);
    out.status = u"completed"_s;
    return out;
}

Result<StudyStage> StudyPipeline::prepareSurvey(ProjectFile &project, const Stage &stage)
{
    StudyStage out = startedStage(stage.kind, stage.label);
    Result<QString> set = surveyPersonaSet(project, stage);
    if (!set)
        return set.error();
    out.what = u"survey %1"_s.arg(stage.label);
    Result<SurveyStepResult> run = surveyStage(project, stage.label, *set);
    if (!run)
        return run.error();
    return recorded(out, run->runId, run->status);
}

// The persona set a survey stage asks: a baseline set made now, the primed stories' set, or
// the match's trait-appended set.
Result<QString> StudyPipeline::surveyPersonaSet(ProjectFile &project, const Stage &stage)
{
    const QString name = StudyDefinition::nameOf(m_settings, stage.label);
    switch (stage.spec.kind) {
    case StudyRunSpec::Kind::Baseline: {
        BaselineRequest request;
        request.dataset = m_settings.dataset;
        request.style = stage.spec.style;
        request.numUsers = m_settings.numUsers;
        request.traitsOfInterest = m_survey.baseline.traitOfInterest;
        request.seed = m_settings.seed;
        request.configDirs = m_settings.configDirs;
        request.demographics = m_demographics.demographics;
        request.setName = name;
        Result<PersonaSet> baseline = BaselinePersonaSet::ensure(project, request);
        if (!baseline)
            return baseline.error();
        return baseline->name;
    }
    case StudyRunSpec::Kind::Primed: {
        Result<PersonaSet> primed =
            BackstoryPersonaSet::ensureForGenerateRun(project, m_runs.value(storiesLabel(stage.label)), name);
        if (!primed)
            return primed.error();
        return primed->name;
    }
    case StudyRunSpec::Kind::Natural:
        return MatchStep::setName(StudyDefinition::nameOf(m_settings, u"NA_"_s + stage.spec.method),
                                  stage.spec.style);
    }
    return QString();
}

Status StudyPipeline::finish(ProjectFile &project, const StudyStage &stage, const QString &status)
{
    if (stage.runId == 0)
        return {};
    if (status != u"completed"_s && status != u"incomplete"_s)
        return Error::user(
            u"the study stopped at '%1' (run %2 is %3); the same command continues it"_s.arg(stage.what)
                .arg(stage.runId)
                .arg(status));
    if (stage.kind == StudyStage::Kind::Generate) {
        Result<GenerateReport> report = GenerateStep::materialise(project, stage.runId);
        if (!report)
            return report.error();
        if (report->stored == 0)
            return Error::user(
                u"%1: none of the %2 stories of run %3 could be kept (%4 of 40 tokens or fewer, "
                "%5 never said yes to the preamble, %6 unanswered)"_s.arg(stage.what)
                    .arg(report->stories)
                    .arg(stage.runId)
                    .arg(report->droppedShort)
                    .arg(report->preambleRefused)
                    .arg(report->unfinished));
    }
    return {};
}

QList<QPair<QString, qint64>> StudyPipeline::surveyRuns() const
{
    return m_surveyRuns;
}

Result<StudyResult> StudyPipeline::report(ProjectFile &project) const
{
    QList<ComparedRun> runs;
    for (const auto &[label, runId] : m_surveyRuns)
        runs.append({label, runId});
    StudyOptions options;
    options.sortBy = m_settings.metric == u"tv"_s ? StudyMetric::TotalVariation : StudyMetric::Emd;
    options.questions = m_settings.questions;
    options.subgroupVariable = m_settings.subgroup;
    return RunComparison::compute(project, m_settings.dataset, runs, options);
}

} // namespace anthology
