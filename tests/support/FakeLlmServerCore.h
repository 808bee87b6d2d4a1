#pragma once

#include "FakeLlmServer.h"

#include "util/SeededRandom.h"

#include <QHash>
#include <QObject>

class QTcpServer;
class QTcpSocket;

namespace anthology::test {

// The part of FakeLlmServer that lives on the server thread: sockets, parsing, answers.
class FakeLlmServerCore : public QObject
{
    Q_OBJECT

public:
    explicit FakeLlmServerCore(FakeLlmServer *owner);

    quint16 listen(const QHostAddress &address, quint16 port);
    void shutdown();
    // Answers the requests held at the completion gate that it now lets through.
    void releaseHeld();

private:
    struct Connection
    {
        QByteArray buffer;
        bool busy = false;
        bool close = false;
        bool completion = false; // the exchange in progress is a completion request
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void handle(QTcpSocket *socket, FakeRequest request);
    void answer(QTcpSocket *socket, FakeRequest request);
    void dropHeld(QTcpSocket *socket);
    void respond(QTcpSocket *socket, const FakeRequest &request, const FakeLlmServerConfig &config,
                 FakeFault fault);
    void write(QTcpSocket *socket, int status, const QByteArray &contentType, const QByteArray &body,
               const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {});
    void finishExchange(QTcpSocket *socket);
    QByteArray completionBody(const FakeRequest &request, const FakeLlmServerConfig &config, bool chat) const;

    FakeLlmServer *m_owner;
    QTcpServer *m_server = nullptr;
    QHash<QTcpSocket *, Connection> m_connections;
    QHash<QByteArray, int> m_attempts;
    QList<QPair<QTcpSocket *, FakeRequest>> m_held; // at the completion gate, in arrival order
    quint64 m_sequence = 0;
    SeededRandom m_random{1};
};

} // namespace anthology::test
