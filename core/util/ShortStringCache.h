#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <array>

namespace anthology {

// Decodes short UTF-8 strings that keep coming back (the tokens and alternatives of a run's
// logprobs, finish reasons, model names) into shared QStrings: a repeat costs a hash and a
// compare instead of an allocation, a decode and, later, a free. The result is always
// QString::fromUtf8 of the bytes. A fixed table where a newcomer replaces whatever held its slot,
// so memory stays bounded however many distinct strings pass. Not thread-safe: one per thread.
class ShortStringCache
{
public:
    static constexpr qsizetype kMaxBytes = 32; // longer strings are decoded, never kept

    QString fromUtf8(QByteArrayView utf8);

private:
    struct Slot
    {
        QByteArray utf8;
        QString text;
    };
    std::array<Slot, 512> m_slots;
};

} // namespace anthology
