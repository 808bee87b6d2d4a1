#include "llm/HttpConnection.h"

#include "llm/SocketBytes.h"

#include <QHostAddress>
#include <QNetworkProxy>
#include <QTcpSocket>
#include <QTimer>

#include <climits>
#include <cstring>

#ifdef Q_OS_UNIX
#include <sys/socket.h>

#include <cerrno>
#endif
#ifdef Q_OS_LINUX
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <poll.h>
#include <unistd.h>
#endif

namespace anthology {

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kMaxHeadBytes = 64 * 1024;

bool equalsLower(QByteArrayView name, QByteArrayView lower)
{
    return name.size() == lower.size() &&
           qstrnicmp(name.data(), name.size(), lower.data(), lower.size()) == 0;
}

} // namespace

HttpConnection::HttpConnection(QString host, quint16 port, Done done, QObject *parent)
    : QObject(parent), m_host(std::move(host)), m_port(port), m_done(std::move(done))
{
    m_hostHeader =
        (m_host.contains(u':') ? u'[' + m_host + u']' : m_host).toUtf8() + ':' + QByteArray::number(m_port);
    if (const QHostAddress address(m_host); address.isLoopback())
        m_loopback = address;
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &HttpConnection::onTimer);
    m_clock.start();
}

HttpConnection::~HttpConnection()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void HttpConnection::openSocket()
{
    m_socket = new QTcpSocket(this);
    // Direct: LlmClient sends through these connections only where it would use no proxy, and
    // asking Qt's proxy factory would cost every new connection a lookup under its global lock.
    m_socket->setProxy(QNetworkProxy::NoProxy);
    m_socketExchanges = 0;
    m_connected = false;
    connect(m_socket, &QTcpSocket::connected, this, [this] {
        m_connected = true;
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        // The request held while connecting leaves now, not on the next pass of the event loop
        // (at the start of a run that is every connection's first request).
        if (!m_unsent.isEmpty())
            writeDirect(std::exchange(m_unsent, {}));
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::onSocketClosed);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &HttpConnection::onSocketClosed);
    if (const qintptr fd = connectAtOnce(); fd >= 0) {
        if (m_socket->setSocketDescriptor(fd)) {
            m_connected = true;
            return;
        }
#ifdef Q_OS_LINUX
        ::close(int(fd));
#endif
    }
    m_socket->connectToHost(m_host, m_port);
}

// A server on this machine has taken a connection by the time connect() returns (the handshake
// runs within the call), so the socket can be connected here and handed to Qt as connected: Qt's
// own connect costs a new socket another pass of the event loop, a connect timer, two notifier
// toggles and a second connect() to learn the outcome, most of what opening one costs the worker
// when a run starts a thousand at once. Anything but a connection standing at once (refused,
// a full backlog, another host) goes Qt's way, which reports it as before. -1: not done here.
qintptr HttpConnection::connectAtOnce() const
{
#ifdef Q_OS_LINUX
    if (m_loopback.isNull())
        return -1;
    sockaddr_storage address{};
    socklen_t length = 0;
    if (m_loopback.protocol() == QAbstractSocket::IPv4Protocol) {
        auto *v4 = reinterpret_cast<sockaddr_in *>(&address);
        v4->sin_family = AF_INET;
        v4->sin_port = htons(m_port);
        v4->sin_addr.s_addr = htonl(m_loopback.toIPv4Address());
        length = sizeof(sockaddr_in);
    } else {
        auto *v6 = reinterpret_cast<sockaddr_in6 *>(&address);
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(m_port);
        const Q_IPV6ADDR bytes = m_loopback.toIPv6Address();
        std::memcpy(&v6->sin6_addr, &bytes, sizeof(bytes));
        length = sizeof(sockaddr_in6);
    }
    const int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0)
        return -1;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    int error = 0;
    socklen_t errorLength = sizeof(error);
    pollfd writable{fd, POLLOUT, 0};
    if ((::connect(fd, reinterpret_cast<const sockaddr *>(&address), length) == 0 || errno == EINPROGRESS) &&
        ::poll(&writable, 1, 0) == 1 && (writable.revents & POLLOUT) &&
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &errorLength) == 0 && error == 0)
        return fd;
    ::close(fd);
