#include "util/CompactJsonWriter.h"

#include <QLocale>

#include <cmath>

namespace anthology {

void CompactJsonWriter::separate()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_first)
        m_out.append(',');
    m_first = false;
}

CompactJsonWriter &CompactJsonWriter::beginObject()
{
    separate();
    m_out.append('{');
    m_first = true;
    return *this;
}

CompactJsonWriter &CompactJsonWriter::endObject()
{
    m_out.append('}');
    m_first = false;
    return *this;
}

CompactJsonWriter &CompactJsonWriter::beginArray()
{
    separate();
    m_out.append('[');
    m_first = true;
    return *this;
}

CompactJsonWriter &CompactJsonWriter::endArray()
{
    m_out.append(']');
    m_first = false;
    return *this;
}

CompactJsonWriter &CompactJsonWriter::key(const char *latin1Key)
{
    separate();
    m_out.append('"').append(latin1Key).append("\":");
    m_afterKey = true;
    return *this;
}

CompactJsonWriter &CompactJsonWriter::string(QStringView s)
{
    separate();
    static const char hex[] = "0123456789abcdef";
    // Written straight into the buffer (a run writes a prompt and a response per item): room for
    // plain ASCII and a few escapes up front, more when an escape or a multi-byte character needs it.
    qsizetype at = m_out.size();
    m_out.resize(at + s.size() + 2 + 16);
    char *out = m_out.data() + at;
    char *end = m_out.data() + m_out.size();
    // Keeps room for `bytes` now, one byte for each unit after this one and the closing quote.
    const auto room = [&](qsizetype bytes, qsizetype unitsLeft) {
        if (end - out >= bytes + unitsLeft + 1)
            return;
        at = out - m_out.data();
        m_out.resize(at + bytes + unitsLeft + 1 + 16 + unitsLeft / 8);
        out = m_out.data() + at;
        end = m_out.data() + m_out.size();
    };
    const auto escapeUnit = [&](char16_t u) {
        *out++ = '\\';
        *out++ = 'u';
        *out++ = hex[(u >> 12) & 0xf];
        *out++ = hex[(u >> 8) & 0xf];
        *out++ = hex[(u >> 4) & 0xf];
        *out++ = hex[u & 0xf];
    };
    *out++ = '"';
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t u = s[i].unicode();
        if (u >= 0x20 && u < 0x80 && u != '"' && u != '\\') {
            *out++ = char(u); // the initial room holds one byte per unit
            continue;
        }
        room(6, s.size() - i - 1);
        if (u < 0x80) {
            switch (u) {
            case '"': *out++ = '\\'; *out++ = '"'; break;
            case '\\': *out++ = '\\'; *out++ = '\\'; break;
            case '\b': *out++ = '\\'; *out++ = 'b'; break;
            case '\f': *out++ = '\\'; *out++ = 'f'; break;
            case '\n': *out++ = '\\'; *out++ = 'n'; break;
            case '\r': *out++ = '\\'; *out++ = 'r'; break;
            case '\t': *out++ = '\\'; *out++ = 't'; break;
            default: escapeUnit(u); // other controls
            }
        } else if (u < 0x800) {
            *out++ = char(0xc0 | (u >> 6));
            *out++ = char(0x80 | (u & 0x3f));
        } else if (QChar::isHighSurrogate(u) && i + 1 < s.size() && QChar::isLowSurrogate(s[i + 1].unicode())) {
            const char32_t c = QChar::surrogateToUcs4(u, s[++i].unicode());
            *out++ = char(0xf0 | (c >> 18));
            *out++ = char(0x80 | ((c >> 12) & 0x3f));
            *out++ = char(0x80 | ((c >> 6) & 0x3f));
            *out++ = char(0x80 | (c & 0x3f));
        } else if (QChar::isSurrogate(u)) {
            escapeUnit(u); // unpaired: Qt writes the code unit escaped
        } else {
            *out++ = char(0xe0 | (u >> 12));
            *out++ = char(0x80 | ((u >> 6) & 0x3f));
            *out++ = char(0x80 | (u & 0x3f));
        }
    }
    *out++ = '"';
    m_out.truncate(out - m_out.constData());
    return *this;
}

CompactJsonWriter &CompactJsonWriter::integer(qint64 v)
{
    separate();
    m_out.append(QByteArray::number(v));
    return *this;
}

CompactJsonWriter &CompactJsonWriter::number(double v)
{
    if (!std::isfinite(v))
        return null();
    separate();
    constexpr double exactIntegers = 9007199254740992.0; // 2^53
    if (v == std::trunc(v) && std::abs(v) <= exactIntegers)
        m_out.append(QByteArray::number(qint64(v)));
    else
        m_out.append(QByteArray::number(v, 'g', QLocale::FloatingPointShortest));
    return *this;
}

CompactJsonWriter &CompactJsonWriter::boolean(bool v)
{
    separate();
    m_out.append(v ? "true" : "false");
    return *this;
}

CompactJsonWriter &CompactJsonWriter::null()
{
    separate();
    m_out.append("null");
    return *this;
}

} // namespace anthology
