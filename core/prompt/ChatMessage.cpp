#include "prompt/ChatMessage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace anthology {

QByteArray ChatMessage::toJson(const QList<ChatMessage> &messages)
{
    QJsonArray array;
    for (const ChatMessage &m : messages)
        array.append(QJsonObject{{u"role"_s, m.role}, {u"content"_s, m.content}});
    return QJsonDocument(array).toJson(QJsonDocument::Indented);
}

} // namespace anthology
