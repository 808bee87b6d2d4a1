#include "llm/LlmResponseParser.h"

#include "util/JsonTape.h"
#include "util/ShortStringCache.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

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

// A string that recurs from answer to answer (tokens, alternatives, finish reason, model): the
// same text as JsonTape::string, shared with the answers before it instead of decoded anew, which
// was a dozen allocations per answer on the engine's thread.
QString recurring(const JsonTape &t, int node)
{
    if (!t.isString(node) || t.hasEscapes(node))
        return t.string(node);
    thread_local ShortStringCache cache;
    return cache.fromUtf8(t.raw(node));
}

// The tape's reading of what parseCompletionWithQt reads from the same text, field by field (a
// missing or mistyped value reads as QJsonValue reads it).
QList<TokenLogprob> tapeContentArray(const JsonTape &t, int content)
{
    QList<TokenLogprob> out;
    out.reserve(t.count(content));
    for (int entry = t.firstChild(content); entry >= 0; entry = t.nextSibling(entry)) {
        TokenLogprob pos;
        pos.token = recurring(t, t.value(entry, "token"_L1));
        pos.logprob = t.number(t.value(entry, "logprob"_L1), std::numeric_limits<double>::quiet_NaN());
        const int top = t.value(entry, "top_logprobs"_L1);
        for (int alt = t.isArray(top) ? t.firstChild(top) : -1; alt >= 0; alt = t.nextSibling(alt))
            pos.top.append({recurring(t, t.value(alt, "token"_L1)),
                            t.number(t.value(alt, "logprob"_L1), std::numeric_limits<double>::quiet_NaN())});
        sortTop(pos.top);
        out.append(std::move(pos));
    }
    return out;
}

QList<int> tapeElements(const JsonTape &t, int array)
{
    QList<int> out;
    if (!t.isArray(array))
        return out;
    out.reserve(t.count(array));
    for (int e = t.firstChild(array); e >= 0; e = t.nextSibling(e))
        out.append(e);
    return out;
}

// {token: logprob} in the order a QJsonObject holds it (the order decides between equal
// logprobs): the last of a repeated key, keys written plainly in code point order. Escaped keys
// sort by other rules in Qt (UTF-16 units among themselves) and a leading byte order mark is
// dropped from the key, so such an object is read by Qt.
QList<QPair<QString, double>> tapeTopMap(const JsonTape &t, int object)
{
    QList<QPair<QByteArrayView, int>> keys;
    keys.reserve(t.count(object));
    for (int key = t.firstChild(object); key >= 0; key = t.nextSibling(key + 1)) {
        if (t.hasEscapes(key) || t.raw(key).startsWith("\xef\xbb\xbf")) {
            QList<QPair<QString, double>> top;
            const QJsonObject alts = QJsonDocument::fromJson(t.raw(object).toByteArray()).object();
            for (auto it = alts.constBegin(); it != alts.constEnd(); ++it)
                top.append({it.key(), numberOrNaN(it.value())});
            return top;
        }
        keys.append({t.raw(key), key + 1});
    }
    std::stable_sort(keys.begin(), keys.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QList<QPair<QString, double>> top;
    top.reserve(keys.size());
    for (qsizetype k = 0; k < keys.size(); ++k) {
        if (k + 1 < keys.size() && keys[k + 1].first == keys[k].first)
            continue; // a later one of the same key wins
        top.append({recurring(t, keys[k].second - 1),
                    t.number(keys[k].second, std::numeric_limits<double>::quiet_NaN())});
    }
    return top;
}

QList<TokenLogprob> tapeLegacy(const JsonTape &t, int lp)
{
    const QList<int> tokens = tapeElements(t, t.value(lp, "tokens"_L1));
    const QList<int> logprobs = tapeElements(t, t.value(lp, "token_logprobs"_L1));
    const QList<int> tops = tapeElements(t, t.value(lp, "top_logprobs"_L1));
    QList<TokenLogprob> out;
    out.reserve(tokens.size());
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        TokenLogprob pos;
        pos.token = recurring(t, tokens.at(i));
        pos.logprob = i < logprobs.size() ? t.number(logprobs.at(i), std::numeric_limits<double>::quiet_NaN())
                                          : std::numeric_limits<double>::quiet_NaN();
        if (i < tops.size() && t.isObject(tops.at(i)))
            pos.top = tapeTopMap(t, tops.at(i));
        sortTop(pos.top);
        out.append(std::move(pos));
    }
    return out;
}

// nullopt for the answers that are not plain completions (errors, no choices array): the Qt path
// words their messages.
std::optional<LlmResponse> readCompletion(const JsonTape &t)
{
    const int root = JsonTape::root();
    if (!t.isObject(root) || t.contains(root, "error"_L1) ||
        recurring(t, t.value(root, "object"_L1)) == u"error"_s)
        return std::nullopt;
    const int choices = t.value(root, "choices"_L1);
    if (!t.isArray(choices))
        return std::nullopt;
    LlmResponse response;
    response.id = t.string(t.value(root, "id"_L1));
    response.model = recurring(t, t.value(root, "model"_L1));
    int i = 0;
    for (int c = t.firstChild(choices); c >= 0; c = t.nextSibling(c), ++i) {
        LlmChoice choice;
        choice.index = t.toInt(t.value(c, "index"_L1), i);
        const int message = t.value(c, "message"_L1);
        choice.text =
            message >= 0 ? recurring(t, t.value(message, "content"_L1)) : recurring(t, t.value(c, "text"_L1));
        choice.finishReason = recurring(t, t.value(c, "finish_reason"_L1));
        const int lp = t.value(c, "logprobs"_L1);
        if (t.isObject(lp)) {
            choice.hasLogprobs = true;
            const int content = t.value(lp, "content"_L1);
            if (content >= 0)
                choice.logprobs = t.isArray(content) ? tapeContentArray(t, content) : QList<TokenLogprob>();
            else
                choice.logprobs = tapeLegacy(t, lp);
        }
        response.choices.append(std::move(choice));
    }
    std::stable_sort(response.choices.begin(), response.choices.end(),
                     [](const LlmChoice &a, const LlmChoice &b) { return a.index < b.index; });
    const int usage = t.value(root, "usage"_L1);
    if (t.isObject(usage)) {
        response.hasUsage = true;
        response.usage.promptTokens = t.toInteger(t.value(usage, "prompt_tokens"_L1), 0);
        response.usage.completionTokens = t.toInteger(t.value(usage, "completion_tokens"_L1), 0);
        const int total = t.value(usage, "total_tokens"_L1);
        response.usage.totalTokens = total >= 0 ? t.toInteger(total, 0)
                                                : response.usage.promptTokens + response.usage.completionTokens;
    }
    return response;
}

} // namespace

Result<LlmResponse> LlmResponseParser::parseCompletion(const QByteArray &body)
{
    JsonTape tape;
    if (tape.parse(body)) {
        if (std::optional<LlmResponse> response = readCompletion(tape))
            return std::move(*response);
    }
    return parseCompletionWithQt(body);
}

Result<LlmResponse> LlmResponseParser::parseCompletionWithQt(const QByteArray &body)
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
