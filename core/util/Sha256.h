#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <initializer_list>

namespace anthology {

// SHA-256 of the concatenated parts as lower-case hex, the bytes
// QCryptographicHash::hash(..., Sha256).toHex() gives. On x86-64 processors with the SHA
// extensions (most since 2017) the compression runs on those instructions, several times faster
// than Qt's portable code; a run computes one per answer (its request cache key).
class Sha256
{
public:
    static QByteArray hex(std::initializer_list<QByteArrayView> parts);
    static bool hardwareAccelerated();
};

} // namespace anthology
