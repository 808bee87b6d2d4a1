#pragma once

#include <QHash>
#include <QObject>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

namespace anthology {

// A loopback HTTP server that speaks the OpenAI-compatible completions and chat completions
// protocol with DemoModel's answers, so the example project's study goes through the real run
// engine (client, retries, parsing, commits) without a language model. It listens on
// 127.0.0.1 only, on a free port, in the thread that created it; that thread must run an event
// loop while a run is driven.
class DemoLlmServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoLlmServer)

public:
    explicit DemoLlmServer(QObject *parent = nullptr);
    ~DemoLlmServer() override;

    bool listen();
    QUrl baseUrl() const; // http://127.0.0.1:<port>/v1
    int requestCount() const { return m_requests; }

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    QByteArray respond(const QByteArray &method, const QByteArray &path, const QByteArray &body, int &status);

    QTcpServer *m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    int m_requests = 0;
};

} // namespace anthology