#endif
    return -1;
}

void HttpConnection::closeSocket()
{
    if (!m_socket)
        return;
    m_unsent.clear();
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

void HttpConnection::send(HttpExchange exchange)
{
    Q_ASSERT(!m_busy);
    m_exchange = std::move(exchange);
    m_busy = true;
    m_resent = false;
    resetParser();
    m_in.clear();
    if (m_socket && m_socket->state() != QAbstractSocket::ConnectedState &&
        m_socket->state() != QAbstractSocket::ConnectingState &&
        m_socket->state() != QAbstractSocket::HostLookupState)
        closeSocket();
    if (!m_socket)
        openSocket();
    const qint64 now = m_clock.elapsed();
    m_deadlineMs = now + qMax(1, m_exchange.timeoutMs);
    m_stallDeadlineMs = now + qMax(1, m_exchange.stallTimeoutMs);
    arm(qMin(m_deadlineMs, m_stallDeadlineMs));
    writeRequest();
}

void HttpConnection::writeRequest()
{
    const QUrl &url = m_exchange.url;
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    const bool post = !m_exchange.body.isEmpty();
    QByteArray head;
    head.reserve(256 + m_exchange.body.size());
    head += post ? "POST " : "GET ";
    head += target;
    head += " HTTP/1.1\r\nHost: ";
    head += m_hostHeader;
    head += "\r\nAccept: application/json\r\nUser-Agent: AnthologyWorkbench/" ANTHOLOGY_VERSION "\r\n";
    if (!m_exchange.apiKey.isEmpty())
        head += "Authorization: Bearer " + m_exchange.apiKey + "\r\n";
    if (post) {
        head += "Content-Type: application/json\r\nContent-Length: ";
        head += QByteArray::number(m_exchange.body.size());
        head += "\r\n";
    }
    head += "\r\n";
    head += m_exchange.body;
    writeDirect(std::move(head));
}

// A request goes to the kernel at once where it can (sendDirect). A request made before the
// connection stands waits here for it: in Qt's buffer it would cost each new socket a 32 KiB
// buffer block (fresh memory, page faults: at the start of a run, a good part of opening a
// connection) and two notifier toggles.
void HttpConnection::writeDirect(QByteArray bytes)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        m_unsent = std::move(bytes);
        return;
    }
    const qsizetype sent = sendDirect(m_socket, bytes);
    if (sent < bytes.size())
        m_socket->write(bytes.constData() + sent, bytes.size() - sent);
}

void HttpConnection::abandon()
{
    if (!m_busy)
        return;
    m_busy = false;
    m_exchange = {};
    closeSocket();
}

void HttpConnection::resetParser()
{
    m_stage = Stage::Head;
    m_pos = 0;
    m_contentLength = -1;
    m_chunkLeft = 0;
    m_closeAfter = false;
    m_gotBytes = false;
    m_body.clear();
}

void HttpConnection::onReadyRead()
{
    if (!m_socket)
        return;
    if (!m_busy) {
        // Nothing was asked: a server talking out of turn cannot be trusted with the next request.
        closeSocket();
        return;
    }
    appendAvailable(m_socket, m_in);
    m_gotBytes = true;
    m_stallDeadlineMs = m_clock.elapsed() + qMax(1, m_exchange.stallTimeoutMs);
    if (parse())
        complete();
}

