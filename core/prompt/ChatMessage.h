#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace anthology {

// One message of a chat-completions request: role "system", "user" or "assistant".
struct ChatMessage
{
    QString role;
    QString content;

    static ChatMessage system(QString content) { return {QStringLiteral("system"), std::move(content)}; }
    static ChatMessage user(QString content) { return {QStringLiteral("user"), std::move(content)}; }
    static ChatMessage assistant(QString content)
    {
        return {QStringLiteral("assistant"), std::move(content)};
    }

    bool operator==(const ChatMessage &other) const = default;

    // [{"role": ..., "content": ...}, ...] as indented JSON (the request's "messages" array,
    // and the serialization of golden files).
    static QByteArray toJson(const QList<ChatMessage> &messages);
};

} // namespace anthology
