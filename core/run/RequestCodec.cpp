#include "run/RequestCodec.h"

#include "llm/LlmRequest.h"
#include "llm/LlmResponse.h"
#include "util/CompactJsonWriter.h"
#include "util/JsonTape.h"
#include "util/Sha256.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

double numberOf(const QJsonValue &v)
{
    return v.isDouble() ? v.toDouble() : std::nan("");
}

} // namespace

QByteArray RequestCodec::canonicalRequest(const LlmRequest &request, const QString &modelId, int sampleIndex)
{
    // The bytes QJsonDocument wrote before (keys in QJsonObject's sorted order): the cache keys
    // of existing projects depend on them (TestRequestCodec compares the two).
    CompactJsonWriter w(qsizetype(request.prompt.size()) + 256);
    w.beginObject().key("chat").boolean(request.chat);
    if (request.logprobs)
        w.key("logprobs").integer(*request.logprobs);
    w.key("max_tokens").integer(request.maxTokens);
    if (request.chat) {
        w.key("messages").beginArray();
        for (const ChatMessage &m : request.messages)
            w.beginObject().key("content").string(m.content).key("role").string(m.role).endObject();
        w.endArray();
    }
    w.key("model").string(request.model.isEmpty() ? modelId : request.model);
    w.key("n").integer(request.n);
    if (!request.chat)
        w.key("prompt").string(request.prompt);
    w.key("sample").integer(sampleIndex);
    if (request.seed)
        w.key("seed").number(double(*request.seed));
    w.key("stop").beginArray();
    for (const QString &s : request.stop)
        w.string(s);
    w.endArray();
    w.key("temperature").number(request.temperature).key("top_p").number(request.topP).endObject();
    return w.take();
}

Result<LlmRequest> RequestCodec::requestFromJson(const QByteArray &json)
{
    // Read in one pass (every item of a run comes through here); QJsonDocument reads what the
    // tape leaves to it, with the same results.
    JsonTape t;
    if (t.parse(json) && t.isObject(JsonTape::root())) {
        const int o = JsonTape::root();
        LlmRequest r;
        r.chat = t.boolean(t.value(o, "chat"_L1));
        if (r.chat) {
            const int messages = t.value(o, "messages"_L1);
            for (int m = t.isArray(messages) ? t.firstChild(messages) : -1; m >= 0; m = t.nextSibling(m))
                r.messages.append({t.string(t.value(m, "role"_L1)), t.string(t.value(m, "content"_L1))});
        } else {
            r.prompt = t.string(t.value(o, "prompt"_L1));
        }
        r.model = t.string(t.value(o, "model"_L1));
        r.maxTokens = t.toInt(t.value(o, "max_tokens"_L1), 16);
        r.temperature = t.number(t.value(o, "temperature"_L1), 1.0);
        r.topP = t.number(t.value(o, "top_p"_L1), 1.0);
        r.n = t.toInt(t.value(o, "n"_L1), 1);
        const int stop = t.value(o, "stop"_L1);
        for (int s = t.isArray(stop) ? t.firstChild(stop) : -1; s >= 0; s = t.nextSibling(s))
            r.stop.append(t.string(s));
        if (const int logprobs = t.value(o, "logprobs"_L1); logprobs >= 0)
            r.logprobs = t.toInt(logprobs, 0);
        if (const int seed = t.value(o, "seed"_L1); seed >= 0)
            r.seed = qint64(t.number(seed, 0));
        return r;
    }
    return requestFromJsonWithQt(json);
}

Result<LlmRequest> RequestCodec::requestFromJsonWithQt(const QByteArray &json)
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
    return Sha256::hex({canonicalJson});
}

QByteArray RequestCodec::cacheKey(const QByteArray &canonicalJson, const QByteArray &scope)
{
    return Sha256::hex({canonicalJson, QByteArrayView("\n", 1), scope});
}

QByteArray RequestCodec::responseToJson(const LlmResponse &response)
{
    // The bytes QJsonDocument wrote before, keys in sorted order; room for them up front.
    qsizetype size = 256 + response.id.size() + response.model.size();
    for (const LlmChoice &c : response.choices) {
        size += 64 + c.text.size() + c.finishReason.size();
        for (const TokenLogprob &t : c.logprobs) {
            size += 64 + t.token.size();
            for (const auto &alt : t.top)
                size += 32 + alt.first.size();
        }
    }
    CompactJsonWriter w(size);
    w.beginObject().key("choices").beginArray();
    for (const LlmChoice &c : response.choices) {
        w.beginObject().key("finish_reason").string(c.finishReason).key("index").integer(c.index);
        if (c.hasLogprobs) {
            w.key("logprobs").beginArray();
            for (const TokenLogprob &t : c.logprobs) {
                w.beginObject().key("logprob").number(t.logprob).key("token").string(t.token).key("top");
                w.beginArray();
                for (const auto &alt : t.top)
                    w.beginArray().string(alt.first).number(alt.second).endArray();
                w.endArray().endObject();
            }
            w.endArray();
        }
        w.key("text").string(c.text).endObject();
    }
    w.endArray().key("id").string(response.id).key("model").string(response.model);
    if (response.hasUsage)
        w.key("usage")
            .beginObject()
            .key("completion_tokens")
            .number(double(response.usage.completionTokens))
            .key("prompt_tokens")
            .number(double(response.usage.promptTokens))
            .key("total_tokens")
            .number(double(response.usage.totalTokens))
            .endObject();
    w.endObject();
    return w.take();
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
