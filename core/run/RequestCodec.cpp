#include "run/RequestCodec.h"

#include "llm/LlmRequest.h"
#include "llm/LlmResponse.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

double numberOf(const QJsonValue &v)
{
    return v.isDouble() ? v.toDouble() : std::nan("");
}

} // namespace

QByteArray RequestCodec::canonicalRequest(const LlmRequest &request, const QString &modelId, int sampleIndex)
{
    // QJsonObject keeps its keys sorted, so Compact output is canonical.
    QJsonObject o;
    o.insert(u"chat"_s, request.chat);
    if (request.chat) {
        QJsonArray messages;
        for (const ChatMessage &m : request.messages)
            messages.append(QJsonObject{{u"role"_s, m.role}, {u"content"_s, m.content}});
        o.insert(u"messages"_s, messages);
    } else {
        o.insert(u"prompt"_s, request.prompt);
    }
    o.insert(u"model"_s, request.model.isEmpty() ? modelId : request.model);
    o.insert(u"max_tokens"_s, request.maxTokens);
    o.insert(u"temperature"_s, request.temperature);
    o.insert(u"top_p"_s, request.topP);
    o.insert(u"n"_s, request.n);
    o.insert(u"stop"_s, QJsonArray::fromStringList(request.stop));
    if (request.logprobs)
        o.insert(u"logprobs"_s, *request.logprobs);
    if (request.seed)
        o.insert(u"seed"_s, double(*request.seed));
    o.insert(u"sample"_s, sampleIndex);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Result<LlmRequest> RequestCodec::requestFromJson(const QByteArray &json)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject())
        return Error::internal(u"stored request is not a JSON object: %1"_s.arg(error.errorString()));
    const QJsonObject o = doc.object();
    LlmRequest r;
    r.chat = o.value(u"chat"_s).toBool();
    if (r.chat) {
        const QJsonArray messages = o.value(u"messages"_s).toArray();
        for (const QJsonValue &m : messages)
            r.messages.append({m[u"role"_s].toString(), m[u"content"_s].toString()});
    } else {
        r.prompt = o.value(u"prompt"_s).toString();
    }
    r.model = o.value(u"model"_s).toString();
    r.maxTokens = o.value(u"max_tokens"_s).toInt(16);
    r.temperature = o.value(u"temperature"_s).toDouble(1.0);
    r.topP = o.value(u"top_p"_s).toDouble(1.0);
    r.n = o.value(u"n"_s).toInt(1);
    const QJsonArray stop = o.value(u"stop"_s).toArray();
    for (const QJsonValue &s : stop)
        r.stop.append(s.toString());
    if (o.contains(u"logprobs"_s))
        r.logprobs = o.value(u"logprobs"_s).toInt();
    if (o.contains(u"seed"_s))
        r.seed = qint64(o.value(u"seed"_s).toDouble());
    return r;
}

QByteArray RequestCodec::cacheKey(const QByteArray &canonicalJson)
{
    return QCryptographicHash::hash(canonicalJson, QCryptographicHash::Sha256).toHex();
}

QByteArray RequestCodec::cacheKey(const QByteArray &canonicalJson, const QByteArray &scope)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(canonicalJson);
    hash.addData(QByteArrayView("\n", 1));
    hash.addData(scope);
    return hash.result().toHex();
}

QByteArray RequestCodec::responseToJson(const LlmResponse &response)
{
    QJsonArray choices;
    for (const LlmChoice &c : response.choices) {
        QJsonObject choice{{u"index"_s, c.index}, {u"text"_s, c.text}, {u"finish_reason"_s, c.finishReason}};
        if (c.hasLogprobs) {
            QJsonArray positions;
            for (const TokenLogprob &t : c.logprobs) {
                QJsonArray top;
                for (const auto &alt : t.top)
                    top.append(QJsonArray{alt.first, number(alt.second)});
                positions.append(
                    QJsonObject{{u"token"_s, t.token}, {u"logprob"_s, number(t.logprob)}, {u"top"_s, top}});
            }
            choice.insert(u"logprobs"_s, positions);
        }
        choices.append(choice);
    }
    QJsonObject o{{u"id"_s, response.id}, {u"model"_s, response.model}, {u"choices"_s, choices}};
    if (response.hasUsage)
        o.insert(u"usage"_s, QJsonObject{{u"prompt_tokens"_s, double(response.usage.promptTokens)},
                                         {u"completion_tokens"_s, double(response.usage.completionTokens)},
                                         {u"total_tokens"_s, double(response.usage.totalTokens)}});
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Result<LlmResponse> RequestCodec::responseFromJson(const QByteArray &json)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject())
        return Error::internal(u"stored response is not a JSON object: %1"_s.arg(error.errorString()));
    const QJsonObject o = doc.object();
    LlmResponse r;
    r.id = o.value(u"id"_s).toString();
    r.model = o.value(u"model"_s).toString();
    const QJsonArray choices = o.value(u"choices"_s).toArray();
    for (const QJsonValue &cv : choices) {
        const QJsonObject c = cv.toObject();
        LlmChoice choice;
        choice.index = c.value(u"index"_s).toInt();
        choice.text = c.value(u"text"_s).toString();
        choice.finishReason = c.value(u"finish_reason"_s).toString();
        if (c.contains(u"logprobs"_s)) {
            choice.hasLogprobs = true;
            const QJsonArray positions = c.value(u"logprobs"_s).toArray();
            for (const QJsonValue &pv : positions) {
                TokenLogprob t;
                t.token = pv[u"token"_s].toString();
                t.logprob = numberOf(pv[u"logprob"_s]);
                const QJsonArray top = pv[u"top"_s].toArray();
                for (const QJsonValue &alt : top)
                    t.top.append({alt[0].toString(), numberOf(alt[1])});
                choice.logprobs.append(t);
            }
        }
        r.choices.append(choice);
    }
    if (o.contains(u"usage"_s)) {
        const QJsonObject u = o.value(u"usage"_s).toObject();
        r.hasUsage = true;
        r.usage.promptTokens = qint64(u.value(u"prompt_tokens"_s).toDouble());
        r.usage.completionTokens = qint64(u.value(u"completion_tokens"_s).toDouble());
        r.usage.totalTokens = qint64(u.value(u"total_tokens"_s).toDouble());
    }
    return r;
}

} // namespace anthology
