#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"
#include "ConfigArguments.h"

#include "config/ConfigSchema.h"
#include "config/ResolvedConfig.h"
#include "llm/ProviderCatalog.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace anthology::cli {

namespace {

int show(const QStringList &args, CliOutput &out)
{
    CommandLine cl(
        u"config show"_s,
        u"Resolve a config (defaults list, group options, overrides, interpolation) and print it as "
        "YAML. It is also checked group by group; unknown keys are reported as warnings."_s);
    addConfigOptions(cl);
    cl.addOption(QCommandLineOption(u"no-check"_s, u"Print without checking the groups' types."_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    auto loaded = loadConfig(cl);
    if (!loaded)
        return out.fail(loaded.error());
    QList<Error> warnings = loaded->warnings();
    if (!cl.isSet(u"no-check"_s) && loaded->root().child(u"providers"_s)) {
        // The provider and short-model-name table (llm_providers), checked as a run reads it.
        if (Result<ProviderCatalog> catalog = ProviderCatalog::parse(loaded->root()); !catalog)
            return out.fail(catalog.error());
    } else if (!cl.isSet(u"no-check"_s)) {
        auto survey = ConfigSchema::survey(*loaded);
        if (!survey)
            return out.fail(survey.error());
        warnings += survey->warnings;
    }
    if (out.json()) {
        QJsonArray w;
        for (const Error &e : std::as_const(warnings))
            w.append(e.toString());
        out.printJson(
            QJsonObject{{u"config"_s, QJsonObject::fromVariantMap(loaded->root().toVariant().toMap())},
                        {u"yaml"_s, loaded->toYaml()},
                        {u"warnings"_s, w}});
    } else {
        printWarnings(out, warnings);
        out.out() << loaded->toYaml();
        out.out().flush();
    }
    return ExitOk;
}

} // namespace

int runConfig(const QStringList &args, CliOutput &out)
{
    return dispatch("config", {{"show", "Print a resolved config as YAML (and check it)", show}}, args, out);
}

} // namespace anthology::cli
