#pragma once

#include <QByteArrayView>

class QTcpSocket;

namespace anthology {

// Hands `bytes` to the kernel at once when `socket` is connected and Qt holds nothing queued for
// it; returns how many the kernel took (0 elsewhere than Unix, or when it takes none). The caller
// writes the rest through Qt's buffer, which also reports any error. Through QTcpSocket alone the
// bytes would wait for a write notifier (one more pass of the event loop, two notifier toggles)
// and a connection's first write would cost a fresh 32 KiB buffer block.
qsizetype sendDirect(QTcpSocket *socket, QByteArrayView bytes);

} // namespace anthology
