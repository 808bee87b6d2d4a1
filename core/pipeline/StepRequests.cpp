#include "pipeline/StepRequests.h"

#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace anthology {

Result<StepRequests::StepConfig> StepRequests::loadStepConfig(const QStringList &configDirs, const QString &name,
                                                              const QStringList &overrides,
                                                              const QString &profile, QList<Error> *warnings)
{
    Result<ResolvedConfig> resolved = ConfigLoader(configDirs).load(name, overrides);
    if (!resolved)
        return resolved.error();
    Result<SurveyConfig> survey = ConfigSchema::survey(*resolved);
    if (!survey)
        return survey.error();
    if (warnings)
        warnings->append(survey->warnings);
    if (!profile.isEmpty()) {
        survey->llm.apiProvider = profile;
        survey->llm.baseUrl.clear();
    }
    return StepConfig{std::move(*resolved), std::move(*survey)};
}

Result<int> StepRequests::intKey(const StepArguments &a, const QString &key, int fallback)
{
    if (!a.steps.contains(key))
        return fallback;
    bool ok = false;
    const int v = a.steps.value(key).toInt(&ok);
    if (!ok)
        return Error::user(u"%1 must be a whole number, got '%2'"_s.arg(key, a.steps.value(key))).withKey(key);
    return v;
}

Result<SurveyStepRequest> StepRequests::atp(const StepArguments &a, const SurveyConfig &config, bool fresh)
{
    SurveyStepRequest request;
    request.config = config;
    request.personaSet = a.steps.value(u"personas"_s);
    request.runName = a.steps.value(
        u"name"_s, u"atp/"_s + (request.personaSet.isEmpty() ? u"backstories"_s : request.personaSet));
    Result<int> samples = intKey(a, u"samples"_s, 1);
    if (!samples)
        return samples.error();
    request.samples = *samples;
    request.dataset = a.steps.value(u"dataset"_s);
    request.freshSamples = fresh;
    return request;
}

Result<StepRequests::Baseline> StepRequests::baseline(const StepArguments &a, const SurveyConfig &config,
                                                      const QStringList &configDirs, bool fresh)
{
    Result<ResolvedConfig> demographicsConfig =
        ConfigLoader(configDirs).load(a.steps.value(u"demographics_config"_s, u"demographics_config"_s));
    if (!demographicsConfig)
        return demographicsConfig.error();
    Result<SurveyConfig> demographics = ConfigSchema::survey(*demographicsConfig);
    if (!demographics)
        return demographics.error();
    Baseline out;
    BaselineRequest &b = out.set;
    b.dataset = a.steps.value(u"dataset"_s);
    b.style = config.baseline.promptStyle;
    Result<int> numUsers = intKey(a, u"num_users"_s, config.baseline.numUsers);
    if (!numUsers)
        return numUsers.error();
    b.numUsers = *numUsers;
    b.traitsOfInterest = config.baseline.traitOfInterest;
    b.seed = config.run.seed;
    Result<int> wave = intKey(a, u"match_wave"_s, 0);
    if (!wave)
        return wave.error();
    b.wave = *wave;
    b.categoryMapPath = a.steps.value(u"category_map"_s);
    b.configDirs = configDirs;
    b.demographics = demographics->demographics;
    b.setName = a.steps.value(u"persona_set"_s);

    out.survey.config = config;
    out.runName = a.steps.value(u"name"_s);
    Result<int> samples = intKey(a, u"samples"_s, 1);
    if (!samples)
        return samples.error();
    out.survey.samples = *samples;
    out.survey.dataset = b.dataset;
    out.survey.freshSamples = fresh;
    return out;
}

QString StepRequests::baselineRunName(const Baseline &b, const QString &setName)
{
    return b.runName.isEmpty() ? u"baseline/"_s + setName : b.runName;
}

GenerateOptions StepRequests::generate(const StepConfig &config, const QString &name, bool fresh)
{
    GenerateOptions options;
    options.name = name.isEmpty() ? config.survey.name : name;
    options.freshSamples = fresh;
    // Demographics-primed when prompt_style or dataset is set (both null in our config).
    const QString promptStyle = config.resolved.value(u"prompt_style"_s).toString();
    const QString dataset = config.resolved.value(u"dataset"_s).toString();
    if (!promptStyle.isEmpty() || !dataset.isEmpty()) {
        options.promptStyle = promptStyle;
        options.dataset = dataset;
        options.numUsers = config.survey.baseline.numUsers;
    }
    return options;
}

