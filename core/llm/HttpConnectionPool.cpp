#include "llm/HttpConnectionPool.h"

#include "llm/HttpConnection.h"

namespace anthology {

using namespace Qt::StringLiterals;

HttpConnectionPool::HttpConnectionPool(Done done, QObject *parent) : QObject(parent), m_done(std::move(done))
{
}

HttpConnectionPool::~HttpConnectionPool() = default; // connections are children

int HttpConnectionPool::connectionCount() const
{
    return int(m_keyOf.size());
}

void HttpConnectionPool::send(HttpExchange exchange)
{
    const QUrl &url = exchange.url;
    const QString host = url.host();
    const quint16 port = quint16(url.port(80));
    const QString key = host + u':' + QString::number(port);
    HttpConnection *connection = nullptr;
    QList<HttpConnection *> &idle = m_idle[key];
    if (!idle.isEmpty()) {
        connection = idle.takeLast();
    } else {
        connection = new HttpConnection(
            host, port, [this](HttpConnection *c, HttpExchange &&ex) { onDone(c, std::move(ex)); }, this);
        m_keyOf.insert(connection, key);
    }
    m_busy.insert(exchange.id, connection);
    connection->send(std::move(exchange));
}

void HttpConnectionPool::abort(quint64 id)
{
    HttpConnection *connection = m_busy.take(id);
    if (!connection)
        return;
    connection->abandon();
    m_idle[m_keyOf.value(connection)].append(connection);
}

void HttpConnectionPool::onDone(HttpConnection *connection, HttpExchange &&exchange)
{
    m_busy.remove(exchange.id);
    m_idle[m_keyOf.value(connection)].append(connection);
    m_done(std::move(exchange));
}

} // namespace anthology
