#pragma once

#include "FakeLlmServer.h"

#include "util/SeededRandom.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <vector>

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
    // Leaves `mib` MiB of touched memory in this thread's heap (FakeLlmServerConfig::warmHeapMiB).
    static void warmHeap(int mib);
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
    void handle(QTcpSocket *socket, FakeRequest request, qint64 arrivedNs);
    void answer(QTcpSocket *socket, FakeRequest request, qint64 arrivedNs);
    void answerStats(QTcpSocket *socket);
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
    // How late each answer left (written - arrival - its latency), in microseconds, since the last
    // GET /stats: the yardstick's own share of any shortfall a client measures against it.
    QElapsedTimer m_clock;
    std::vector<qint32> m_lateUs;
    // How long each request waited in the kernel before the server read it (readLagMs()), likewise.
    std::vector<qint32> m_readLagMs;
};

} // namespace anthology::test
