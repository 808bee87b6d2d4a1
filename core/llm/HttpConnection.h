#pragma once

#include "llm/HttpExchange.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QObject>

#include <functional>

class QTcpSocket;
class QTimer;

namespace anthology {

// One keep-alive HTTP/1.1 connection to one host over plain TCP carrying one exchange at a time:
// Content-Length, chunked and read-until-close bodies, a per-exchange timeout, and a single
// transparent resend when a reused connection turns out to have been closed by the server before
// any byte of the answer came back. Lives on the thread that creates it; `done` is called on that
// thread once per exchange (never for an abandoned one).
class HttpConnection : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(HttpConnection *, HttpExchange &&)>;

    HttpConnection(QString host, quint16 port, Done done, QObject *parent = nullptr);
    ~HttpConnection() override;

    bool busy() const { return m_busy; }
    quint64 exchangeId() const { return m_exchange.id; }
    int exchangesOnSocket() const { return m_socketExchanges; }
    // Starts the exchange; the connection must not be busy.
    void send(HttpExchange exchange);
    // Drops the exchange in progress without reporting it and closes the socket.
    void abandon();

private:
    enum class Stage { Head, Body, ChunkSize, ChunkData, ChunkTrailer, UntilClose, Complete };

    void openSocket();
    qintptr connectAtOnce() const;
    void closeSocket();
    void writeRequest();
    void writeDirect(QByteArray bytes);
    void onReadyRead();
    void onSocketClosed();
    void arm(qint64 deadlineMs);
    void onTimer(); // a deadline of the exchange (whole answer or next byte) may have passed
    bool parse(); // true once the whole answer is in
    bool parseHead(qsizetype end);
    void complete();
    void fail(const QString &message);
    void resetParser();

    QString m_host;
    quint16 m_port;
    QByteArray m_hostHeader;
    QHostAddress m_loopback; // the host, when it is a loopback address (connectAtOnce())
    Done m_done;
    QTcpSocket *m_socket = nullptr;
    QTimer *m_timer = nullptr; // the exchange's deadlines, both
    QElapsedTimer m_clock;
    qint64 m_deadlineMs = 0;      // of the exchange in progress, on m_clock
    qint64 m_stallDeadlineMs = 0; // same, for the next byte (moves with every byte that comes)
    qint64 m_timerExpiresMs = 0;  // when m_timer fires, as armed
    bool m_connected = false;       // the current socket reached the server
    HttpExchange m_exchange;
    bool m_busy = false;
    bool m_resent = false;
    int m_socketExchanges = 0; // answered on the current socket

    Stage m_stage = Stage::Head;
    QByteArray m_unsent; // the request, until the socket's connection stands
    QByteArray m_in;
    qsizetype m_pos = 0;
    qint64 m_contentLength = -1;
    qint64 m_chunkLeft = 0;
    bool m_closeAfter = false;
    bool m_gotBytes = false;
    QByteArray m_body;
};

} // namespace anthology
