#include "example/DemoLlmServer.h"

#include "example/DemoModel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

QByteArray errorBody(const QString &message)
{
    return QJsonDocument(QJsonObject{{u"error"_s, QJsonObject{{u"message"_s, message},
                                                              {u"type"_s, u"invalid_request_error"_s}}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

DemoLlmServer::DemoLlmServer(QObject *parent) : QObject(parent), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &DemoLlmServer::onNewConnection);
}

DemoLlmServer::~DemoLlmServer() = default;

bool DemoLlmServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

QUrl DemoLlmServer::baseUrl() const
{
    return QUrl(u"http://127.0.0.1:%1/v1"_s.arg(m_server->serverPort()));
}

void DemoLlmServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        m_buffers.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

// One request at a time per connection, answered at once; keep-alive unless asked to close.
void DemoLlmServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    for (;;) {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        qsizetype length = 0;
        bool close = false;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed().toLower();
            if (line.startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
            else if (line.startsWith("connection:"))
                close = line.mid(11).trimmed() == "close";
        }
        if (buffer.size() < headerEnd + 4 + length)
            return;
        const QByteArray body = buffer.mid(headerEnd + 4, length);
        buffer.remove(0, headerEnd + 4 + length);
        int status = 200;
        const QByteArray reply = respond(requestLine.value(0), requestLine.value(1), body, status);
        socket->write("HTTP/1.1 " + QByteArray::number(status) + (status == 200 ? " OK" : " Error") +
                      "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(reply.size()) +
                      "\r\n\r\n" + reply);
        if (close) {
            socket->disconnectFromHost();
            return;
        }
    }
}

QByteArray DemoLlmServer::respond(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                                  int &status)
{
    ++m_requests;
    if (method == "GET" && path.endsWith("/models")) {
        const QJsonObject model{{u"id"_s, DemoModel::modelName()}, {u"object"_s, u"model"_s},
                                {u"owned_by"_s, u"anthology-example"_s}};
        return QJsonDocument(QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, QJsonArray{model}}})
            .toJson(QJsonDocument::Compact);
    }
    const bool chat = path.endsWith("/chat/completions");
    if (method != "POST" || !(chat || path.endsWith("/completions"))) {
        status = 404;
        return errorBody(u"the demo server answers /v1/completions and /v1/chat/completions only"_s);
    }
    const QJsonObject request = QJsonDocument::fromJson(body).object();
    QString prompt;
    if (chat) {
        QStringList parts;
        for (const QJsonValue &m : request.value(u"messages"_s).toArray())
            parts.append(m.toObject().value(u"content"_s).toString());
        prompt = parts.join(u'\n');
    } else {
        prompt = request.value(u"prompt"_s).toString();
    }
    std::optional<qint64> seed;
    if (request.value(u"seed"_s).isDouble())
        seed = request.value(u"seed"_s).toInteger();
    const int n = qBound(1, request.value(u"n"_s).toInt(1), 128);
    QJsonArray choices;
    qint64 completionTokens = 0;
    for (int i = 0; i < n; ++i) {
        const QString text = DemoModel::answer(prompt, seed, i);
        completionTokens += text.count(u' ') + 1;
        QJsonObject choice{{u"index"_s, i}, {u"finish_reason"_s, u"stop"_s}};
        if (chat)
            choice.insert(u"message"_s, QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, text}});
        else
            choice.insert(u"text"_s, text);
        choices.append(choice);
    }
    const qint64 promptTokens = prompt.count(u' ') + 1;
    return QJsonDocument(QJsonObject{{u"id"_s, u"demo-%1"_s.arg(m_requests)},
                                     {u"object"_s, chat ? u"chat.completion"_s : u"text_completion"_s},
                                     {u"model"_s, DemoModel::modelName()},
                                     {u"choices"_s, choices},
                                     {u"usage"_s, QJsonObject{{u"prompt_tokens"_s, promptTokens},
                                                              {u"completion_tokens"_s, completionTokens},
                                                              {u"total_tokens"_s, promptTokens + completionTokens}}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace anthology