bool HttpConnection::parseHead(qsizetype end)
{
    const QByteArrayView head(m_in.constData() + m_pos, end - m_pos);
    m_pos = end + 4;
    qsizetype lineEnd = head.indexOf('\n');
    const QByteArrayView status = head.first(lineEnd < 0 ? head.size() : lineEnd).trimmed();
    if (!status.startsWith("HTTP/1.") || status.size() < 12) {
        fail(u"%1 did not answer in HTTP/1.x"_s.arg(QString::fromUtf8(m_hostHeader)));
        return false;
    }
    bool ok = false;
    const int code = status.sliced(9, 3).toInt(&ok);
    if (!ok || code < 100) {
        fail(u"%1 sent an unreadable HTTP status line"_s.arg(QString::fromUtf8(m_hostHeader)));
        return false;
    }
    const bool http10 = status.at(7) == '0';
    bool keepAlive = false;
    bool chunked = false;
    if (code >= 100 && code < 200) {
        return true; // interim answer (100 Continue): the real head follows
    }
    m_exchange.httpStatus = code;
    while (lineEnd >= 0 && lineEnd + 1 < head.size()) {
        const qsizetype start = lineEnd + 1;
        lineEnd = head.indexOf('\n', start);
        const QByteArrayView line = head.sliced(start, (lineEnd < 0 ? head.size() : lineEnd) - start);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArrayView name = line.first(colon).trimmed();
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (equalsLower(name, "content-length")) {
            m_contentLength = value.toLongLong(&ok);
            if (!ok || m_contentLength < 0) {
                fail(u"%1 sent an unreadable Content-Length"_s.arg(QString::fromUtf8(m_hostHeader)));
                return false;
            }
        } else if (equalsLower(name, "transfer-encoding")) {
            chunked = value.toByteArray().toLower().contains("chunked");
        } else if (equalsLower(name, "connection")) {
            const QByteArray v = value.toByteArray().toLower();
            m_closeAfter = m_closeAfter || v.contains("close");
            keepAlive = v.contains("keep-alive");
        } else if (equalsLower(name, "content-type")) {
            m_exchange.contentType = value.toByteArray();
        } else if (equalsLower(name, "retry-after")) {
            m_exchange.retryAfter = value.toByteArray();
        } else if (name.size() > 12 && (name.at(0) == 'x' || name.at(0) == 'X')) {
            m_exchange.rateLimits.read(name.toByteArray().toLower(), value.toByteArray());
        }
    }
    if (http10 && !keepAlive)
        m_closeAfter = true;
    const bool noBody = code == 204 || code == 304;
    if (noBody)
        m_stage = Stage::Complete;
    else if (chunked)
        m_stage = Stage::ChunkSize;
    else if (m_contentLength >= 0)
        m_stage = Stage::Body;
    else {
        m_stage = Stage::UntilClose;
        m_closeAfter = true;
    }
    return true;
}

bool HttpConnection::parse()
{
    for (;;) {
        switch (m_stage) {
        case Stage::Head: {
            const qsizetype end = m_in.indexOf("\r\n\r\n", m_pos);
            if (end < 0) {
                if (m_in.size() - m_pos > kMaxHeadBytes)
                    fail(u"%1 sent response headers over %2 bytes"_s.arg(QString::fromUtf8(m_hostHeader))
                             .arg(kMaxHeadBytes));
                return false;
            }
            if (!parseHead(end))
                return false;
            break;
        }
        case Stage::Body:
            if (m_in.size() - m_pos < m_contentLength)
                return false;
            m_body = m_pos == 0 && m_in.size() == m_contentLength ? m_in : m_in.mid(m_pos, m_contentLength);
            m_pos += m_contentLength;
            m_stage = Stage::Complete;
            break;
        case Stage::ChunkSize: {
            const qsizetype end = m_in.indexOf("\r\n", m_pos);
            if (end < 0)
                return false;
            QByteArrayView line(m_in.constData() + m_pos, end - m_pos);
            if (const qsizetype semi = line.indexOf(';'); semi >= 0)
                line = line.first(semi);
            bool ok = false;
            m_chunkLeft = line.trimmed().toLongLong(&ok, 16);
            if (!ok || m_chunkLeft < 0) {
                fail(u"%1 sent an unreadable chunk size"_s.arg(QString::fromUtf8(m_hostHeader)));
                return false;
            }
            m_pos = end + 2;
            m_stage = m_chunkLeft == 0 ? Stage::ChunkTrailer : Stage::ChunkData;
            break;
        }
        case Stage::ChunkData:
            if (m_in.size() - m_pos < m_chunkLeft + 2)
                return false;
            m_body.append(m_in.constData() + m_pos, m_chunkLeft);
            m_pos += m_chunkLeft + 2;
            m_stage = Stage::ChunkSize;
            break;
        case Stage::ChunkTrailer: {
            const qsizetype end = m_in.indexOf("\r\n", m_pos);
            if (end < 0)
                return false;
            const bool last = end == m_pos;
            m_pos = end + 2;
            if (last)
                m_stage = Stage::Complete;
            break;
        }
        case Stage::UntilClose:
            return false;
        case Stage::Complete:
            return true;
        }
        if (!m_busy)
            return false; // failed inside a step
    }
}

