#pragma once

#include <QByteArray>
#include <QByteArrayView>

class QTcpSocket;

namespace anthology {

// Hands `bytes` to the kernel at once when `socket` is connected and Qt holds nothing queued for
// it; returns how many the kernel took (0 elsewhere than Unix, or when it takes none). The caller
// writes the rest through Qt's buffer, which also reports any error. Through QTcpSocket alone the
// bytes would wait for a write notifier (one more pass of the event loop, two notifier toggles)
// and a connection's first write would cost a fresh 32 KiB buffer block.
qsizetype sendDirect(QTcpSocket *socket, QByteArrayView bytes);

// Appends exactly the bytes `socket` has read to `buffer`: readAll() would size its result for a
// whole 16 KiB read block first, fresh memory for each of a thousand connections opening at once.
void appendAvailable(QTcpSocket *socket, QByteArray &buffer);

} // namespace anthology
