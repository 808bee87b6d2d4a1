#include "llm/SocketBytes.h"

#include <QTcpSocket>

#ifdef Q_OS_UNIX
#include <sys/socket.h>

#include <cerrno>
#endif

namespace anthology {

qsizetype sendDirect(QTcpSocket *socket, QByteArrayView bytes)
{
    qsizetype sent = 0;
#ifdef Q_OS_UNIX
    if (socket->state() != QAbstractSocket::ConnectedState || socket->bytesToWrite() != 0)
        return 0;
    const qintptr fd = socket->socketDescriptor();
    while (fd >= 0 && sent < bytes.size()) {
        const ssize_t n = ::send(int(fd), bytes.data() + sent, size_t(bytes.size() - sent), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; // full or failing
        sent += n;
    }
#else
    Q_UNUSED(socket);
    Q_UNUSED(bytes);
#endif
    return sent;
}

void appendAvailable(QTcpSocket *socket, QByteArray &buffer)
{
    const qint64 available = socket->bytesAvailable();
    if (available <= 0)
        return;
    const qsizetype old = buffer.size();
    buffer.resize(old + qsizetype(available));
    const qint64 got = socket->read(buffer.data() + old, available);
    buffer.resize(old + qsizetype(qMax<qint64>(0, got)));
}

} // namespace anthology
