#include "llm/LlmResponseParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <limits>

namespace anthology {

using namespace Qt::StringLiterals;

namespace {

double numberOrNaN(const QJsonValue &v)
{
    return v.isDouble() ? v.toDouble() : std::numeric_limits<double>::quiet_NaN();
}

void sortTop(QList<QPair<QString, double>> &top)
{
    std::stable_sort(top.begin(), top.end(),
                     [](const auto &a, const auto &b) { return a.second > b.second; });
}

// llama.cpp and chat: [{token, logprob, top_logprobs: [{token, logprob}]}]
QList<TokenLogprob> parseContentArray(const QJsonArray &content)
{
    QList<TokenLogprob> out;
    out.reserve(content.size());
    for (const QJsonValue &entryValue : content) {
        const QJsonObject entry = entryValue.toObject();
        TokenLogprob pos;
        pos.token = entry.value(u"token"_s).toString();
        pos.logprob = numberOrNaN(entry.value(u"logprob"_s));
        for (const QJsonValue &alt : entry.value(u"top_logprobs"_s).toArray()) {
            const QJsonObject a = alt.toObject();
            pos.top.append({a.value(u"token"_s).toString(), numberOrNaN(a.value(u"logprob"_s))});
        }
        sortTop(pos.top);
        out.append(std::move(pos));
    }
    return out;
}

// OpenAI/vLLM legacy completions: parallel arrays, top_logprobs as [{token: logprob}].
QList<TokenLogprob> parseLegacy(const QJsonObject &lp)
{
    const QJsonArray tokens = lp.value(u"tokens"_s).toArray();
    const QJsonArray logprobs = lp.value(u"token_logprobs"_s).toArray();
    const QJsonArray tops = lp.value(u"top_logprobs"_s).toArray();
    QList<TokenLogprob> out;
    out.reserve(tokens.size());
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        TokenLogprob pos;
        pos.token = tokens.at(i).toString();
        pos.logprob =
            i < logprobs.size() ? numberOrNaN(logprobs.at(i)) : std::numeric_limits<double>::quiet_NaN();
        if (i < tops.size()) {
            const QJsonObject alts = tops.at(i).toObject();
            for (auto it = alts.constBegin(); it != alts.constEnd(); ++it)
                pos.top.append({it.key(), numberOrNaN(it.value())});
        }
        sortTop(pos.top);
        out.append(std::move(pos));
    }
    return out;
}

Result<QJsonDocument> parseJson(const QByteArray &body, const char *what)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError) {
        return Error::user(
            u"expected a JSON %1 response, got invalid JSON at byte %2 (%3)"_s.arg(QLatin1StringView(what))
                .arg(err.offset)
                .arg(err.errorString()));
    }
    if (!doc.isObject())
        return Error::user(u"expected a JSON object as %1 response"_s.arg(QLatin1StringView(what)));
    return doc;
}

QString valueText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 15);
    if (v.isObject() || v.isArray())
        return QString::fromUtf8(v.isObject() ? QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)
                                              : QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return {};
}

} // namespace

Result<LlmResponse> LlmResponseParser::parseCompletion(const QByteArray &body)
{
    auto doc = parseJson(body, "completion");
    if (!doc)
        return doc.error();
    const QJsonObject root = doc->object();
    if (root.contains(u"error"_s) || root.value(u"object"_s).toString() == u"error"_s)
        return Error::user(u"server answered with an error: "_s + parseError(body).message);
    const QJsonValue choicesValue = root.value(u"choices"_s);
    if (!choicesValue.isArray())
        return Error::user(u"expected \"choices\" to be an array in the completion response"_s)
            .withKey(u"choices"_s);

    LlmResponse response;
    response.id = root.value(u"id"_s).toString();
    response.model = root.value(u"model"_s).toString();
    const QJsonArray choices = choicesValue.toArray();
    for (qsizetype i = 0; i < choices.size(); ++i) {
        const QJsonObject c = choices.at(i).toObject();
        LlmChoice choice;
        choice.index = c.value(u"index"_s).toInt(int(i));
        if (c.contains(u"message"_s))
            choice.text = c.value(u"message"_s).toObject().value(u"content"_s).toString();
        else
            choice.text = c.value(u"text"_s).toString();
        choice.finishReason = c.value(u"finish_reason"_s).toString();
        const QJsonValue lpValue = c.value(u"logprobs"_s);
        if (lpValue.isObject()) {
            const QJsonObject lp = lpValue.toObject();
            choice.hasLogprobs = true;
            if (lp.contains(u"content"_s))
                choice.logprobs = parseContentArray(lp.value(u"content"_s).toArray());
            else
                choice.logprobs = parseLegacy(lp);
        }
        response.choices.append(std::move(choice));
    }
    std::stable_sort(response.choices.begin(), response.choices.end(),
                     [](const LlmChoice &a, const LlmChoice &b) { return a.index < b.index; });

    const QJsonValue usage = root.value(u"usage"_s);
    if (usage.isObject()) {
        const QJsonObject u = usage.toObject();
        response.hasUsage = true;
        response.usage.promptTokens = u.value(u"prompt_tokens"_s).toInteger();
        response.usage.completionTokens = u.value(u"completion_tokens"_s).toInteger();
        response.usage.totalTokens = u.contains(u"total_tokens"_s)
                                         ? u.value(u"total_tokens"_s).toInteger()
                                         : response.usage.promptTokens + response.usage.completionTokens;
    }
    return response;
}

Result<QStringList> LlmResponseParser::parseModels(const QByteArray &body)
{
    auto doc = parseJson(body, "model list");
    if (!doc)
        return doc.error();
    const QJsonObject root = doc->object();
    QStringList ids;
    // OpenAI/vLLM/llama.cpp use "data"; Ollama's native /api/tags uses "models" with "name".
    const QJsonArray data =
        root.contains(u"data"_s) ? root.value(u"data"_s).toArray() : root.value(u"models"_s).toArray();
    for (const QJsonValue &m : data) {
        const QJsonObject o = m.toObject();
        const QString id = o.contains(u"id"_s) ? o.value(u"id"_s).toString() : o.value(u"name"_s).toString();
        if (!id.isEmpty())
            ids.append(id);
    }
    if (ids.isEmpty())
        return Error::user(u"expected at least one model in \"data\" of the /v1/models response"_s)
            .withKey(u"data"_s);
    return ids;
}

ApiError LlmResponseParser::parseError(const QByteArray &body)
{
    ApiError out;
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject()) {
        out.message = QString::fromUtf8(body.left(200)).trimmed();
        return out;
    }
    const QJsonObject root = doc.object();
    const QJsonValue e = root.value(u"error"_s);
    QJsonObject fields = root;
    if (e.isObject())
        fields = e.toObject();
    else if (e.isString())
        out.message = e.toString();
    if (out.message.isEmpty())
        out.message = valueText(fields.value(u"message"_s));
    if (out.message.isEmpty())
        out.message = valueText(root.value(u"detail"_s));
    out.type = valueText(fields.value(u"type"_s));
    out.code = valueText(fields.value(u"code"_s));
    if (out.message.isEmpty())
        out.message = QString::fromUtf8(body.left(200)).trimmed();
    return out;
}

} // namespace anthology
