#include "backstories/TextPosition.h"

#include <QFile>

#include <cstring>

namespace anthology {

namespace {

bool isContinuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

} // namespace

TextPosition TextPosition::inBytes(QByteArrayView bytes, qint64 offset)
{
    TextPosition pos;
    const qint64 end = std::min<qint64>(offset, bytes.size());
    for (qint64 i = 0; i < end; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c == '\n') {
            ++pos.line;
            pos.column = 1;
        } else if (!isContinuation(c)) {
            ++pos.column;
        }
    }
    return pos;
}

TextPosition TextPosition::inFile(const QString &path, qint64 offset)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    TextPosition pos;
    qint64 done = 0;
    while (done < offset) {
        const QByteArray block = file.read(std::min<qint64>(offset - done, 1 << 20));
        if (block.isEmpty())
            break;
        const TextPosition part = inBytes(block, block.size());
        if (part.line > 1) {
            pos.line += part.line - 1;
            pos.column = part.column;
        } else {
            pos.column += part.column - 1;
        }
        done += block.size();
    }
    return pos;
}

qsizetype firstInvalidUtf8(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        // Plain ASCII without NUL, eight bytes at a time: most backstory text is this.
        while (i + 8 <= n) {
            quint64 word;
            std::memcpy(&word, p + i, 8);
            const bool ascii = (word & 0x8080808080808080ull) == 0;
            const bool hasZero = ((word - 0x0101010101010101ull) & ~word & 0x8080808080808080ull) != 0;
            if (!ascii || hasZero)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        const unsigned char c = p[i];
        if (c < 0x80) {
            if (c == 0)
                return i;
            ++i;
            continue;
        }
        int extra;
        unsigned min;
        unsigned cp;
        if ((c & 0xE0) == 0xC0) {
            extra = 1, min = 0x80, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2, min = 0x800, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3, min = 0x10000, cp = c & 0x07;
        } else {
            return i;
        }
        if (i + extra >= n)
            return i;
        for (int k = 1; k <= extra; ++k) {
            if (!isContinuation(p[i + k]))
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += extra + 1;
    }
    return -1;
}

} // namespace anthology
