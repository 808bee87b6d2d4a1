#include "ConfigArguments.h"

#include "CliOutput.h"
#include "CommandLine.h"

#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"
#include "pipeline/StepRequests.h"

using namespace Qt::StringLiterals;

namespace anthology::cli {

void addConfigOptions(CommandLine &cl)
{
    cl.addPositional(u"name"_s, u"The primary config, e.g. survey_config or surveys/ATP_config."_s);
    cl.addPositional(u"overrides"_s,
                     u"key=value, a.b=value, group/sub=option, +key=value, ~key (as in Hydra)."_s,
                     u"[overrides...]"_s);
    cl.addOption(QCommandLineOption(
        u"config-dir"_s, u"A config folder in the reference layout, searched before ours (repeatable)."_s,
        u"dir"_s));
}

Result<ResolvedConfig> loadConfig(const CommandLine &cl, const std::optional<QStringList> &overrides)
{
    const QStringList positional = cl.positional();
    if (positional.isEmpty())
        return Error::user(u"expected a config name (see: "_s + cl.helpHint() + u")"_s);
    ConfigLoader loader(cl.parser().values(u"config-dir"_s));
    return loader.load(positional.first(), overrides.value_or(positional.mid(1)));
}

void printWarnings(CliOutput &out, const QList<Error> &warnings)
{
    for (const Error &w : warnings)
        out.err() << "anthology: warning: " << w.toString() << '\n';
    out.err().flush();
}

Result<StepConfig> loadStepConfig(const CommandLine &cl, CliOutput &out)
{
    const QStringList positional = cl.positional();
    if (positional.isEmpty())
        return Error::user(u"expected a config name (see: "_s + cl.helpHint() + u")"_s);
    const bool hasProfile = cl.parser().optionNames().contains(u"profile"_s); // given (and so defined)
    QList<Error> warnings;
    Result<StepConfig> step = StepRequests::loadStepConfig(cl.parser().values(u"config-dir"_s), positional.first(),
                                                           positional.mid(1),
                                                           hasProfile ? cl.value(u"profile"_s) : QString(), &warnings);
    if (step)
        printWarnings(out, warnings);
    return step;
}

} // namespace anthology::cli
