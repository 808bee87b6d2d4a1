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
    const auto escapeUnit = [this](char16_t u) {
        m_out.append("\\u").append(hex[(u >> 12) & 0xf]).append(hex[(u >> 8) & 0xf]).append(hex[(u >> 4) & 0xf]).append(hex[u & 0xf]);
    };
    m_out.append('"');
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t u = s[i].unicode();
        if (u < 0x80) {
            switch (u) {
            case '"': m_out.append("\\\""); break;
            case '\\': m_out.append("\\\\"); break;
            case '\b': m_out.append("\\b"); break;
            case '\f': m_out.append("\\f"); break;
            case '\n': m_out.append("\\n"); break;
            case '\r': m_out.append("\\r"); break;
            case '\t': m_out.append("\\t"); break;
            default:
                if (u < 0x20)
                    escapeUnit(u);
                else
                    m_out.append(char(u));
            }
        } else if (u < 0x800) {
            m_out.append(char(0xc0 | (u >> 6))).append(char(0x80 | (u & 0x3f)));
        } else if (QChar::isHighSurrogate(u) && i + 1 < s.size() && QChar::isLowSurrogate(s[i + 1].unicode())) {
            const char32_t c = QChar::surrogateToUcs4(u, s[++i].unicode());
            m_out.append(char(0xf0 | (c >> 18)))
                .append(char(0x80 | ((c >> 12) & 0x3f)))
                .append(char(0x80 | ((c >> 6) & 0x3f)))
                .append(char(0x80 | (c & 0x3f)));
        } else if (QChar::isSurrogate(u)) {
            escapeUnit(u); // unpaired: Qt writes the code unit escaped
        } else {
            m_out.append(char(0xe0 | (u >> 12))).append(char(0x80 | ((u >> 6) & 0x3f))).append(char(0x80 | (u & 0x3f)));
        }
    }
    m_out.append('"');
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
