#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"
#include "ConfigArguments.h"
#include "StepArguments.h"

#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"
#include "config/ResolvedConfig.h"
#include "pipeline/MatchStep.h"
#include "pipeline/StepCatalog.h"
#include "project/ProjectFile.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace anthology::cli {

int runMatch(const QStringList &args, CliOutput &out)
{
    CommandLine cl(
        u"match"_s,
        u"Match the personas of a demographics run to a data set's respondents and store the "
        "match with its persona sets NAME/qa_mcq, NAME/qa_freeform and NAME/bio. Keys of the config "
        "(default match_config): name, method (greedy, maximum_weight, random), dataset, "
        "demographics_run (id or name), traits, seed, wave, category_map (a file instead of the "
        "wave's atp_w<wave>.yaml)."_s);
    addConfigOptions(cl);
    cl.addOption(projectOption());
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    const StepArguments a = StepArguments::split(cl.positional(), StepCatalog::spec(StepKind::Match).defaultConfig, {});
    const QStringList configDirs = cl.parser().values(u"config-dir"_s);
    Result<ResolvedConfig> config = ConfigLoader(configDirs).load(a.configName, a.overrides);
    if (!config)
        return out.fail(config.error());
    if (!out.json())
        printWarnings(out, config->warnings());
    Result<SurveyConfig> schema = ConfigSchema::survey(*config);
    if (!schema)
        return out.fail(schema.error());

    MatchRequest request;
    request.name = config->value(u"name"_s).toString();
    request.method = config->value(u"method"_s, u"greedy"_s).toString();
    request.dataset = config->value(u"dataset"_s).toString();
    request.demographicsRun = config->value(u"demographics_run"_s).toString();
    for (const QString &t : config->value(u"traits"_s).toStringList())
        if (!t.trimmed().isEmpty())
            request.traits.append(t.trimmed());
    bool ok = true;
    request.seed = config->value(u"seed"_s, 42).toString().toLongLong(&ok);
    if (!ok)
        return out.fail(Error::user(u"seed must be a whole number"_s).withKey(u"seed"_s));
    request.wave = config->value(u"wave"_s, 0).toString().toInt(&ok);
    if (!ok)
        return out.fail(Error::user(u"wave must be a whole number"_s).withKey(u"wave"_s));
    request.categoryMapPath = config->value(u"category_map"_s).toString();
    request.configDirs = configDirs;
    request.demographics = schema->demographics;
    if (!schema->hasDemographics)
        return out.fail(Error::user(u"the config has no demographic questionnaire (defaults: "
                                    "questionnaire/demographics)"_s)
                            .withKey(u"questionnaire"_s));

    auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
    if (!project)
        return out.fail(project.error());
    Result<MatchOutcome> match = MatchStep::run(**project, request);
    if (!match)
        return out.fail(match.error());
    if (out.json()) {
        out.printJson(QJsonObject{{u"match"_s, double(match->matchId)},
                                  {u"name"_s, request.name},
                                  {u"reused"_s, match->reused},
                                  {u"method"_s, request.method},
                                  {u"humans"_s, match->humans},
                                  {u"personas"_s, match->personas},
                                  {u"distinct_personas"_s, match->distinctPersonas},
                                  {u"traits"_s, QJsonArray::fromStringList(match->traits)},
                                  {u"persona_sets"_s, QJsonArray::fromStringList(match->personaSets)}});
        return ExitOk;
    }
    out.out() << (match->reused ? "Match '" : "Matched '") << request.name << "' (" << match->matchId
              << "): " << match->humans << " respondents";
    if (!match->reused)
        out.out() << " to " << match->distinctPersonas << " of " << match->personas << " personas by "
                  << request.method;
    out.out() << (match->reused ? " (already in the project)" : "")
              << "\nPersona sets: " << match->personaSets.join(u", "_s) << Qt::endl;
    return ExitOk;
}

} // namespace anthology::cli
