#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"
#include "ConfigArguments.h"
#include "pipeline/StepArguments.h"
#include "pipeline/StepRequests.h"

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

    Result<MatchRequest> built = StepRequests::match(*config, *schema, configDirs);
    if (!built)
        return out.fail(built.error());
    const MatchRequest &request = *built;

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
