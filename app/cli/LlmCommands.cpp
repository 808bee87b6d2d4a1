#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"

#include "llm/EndpointProbe.h"
#include "llm/EndpointProfile.h"
#include "pipeline/EndpointCheck.h"
#include "pipeline/LlmProfileCatalog.h"
#include "survey/SurveyTypes.h"

#include <QEventLoop>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace anthology::cli {

namespace {

// The endpoint to check: --url, an llm_parameters file, or a config's llm_parameters after its
// defaults and overrides (so the check hits exactly what a run of that config would).
Result<LlmParameters> pingTarget(const CommandLine &cl, CliOutput &out)
{
    const QStringList positional = cl.positional();
    LlmParameters params;
    QList<Error> warnings;
    if (cl.isSet(u"url"_s)) {
        if (!positional.isEmpty())
            return Error::user(u"give either --url or a config, not both"_s);
        params.apiProvider = cl.value(u"url"_s);
    } else if (QFileInfo(positional.first()).isFile()) {
        if (positional.size() > 1)
            return Error::user(u"overrides apply to a config name, not to the file "_s + positional.first());
        Result<LlmParameters> read = LlmProfileCatalog::readFile(positional.first(), warnings);
        if (!read)
            return read.error();
        params = *read;
    } else {
        Result<LlmParameters> read = LlmProfileCatalog::fromConfig(
            cl.parser().values(u"config-dir"_s), positional.first(), positional.mid(1), warnings);
        if (!read)
            return read.error();
        params = *read;
    }
    for (const Error &w : std::as_const(warnings))
        out.err() << "anthology: warning: " << w.toString() << '\n';
    if (cl.isSet(u"model"_s))
        params.modelName = cl.value(u"model"_s);
    if (cl.isSet(u"chat"_s))
        params.chat = true;
    return params;
}

int pingCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"llm ping"_s,
                   u"Check an OpenAI-compatible server: list its models, send a one-token request, report "
                   "the latency and whether it accepts n > 1 and logprobs. The server is --url, or the "
                   "llm_parameters of a config (NAME [overrides...] with --config-dir, as a run takes "
                   "them) or of an llm_parameters file; the key comes from the variable the profile names."_s);
    cl.addPositional(u"config"_s, u"A config name, or an llm_parameters YAML file."_s, u"[config]"_s);
    cl.addPositional(u"overrides"_s, u"key=value overrides of the config."_s, u"[overrides...]"_s);
    cl.addOption(QCommandLineOption(
        u"config-dir"_s, u"A config folder in the reference layout, searched before ours (repeatable)."_s,
        u"dir"_s));
    cl.addOption(QCommandLineOption(
        u"url"_s, u"Base URL, e.g. http://127.0.0.1:8000/v1, or a provider name."_s, u"url"_s));
    cl.addOption(
        QCommandLineOption(u"model"_s, u"Model to ask (default: the profile's, else the first listed)."_s, u"model"_s));
    cl.addOption(QCommandLineOption(u"chat"_s, u"Use chat completions."_s));
    cl.addOption(QCommandLineOption(u"timeout-ms"_s, u"Per request (default 30000)."_s, u"ms"_s, u"30000"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (!cl.isSet(u"url"_s) && cl.positional().isEmpty())
        return out.usage(u"expected --url URL, a config name (with --config-dir), or an llm_parameters file"_s,
                         cl.helpHint());
    Result<LlmParameters> params = pingTarget(cl, out);
    if (!params)
        return out.fail(params.error());
    if (Status st = checkEndpoint(*params, u"llm_parameters"_s); !st)
        return out.fail(st.error());
    Result<EndpointProfile> profile = EndpointProfile::fromParameters(*params);
    if (!profile)
        return out.fail(profile.error());

    EndpointProbe probe;
    QEventLoop loop;
    QObject::connect(&probe, &EndpointProbe::finished, &loop, &QEventLoop::quit);
    probe.start(*profile, cl.value(u"timeout-ms"_s).toInt());
    loop.exec();
    const EndpointProbeReport &report = probe.report();
    if (report.error)
        return out.fail(*report.error);
    if (out.json()) {
        out.printJson(report.toJson());
        return ExitOk;
    }
    auto verdict = [](bool accepted, const QString &detail) {
        return accepted ? u"accepted"_s
                        : u"not accepted"_s + (detail.isEmpty() ? QString() : u" ("_s + detail + u')');
    };
    out.out() << "Server " << report.url << '\n'
              << "  models: " << (report.models.isEmpty() ? u"(not listed)"_s : report.models.join(u", "_s)) << '\n'
              << "  one-token request to " << report.model << ": " << report.latencyMs << " ms\n"
              << "  n > 1: " << verdict(report.nAccepted, report.nDetail) << '\n'
              << "  logprobs: " << verdict(report.logprobsAccepted, report.logprobsDetail) << Qt::endl;
    return ExitOk;
}

} // namespace

int runLlm(const QStringList &args, CliOutput &out)
{
    return dispatch("llm",
                    {{"ping", "Check a server: models, latency, n > 1 and logprobs support", pingCommand}},
                    args, out);
}

} // namespace anthology::cli
