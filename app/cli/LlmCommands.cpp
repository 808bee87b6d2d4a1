#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"

#include "llm/EndpointProfile.h"
#include "llm/LlmRequest.h"
#include "llm/LlmResponseParser.h"
#include "survey/SurveyTypes.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace anthology::cli {

namespace {

struct Exchange
{
    int status = 0;
    QByteArray body;
    QString networkError;
    qint64 elapsedMs = 0;
};

Exchange send(QNetworkAccessManager &manager, const EndpointProfile &profile, const QString &path,
              const QByteArray &body, int timeoutMs)
{
    QNetworkRequest request(profile.endpointUrl(path));
    const QByteArray key = profile.apiKey();
    if (!key.isEmpty())
        request.setRawHeader("Authorization", "Bearer "_ba + key);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    QElapsedTimer clock;
    clock.start();
    QNetworkReply *reply = body.isEmpty() ? manager.get(request) : manager.post(request, body);
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&timeout, &QTimer::timeout, reply, &QNetworkReply::abort);
    timeout.start(timeoutMs);
    loop.exec();
    Exchange e;
    e.elapsedMs = clock.elapsed();
    e.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    e.body = reply->readAll();
    if (reply->error() != QNetworkReply::NoError && e.status == 0)
        e.networkError = reply->errorString();
    reply->deleteLater();
    return e;
}

QString failure(const Exchange &e)
{
    if (!e.networkError.isEmpty())
        return e.networkError;
    return u"HTTP %1: %2"_s.arg(e.status).arg(LlmResponseParser::parseError(e.body).message);
}

int pingCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"llm ping"_s, u"Check an OpenAI-compatible server: list its models, send a one-token "
                                  "request, report the latency and whether it accepts n > 1 and logprobs."_s);
    cl.addOption(QCommandLineOption(
        u"url"_s, u"Base URL, e.g. http://127.0.0.1:8000/v1, or a provider name."_s, u"url"_s));
    cl.addOption(
        QCommandLineOption(u"model"_s, u"Model to ask (default: the first one listed)."_s, u"model"_s));
    cl.addOption(QCommandLineOption(u"chat"_s, u"Use chat completions."_s));
    cl.addOption(QCommandLineOption(u"timeout-ms"_s, u"Per request (default 30000)."_s, u"ms"_s, u"30000"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (!cl.isSet(u"url"_s))
        return out.usage(u"--url is required"_s, cl.helpHint());
    LlmParameters params;
    params.apiProvider = cl.value(u"url"_s);
    params.modelName = cl.value(u"model"_s);
    params.chat = cl.isSet(u"chat"_s);
    Result<EndpointProfile> profile = EndpointProfile::fromParameters(params);
    if (!profile)
        return out.fail(profile.error());
    if (Status st = profile->checkKeyTransport(); !st)
        return out.fail(st.error());
    const int timeoutMs = qMax(100, cl.value(u"timeout-ms"_s).toInt());

    QNetworkAccessManager manager;
    const Exchange models = send(manager, *profile, u"models"_s, {}, timeoutMs);
    QStringList modelIds;
    if (models.status == 200) {
        Result<QStringList> ids = LlmResponseParser::parseModels(models.body);
        if (ids)
            modelIds = *ids;
    }
    QString model = params.modelName;
    if (model.isEmpty() && !modelIds.isEmpty())
        model = modelIds.first();
    if (models.status != 200 && model.isEmpty())
        return out.fail(
            Error::user(u"cannot list the models of %1: %2"_s.arg(profile->displayUrl(), failure(models))));

    const QString path = params.chat ? u"chat/completions"_s : u"completions"_s;
    auto probe = [&](int n, std::optional<int> logprobs) {
        LlmRequest r;
        r.chat = params.chat;
        if (r.chat)
            r.messages.append({u"user"_s, u"Say yes."_s});
        else
            r.prompt = u"Question: Is the sky blue?\nAnswer:"_s;
        r.maxTokens = 1;
        r.n = n;
        r.logprobs = logprobs;
        return send(manager, *profile, path, r.toJson(model), timeoutMs);
    };
    const Exchange basic = probe(1, std::nullopt);
    if (basic.status != 200)
        return out.fail(
            Error::user(u"%1 refused a one-token request: %2"_s.arg(profile->displayUrl(), failure(basic))));
    const Exchange multi = probe(2, std::nullopt);
    bool nAccepted = false;
    if (multi.status == 200) {
        Result<LlmResponse> r = LlmResponseParser::parseCompletion(multi.body);
        nAccepted = r && r->choices.size() == 2;
    }
    const Exchange withLogprobs = probe(1, 1);
    bool logprobsAccepted = false;
    if (withLogprobs.status == 200) {
        Result<LlmResponse> r = LlmResponseParser::parseCompletion(withLogprobs.body);
        logprobsAccepted = r && !r->choices.isEmpty() && r->choices.first().hasLogprobs;
    }
    if (out.json()) {
        out.printJson(QJsonObject{{u"url"_s, profile->displayUrl()},
                                  {u"models"_s, QJsonArray::fromStringList(modelIds)},
                                  {u"model"_s, model},
                                  {u"latency_ms"_s, double(basic.elapsedMs)},
                                  {u"n_greater_than_1"_s, nAccepted},
                                  {u"logprobs"_s, logprobsAccepted}});
    } else {
        out.out() << "Server " << profile->displayUrl() << '\n'
                  << "  models: " << (modelIds.isEmpty() ? u"(not listed)"_s : modelIds.join(u", "_s)) << '\n'
                  << "  one-token request to " << model << ": " << basic.elapsedMs << " ms\n"
                  << "  n > 1: " << (nAccepted ? "accepted" : "not accepted") << '\n'
                  << "  logprobs: " << (logprobsAccepted ? "accepted" : "not accepted") << Qt::endl;
    }
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
