#include "llm/LlmRequest.h"

#include "util/CompactJsonWriter.h"

namespace anthology {

using namespace Qt::StringLiterals;

QByteArray LlmRequest::toJson(const QString &modelId) const
{
    // The bytes QJsonDocument wrote from a QJsonObject (keys in its sorted order) without
    // building one: on a run's path that building cost as much as the rest of the request.
    CompactJsonWriter w(qsizetype(prompt.size()) + 256);
    w.beginObject();
    if (logprobs) {
        if (chat)
            w.key("logprobs").boolean(true);
        else
            w.key("logprobs").integer(*logprobs);
    }
    w.key("max_tokens").integer(maxTokens);
    if (chat) {
        w.key("messages").beginArray();
        for (const ChatMessage &m : messages)
            w.beginObject().key("content").string(m.content).key("role").string(m.role).endObject();
        w.endArray();
    }
    w.key("model").string(model.isEmpty() ? modelId : model);
    if (n != 1)
        w.key("n").integer(n);
    if (!chat)
        w.key("prompt").string(prompt);
    if (seed)
        w.key("seed").integer(*seed);
    if (!stop.isEmpty()) {
        w.key("stop").beginArray();
        for (const QString &s : stop)
            w.string(s);
        w.endArray();
    }
    w.key("temperature").number(temperature);
    if (chat && logprobs && *logprobs > 0)
        w.key("top_logprobs").integer(*logprobs);
    w.key("top_p").number(topP).endObject();
    return w.take();
}

qint64 LlmRequest::estimatedTokens() const
{
    qint64 chars = prompt.size();
    for (const ChatMessage &m : messages)
        chars += m.content.size() + 4;
    return chars / 4 + qint64(qMax(1, n)) * qMax(1, maxTokens);
}

} // namespace anthology