void HttpConnection::complete()
{
    HttpExchange out = std::move(m_exchange);
    out.responseBody = std::move(m_body);
    m_exchange = {};
    m_busy = false;
    ++m_socketExchanges;
    // Bytes past the answer were never asked for; the socket cannot be trusted with the next one.
    if (m_closeAfter || m_pos != m_in.size())
        closeSocket();
    m_in.clear();
    resetParser();
    m_done(this, std::move(out));
}

void HttpConnection::fail(const QString &message)
{
    const bool reached = m_connected || m_gotBytes;
    closeSocket();
    HttpExchange out = std::move(m_exchange);
    m_exchange = {};
    m_busy = false;
    m_in.clear();
    resetParser();
    out.transportFailed = true;
    out.transportError = message;
    out.connectFailed = !reached;
    m_done(this, std::move(out));
}

void HttpConnection::onSocketClosed()
{
    if (!m_socket)
        return;
    if (!m_busy) {
        closeSocket(); // the server ended an idle keep-alive connection; the next send reconnects
        return;
    }
    if (m_socket->bytesAvailable() > 0 && m_stage != Stage::UntilClose) {
        m_in += m_socket->readAll();
        m_gotBytes = true;
        if (parse()) {
            complete();
            return;
        }
        if (!m_busy || !m_socket)
            return;
    }
    if (m_stage == Stage::UntilClose) {
        m_in += m_socket->readAll();
        m_body = m_in.mid(m_pos);
        m_pos = m_in.size();
        closeSocket();
        complete();
        return;
    }
    const bool reused = m_socketExchanges > 0;
    if (reused && !m_gotBytes && !m_resent) {
        // A keep-alive connection the server had already closed: say it again on a new one.
        m_resent = true;
        closeSocket();
        openSocket();
        writeRequest();
        return;
    }
    const QAbstractSocket::SocketError error = m_socket->error();
    QString message;
    if (m_gotBytes || error == QAbstractSocket::RemoteHostClosedError)
        message =
            u"connection to %1 closed before the answer was complete"_s.arg(QString::fromUtf8(m_hostHeader));
    else
        message = u"%1: %2"_s.arg(QString::fromUtf8(m_hostHeader), m_socket->errorString());
    fail(message);
}

// One timer watches both deadlines (a second one per connection cost opening one as much again).
// It is armed for the earliest deadline it may have to catch and left running between exchanges
// (five timer registrations per exchange cost the worker more than its parsing); when it fires it
// checks the current exchange's deadlines and sleeps on until the earlier one if both lie ahead.
void HttpConnection::arm(qint64 deadlineMs)
{
    if (m_timer->isActive() && m_timerExpiresMs <= deadlineMs)
        return;
    const qint64 now = m_clock.elapsed();
    m_timer->start(int(qBound(qint64(1), deadlineMs - now, qint64(INT_MAX))));
    m_timerExpiresMs = deadlineMs;
}

void HttpConnection::onTimer()
{
    if (!m_busy)
        return;
    const qint64 due = qMin(m_deadlineMs, m_stallDeadlineMs);
    if (m_clock.elapsed() < due) {
        arm(due);
        return;
    }
    m_exchange.timedOut = true;
    const QString host = QString::fromUtf8(m_hostHeader);
    if (m_stallDeadlineMs < m_deadlineMs) {
        fail(m_connected ? u"%1 sent nothing for %2 ms"_s.arg(host).arg(m_exchange.stallTimeoutMs)
                         : u"no connection to %1 within %2 ms"_s.arg(host).arg(m_exchange.stallTimeoutMs));
        return;
    }
    fail(m_connected ? u"no complete answer within %1 ms"_s.arg(m_exchange.timeoutMs)
                     : u"no connection to %1 within %2 ms"_s.arg(host).arg(m_exchange.timeoutMs));
}

} // namespace anthology
