#pragma once

#include <QHostAddress>
#include <QTcpServer>

namespace anthology::test {

// A loopback port nothing listens on (an endpoint that refuses every connection); 0 when none
// could be found.
inline quint16 closedLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

} // namespace anthology::test
