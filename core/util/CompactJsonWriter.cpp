#include "util/CompactJsonWriter.h"

#include <charconv>
#include <cmath>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace anthology {

namespace {

// Copies the run of plain ASCII units (no quote, backslash or control) from `i` on, eight at a
// time, one byte each; returns where the run stops (at most seven plain units before that are
// left to the caller). A prompt is nearly all such units, and a run writes two per item.
qsizetype copyPlainRun(const char16_t *units, qsizetype i, qsizetype size, char *&out)
{
#ifdef __SSE2__
    const __m128i space = _mm_set1_epi16(0x20);
    const __m128i del = _mm_set1_epi16(0x7f);
    const __m128i quote = _mm_set1_epi16('"');
    const __m128i backslash = _mm_set1_epi16('\\');
    while (i + 8 <= size) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(units + i));
        // Signed compares: units from 0x8000 up read as negative, hence below the space too.
        const __m128i outside = _mm_or_si128(_mm_cmplt_epi16(v, space), _mm_cmpgt_epi16(v, del));
        const __m128i special = _mm_or_si128(_mm_cmpeq_epi16(v, quote), _mm_cmpeq_epi16(v, backslash));
        if (_mm_movemask_epi8(_mm_or_si128(outside, special)) != 0)
            break;
        _mm_storel_epi64(reinterpret_cast<__m128i *>(out), _mm_packus_epi16(v, v));
        out += 8;
        i += 8;
    }
#else
    Q_UNUSED(units);
    Q_UNUSED(size);
    Q_UNUSED(out);
#endif
    return i;
}

} // namespace

void CompactJsonWriter::separate()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_first)
        *extend(1) = ',';
    m_first = false;
}

CompactJsonWriter &CompactJsonWriter::beginObject()
{
    separate();
    *extend(1) = '{';
    m_first = true;
    return *this;
}

CompactJsonWriter &CompactJsonWriter::endObject()
{
    *extend(1) = '}';
    m_first = false;
    return *this;
}

CompactJsonWriter &CompactJsonWriter::beginArray()
{
    separate();
    *extend(1) = '[';
    m_first = true;
    return *this;
}

CompactJsonWriter &CompactJsonWriter::endArray()
{
    *extend(1) = ']';
    m_first = false;
    return *this;
}

char *CompactJsonWriter::extend(qsizetype bytes)
{
    const qsizetype at = m_out.size();
    grow(at + bytes);
    return m_out.data() + at;
}

// Resizes to `size`, doubling the capacity when it runs out (QByteArray::resize would allocate
// just what is asked, again for every string of a response once its first guess is passed).
void CompactJsonWriter::grow(qsizetype size)
{
    if (m_out.capacity() < size)
        m_out.reserve(2 * size);
    m_out.resize(size);
}

void CompactJsonWriter::raw(const char *bytes, qsizetype size)
{
    std::memcpy(extend(size), bytes, size_t(size));
}

CompactJsonWriter &CompactJsonWriter::key(const char *latin1Key)
{
    separate();
    const size_t size = std::strlen(latin1Key);
    char *out = extend(qsizetype(size) + 3);
    *out++ = '"';
    std::memcpy(out, latin1Key, size);
    out[size] = '"';
    out[size + 1] = ':';
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
    grow(at + s.size() + 2 + 16);
    char *out = m_out.data() + at;
    char *end = m_out.data() + m_out.size();
    // Keeps room for `bytes` now, one byte for each unit after this one and the closing quote.
    const auto room = [&](qsizetype bytes, qsizetype unitsLeft) {
        if (end - out >= bytes + unitsLeft + 1)
            return;
        at = out - m_out.data();
        grow(at + bytes + unitsLeft + 1 + 16 + unitsLeft / 8);
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
        i = copyPlainRun(s.utf16(), i, s.size(), out); // within the byte per unit held in room
        if (i == s.size())
            break;
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
    char digits[24];
    const char *end = std::to_chars(digits, digits + sizeof digits, v).ptr;
    raw(digits, end - digits);
    return *this;
}

// QByteArray::number(v, 'g', QLocale::FloatingPointShortest) without its allocations (a run
// writes a dozen logprobs per answer): the same shortest digits in the shorter of the decimal and
// the exponent form, the decimal one on a tie ("0.001" but "1e-04"). TestCompactJsonWriter
// compares the two.
void CompactJsonWriter::shortest(double v)
{
    char sci[40];
    const char *const sciEnd = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific).ptr;
    const char *p = sci;
    const bool negative = *p == '-';
    if (negative)
        ++p;
    char digits[24];
    int n = 0;
    for (; p < sciEnd && *p != 'e'; ++p)
        if (*p != '.')
            digits[n++] = *p;
    const bool negativeExponent = p + 1 < sciEnd && p[1] == '-';
    int exponent = 0;
    for (const char *e = p + 2; e < sciEnd; ++e)
        exponent = exponent * 10 + (*e - '0');
    if (negativeExponent)
        exponent = -exponent;
    const int decpt = exponent + 1; // the value is 0.DIGITS * 10^decpt
    const int magnitude = exponent < 0 ? -exponent : exponent;
    const int decimalLength = decpt <= 0 ? 2 - decpt + n : decpt < n ? n + 1 : decpt;
    const int scientificLength = n + (n > 1 ? 1 : 0) + 2 + (magnitude < 100 ? 2 : 3);
    const bool decimal = decimalLength <= scientificLength;
    char out[64];
    char *o = out;
    if (negative)
        *o++ = '-';
    if (decimal) {
        if (decpt <= 0) {
            *o++ = '0';
            *o++ = '.';
            for (int i = 0; i < -decpt; ++i)
                *o++ = '0';
            for (int i = 0; i < n; ++i)
                *o++ = digits[i];
        } else {
            for (int i = 0; i < n || i < decpt; ++i) {
                if (i == decpt)
                    *o++ = '.';
                *o++ = i < n ? digits[i] : '0';
            }
        }
    } else {
        *o++ = digits[0];
        if (n > 1) {
            *o++ = '.';
            for (int i = 1; i < n; ++i)
                *o++ = digits[i];
        }
        *o++ = 'e';
        *o++ = exponent < 0 ? '-' : '+';
        if (magnitude < 10)
            *o++ = '0';
        o = std::to_chars(o, out + sizeof out, magnitude).ptr;
    }
    raw(out, o - out);
}

CompactJsonWriter &CompactJsonWriter::number(double v)
{
    if (!std::isfinite(v))
        return null();
    separate();
    constexpr double exactIntegers = 9007199254740992.0; // 2^53
    if (v == std::trunc(v) && std::abs(v) <= exactIntegers) {
        char digits[24];
        const char *end = std::to_chars(digits, digits + sizeof digits, qint64(v)).ptr;
        raw(digits, end - digits);
    } else {
        shortest(v);
    }
    return *this;
}

CompactJsonWriter &CompactJsonWriter::boolean(bool v)
{
    separate();
    if (v)
        raw("true", 4);
    else
        raw("false", 5);
    return *this;
}

CompactJsonWriter &CompactJsonWriter::null()
{
    separate();
    raw("null", 4);
    return *this;
}

} // namespace anthology
