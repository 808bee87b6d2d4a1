#pragma once

#include "llm/HttpExchange.h"

#include <QHash>
#include <QObject>

#include <functional>

namespace anthology {

class HttpConnection;

// Keep-alive connections per host:port on one thread: an exchange takes an idle connection or
// opens a new one, so there are as many connections to a host as exchanges in flight to it
// (no six-per-host cap). Connections are kept for reuse; a closed one reconnects on its next use.
class HttpConnectionPool : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(HttpExchange &&)>;

    explicit HttpConnectionPool(Done done, QObject *parent = nullptr);
    ~HttpConnectionPool() override;

    void send(HttpExchange exchange); // url must be http://
    void abort(quint64 id);           // the exchange is dropped without a report
    int connectionCount() const;
    int busyCount() const { return int(m_busy.size()); }

private:
    void onDone(HttpConnection *connection, HttpExchange &&exchange);

    Done m_done;
    QHash<QString, QList<HttpConnection *>> m_idle; // by host:port, most recently used last
    QHash<quint64, HttpConnection *> m_busy;        // by exchange id
    QHash<HttpConnection *, QString> m_keyOf;
};

} // namespace anthology
