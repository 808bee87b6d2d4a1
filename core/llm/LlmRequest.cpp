#include "llm/LlmRequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace anthology {

using namespace Qt::StringLiterals;

QByteArray LlmRequest::toJson(const QString &modelId) const
{
    QJsonObject body;
    body.insert(u"model"_s, model.isEmpty() ? modelId : model);
    if (chat) {
        QJsonArray list;
        for (const ChatMessage &m : messages)
            list.append(QJsonObject{{u"role"_s, m.role}, {u"content"_s, m.content}});
        body.insert(u"messages"_s, list);
    } else {
        body.insert(u"prompt"_s, prompt);
    }
    body.insert(u"max_tokens"_s, maxTokens);
    body.insert(u"temperature"_s, temperature);
    body.insert(u"top_p"_s, topP);
    if (n != 1)
        body.insert(u"n"_s, n);
    if (!stop.isEmpty())
        body.insert(u"stop"_s, QJsonArray::fromStringList(stop));
    if (logprobs) {
        if (chat) {
            body.insert(u"logprobs"_s, true);
            if (*logprobs > 0)
                body.insert(u"top_logprobs"_s, *logprobs);
        } else {
            body.insert(u"logprobs"_s, *logprobs);
        }
    }
    if (seed)
        body.insert(u"seed"_s, *seed);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

qint64 LlmRequest::estimatedTokens() const
{
    qint64 chars = prompt.size();
    for (const ChatMessage &m : messages)
        chars += m.content.size() + 4;
    return chars / 4 + qint64(qMax(1, n)) * qMax(1, maxTokens);
}

} // namespace anthology
