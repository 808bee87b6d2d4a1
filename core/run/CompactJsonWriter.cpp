#include "run/CompactJsonWriter.h"

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
    if (!s.isValidUtf16())
        m_failed = true;
    static const char hex[] = "0123456789abcdef";
    m_out.append('"');
    const QByteArray utf8 = s.toUtf8();
    qsizetype plainFrom = 0;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto c = uchar(utf8[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        m_out.append(utf8.constData() + plainFrom, i - plainFrom);
        plainFrom = i + 1;
        switch (c) {
        case '"': m_out.append("\\\""); break;
        case '\\': m_out.append("\\\\"); break;
        case '\b': m_out.append("\\b"); break;
        case '\f': m_out.append("\\f"); break;
        case '\n': m_out.append("\\n"); break;
        case '\r': m_out.append("\\r"); break;
        case '\t': m_out.append("\\t"); break;
        default:
            m_out.append("\\u00").append(hex[c >> 4]).append(hex[c & 0xf]);
        }
    }
    m_out.append(utf8.constData() + plainFrom, utf8.size() - plainFrom);
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