DemographicsOptions StepRequests::demographics(const StepConfig &config, const QString &name, bool fresh,
                                               const QString &parserTraits)
{
    DemographicsOptions options;
    options.name = name.isEmpty() ? config.survey.name : name;
    options.freshSamples = fresh;
    const QString logprobs = config.resolved.value(u"use_logprobs"_s).toString().toLower();
    options.logprobRoute = logprobs == u"true"_s || logprobs == u"1"_s || logprobs == u"yes"_s;
    if (!parserTraits.isEmpty())
        options.parserTraits = parserTraits.split(u',', Qt::SkipEmptyParts);
    return options;
}

Result<MatchRequest> StepRequests::match(const ResolvedConfig &config, const SurveyConfig &schema,
                                         const QStringList &configDirs)
{
    MatchRequest request;
    request.name = config.value(u"name"_s).toString();
    request.method = config.value(u"method"_s, u"greedy"_s).toString();
    request.dataset = config.value(u"dataset"_s).toString();
    request.demographicsRun = config.value(u"demographics_run"_s).toString();
    for (const QString &t : config.value(u"traits"_s).toStringList())
        if (!t.trimmed().isEmpty())
            request.traits.append(t.trimmed());
    bool ok = true;
    request.seed = config.value(u"seed"_s, 42).toString().toLongLong(&ok);
    if (!ok)
        return Error::user(u"seed must be a whole number"_s).withKey(u"seed"_s);
    request.wave = config.value(u"wave"_s, 0).toString().toInt(&ok);
    if (!ok)
        return Error::user(u"wave must be a whole number"_s).withKey(u"wave"_s);
    request.categoryMapPath = config.value(u"category_map"_s).toString();
    request.configDirs = configDirs;
    request.demographics = schema.demographics;
    if (!schema.hasDemographics)
        return Error::user(u"the config has no demographic questionnaire (defaults: questionnaire/demographics)"_s)
            .withKey(u"questionnaire"_s);
    return request;
}

namespace {

// A study's overrides go to whichever step configs have the key (or the group), so one
// command line can say llm_parameters.model_name=... for all three and num_sample_response=...
// for the demographic survey alone. `used` collects the overrides some config took.
Result<SurveyConfig> studyStepConfig(const QStringList &dirs, const QString &name, const QStringList &overrides,
                                     QSet<QString> &used, QList<Error> *warnings)
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
    if (config && warnings)
        warnings->append(config->warnings);
    return config;
}

} // namespace

Result<StepRequests::Study> StepRequests::study(const QStringList &dirs, const StepArguments &a,
                                                QList<Error> *warnings)
{
    QStringList studyOverrides;
    for (auto it = a.steps.cbegin(); it != a.steps.cend(); ++it)
        studyOverrides.append(it.key() + u'=' + it.value());
    Result<ResolvedConfig> studyConfig = ConfigLoader(dirs).load(a.configName, studyOverrides);
    if (!studyConfig)
        return studyConfig.error();
    Result<StudySettings> settings = StudyDefinition::fromConfig(*studyConfig);
    if (!settings)
        return settings.error();
    settings->configDirs = dirs;
    QSet<QString> used;
    Result<SurveyConfig> survey = studyStepConfig(dirs, settings->surveyConfig, a.overrides, used, warnings);
    if (!survey)
        return survey.error();
    Result<SurveyConfig> demographics =
        studyStepConfig(dirs, settings->demographicsConfig, a.overrides, used, warnings);
    if (!demographics)
        return demographics.error();
    Result<SurveyConfig> generate = studyStepConfig(dirs, settings->generateConfig, a.overrides, used, warnings);
    if (!generate)
        return generate.error();
    for (const QString &o : a.overrides)
        if (!used.contains(o))
            return Error::user(u"'%1': no key of that name in %2, %3 or %4 (nor a study key)"_s.arg(
                o, settings->surveyConfig, settings->demographicsConfig, settings->generateConfig));
    return Study{std::move(*settings), std::move(*survey), std::move(*demographics), std::move(*generate)};
}

} // namespace anthology
