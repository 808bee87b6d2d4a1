#pragma once

#include <QTcpServer>
#include <QTcpSocket>

#include <functional>
#include <memory>

namespace anthology::test {

using namespace Qt::StringLiterals;

// What the scripted server does with one request.
struct RawAnswer
{
    QList<QByteArray> pieces; // written one after another, each flushed
    enum class Then { KeepOpen, Close, Reset, Stall } then = Then::KeepOpen;
};

// A loopback server speaking raw bytes, so every framing case can be produced exactly. It reads a
// request head (and its Content-Length body) and answers with the script's bytes.
class RawServer : public QObject
{
public:
    using Script = std::function<RawAnswer(int connection, int requestOnConnection, const QByteArray &head)>;

    explicit RawServer(Script script) : m_script(std::move(script))
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                const int index = m_connections++;
                auto buffer = std::make_shared<QByteArray>();
                auto served = std::make_shared<int>(0);
                connect(s, &QTcpSocket::readyRead, this, [this, s, index, buffer, served] {
                    *buffer += s->readAll();
                    for (;;) {
                        const qsizetype end = buffer->indexOf("\r\n\r\n");
                        if (end < 0)
                            return;
                        const QByteArray head = buffer->left(end);
                        qsizetype length = 0;
                        for (const QByteArray &line : head.split('\n')) {
                            if (line.toLower().startsWith("content-length:"))
                                length = line.mid(15).trimmed().toLongLong();
                        }
                        if (buffer->size() < end + 4 + length)
                            return;
                        buffer->remove(0, end + 4 + length);
                        heads.append(head);
                        const RawAnswer answer = m_script(index, (*served)++, head);
                        for (const QByteArray &piece : answer.pieces) {
                            s->write(piece);
                            s->flush();
                        }
                        if (answer.then == RawAnswer::Then::Close) {
                            s->disconnectFromHost();
                            return;
                        }
                        if (answer.then == RawAnswer::Then::Reset) {
                            s->abort();
                            return;
                        }
                    }
                });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }

    QUrl url(const QString &path = u"/v1/completions"_s) const
    {
        return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server.serverPort()).arg(path));
    }
    int connections() const { return m_connections; }
    void close() { m_server.close(); }

    QList<QByteArray> heads;

private:
    QTcpServer m_server;
    Script m_script;
    int m_connections = 0;
};

} // namespace anthology::test
