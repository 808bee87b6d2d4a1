#pragma once

#include <QHostAddress>
#include <QTcpSocket>

namespace anthology::test {

// A loopback port nothing listens on (an endpoint that refuses every connection) for as long as
// this object lives; port() is 0 when none could be had. The port stays bound without a listener:
// a port merely found free could be taken by a server of a test running beside this one (ctest
// -j), and a connection meant to be refused would then be answered, or not at all.
class ClosedLoopbackPort
{
public:
    ClosedLoopbackPort()
    {
        if (!m_holder.bind(QHostAddress::LocalHost, 0, QAbstractSocket::DontShareAddress))
            return;
        m_port = m_holder.localPort();
    }
    Q_DISABLE_COPY_MOVE(ClosedLoopbackPort)

    quint16 port() const { return m_port; }

private:
    QTcpSocket m_holder;
    quint16 m_port = 0;
};

} // namespace anthology::test
