#include "util/JsonTape.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace anthology {

namespace {

constexpr int kMaxDepth = 64;

// Length of the valid UTF-8 sequence starting at p (a byte >= 0x80), or 0.
qsizetype utf8Sequence(const uchar *p, const uchar *end)
{
    const uchar b = p[0];
    qsizetype n = 0;
    char32_t c = 0;
    if (b >= 0xc2 && b <= 0xdf) {
        n = 2;
        c = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
        n = 3;
        c = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
        n = 4;
        c = b & 0x07;
    } else {
        return 0;
    }
    if (end - p < n)
        return 0;
    for (qsizetype i = 1; i < n; ++i) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3f);
    }
    if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) || (n == 4 && (c < 0x10000 || c > 0x10ffff)))
        return 0;
    return n;
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; ++i) {
        const int d = hexDigit(p[i]);
        if (d < 0)
            return -1;
        v = (v << 4) | d;
    }
    return v;
}

// QString::fromUtf8 drops a leading byte order mark; Qt reads a string with escapes character by
// character, keeping every one.
QString utf8(QByteArrayView bytes)
{
    QString out;
    while (bytes.startsWith("\xef\xbb\xbf")) {
        out += QChar(0xfeff);
        bytes = bytes.sliced(3);
    }
    return out.isEmpty() ? QString::fromUtf8(bytes) : out + QString::fromUtf8(bytes);
}

} // namespace

std::vector<JsonTape::Node> &JsonTape::spareNodes()
{
    thread_local std::vector<Node> spare;
    return spare;
}

JsonTape::JsonTape()
{
    m_nodes.swap(spareNodes());
}

JsonTape::~JsonTape()
{
    // A tape of an unusually large text gives its memory back rather than keep it for the thread.
    constexpr size_t kKeptNodes = 16384;
    if (m_nodes.capacity() <= kKeptNodes && m_nodes.capacity() > spareNodes().capacity()) {
        m_nodes.clear();
        m_nodes.swap(spareNodes());
    }
}

bool JsonTape::parse(QByteArrayView json)
{
    m_json = json;
    m_pos = 0;
    m_nodes.clear();
    m_nodes.reserve(size_t(64));
    skipSpace();
    if (!parseValue(0))
        return false;
    skipSpace();
    return m_pos == m_json.size();
}

void JsonTape::skipSpace()
{
    while (m_pos < m_json.size()) {
        const char c = m_json[m_pos];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            return;
        ++m_pos;
    }
}

bool JsonTape::parseLiteral(const char *word, Type type)
{
    const QByteArrayView w(word);
    if (!m_json.sliced(m_pos).startsWith(w))
        return false;
    Node n;
    n.type = type;
    n.begin = m_pos;
    n.length = w.size();
    m_pos += w.size();
    n.end = qint32(m_nodes.size() + 1);
    m_nodes.push_back(n);
    return true;
}

bool JsonTape::parseValue(int depth)
{
    if (m_pos >= m_json.size() || depth > kMaxDepth)
        return false;
    const char c = m_json[m_pos];
    if (c == '"')
        return parseString();
    if (c == '-' || (c >= '0' && c <= '9'))
        return parseNumber();
    if (c == 't')
        return parseLiteral("true", Type::True);
    if (c == 'f')
        return parseLiteral("false", Type::False);
    if (c == 'n')
        return parseLiteral("null", Type::Null);
    if (c != '{' && c != '[')
        return false;
    const bool object = c == '{';
    const size_t self = m_nodes.size();
    Node n;
    n.type = object ? Type::Object : Type::Array;
    n.begin = m_pos;
    m_nodes.push_back(n);
    ++m_pos;
    skipSpace();
    const char close = object ? '}' : ']';
    qint32 size = 0;
    if (m_pos < m_json.size() && m_json[m_pos] == close) {
        ++m_pos;
    } else {
        for (;;) {
            if (object) {
                if (m_pos >= m_json.size() || m_json[m_pos] != '"' || !parseString())
                    return false;
                m_nodes.back().parent = qint32(self);
                skipSpace();
                if (m_pos >= m_json.size() || m_json[m_pos] != ':')
                    return false;
                ++m_pos;
                skipSpace();
            }
            const size_t child = m_nodes.size();
            if (!parseValue(depth + 1))
                return false;
            m_nodes[child].parent = qint32(self);
            ++size;
            skipSpace();
            if (m_pos >= m_json.size())
                return false;
            if (m_json[m_pos] == ',') {
                ++m_pos;
                skipSpace();
                continue;
            }
            if (m_json[m_pos] != close)
                return false;
            ++m_pos;
            break;
        }
    }
    m_nodes[self].size = size;
    m_nodes[self].length = m_pos - m_nodes[self].begin;
    m_nodes[self].end = qint32(m_nodes.size());
    return true;
}

bool JsonTape::parseString()
{
    const auto *p = reinterpret_cast<const uchar *>(m_json.data());
    const qsizetype size = m_json.size();
    qsizetype i = m_pos + 1;
    Node n;
    n.type = Type::String;
    n.begin = i;
    for (;;) {
        if (i >= size)
            return false;
        const uchar b = p[i];
        if (b == '"')
            break;
        if (b < 0x20)
            return false;
        if (b == '\\') {
            if (i + 1 >= size)
                return false;
            n.escaped = true;
            const char e = char(p[i + 1]);
            if (e == 'u') {
                if (i + 6 > size)
                    return false;
                const int unit = hex4(reinterpret_cast<const char *>(p + i + 2));
                if (unit < 0)
                    return false;
                i += 6;
                if (unit >= 0xd800 && unit <= 0xdbff) {
                    // Only a pair makes a character; anything else goes to Qt's reading.
                    if (i + 6 > size || p[i] != '\\' || p[i + 1] != 'u')
                        return false;
                    const int low = hex4(reinterpret_cast<const char *>(p + i + 2));
                    if (low < 0xdc00 || low > 0xdfff)
                        return false;
                    i += 6;
                } else if (unit >= 0xdc00 && unit <= 0xdfff) {
                    return false;
                }
                continue;
            }
            if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't')
                return false;
            i += 2;
            continue;
        }
        if (b >= 0x80) {
            const qsizetype len = utf8Sequence(p + i, p + size);
            if (len == 0)
                return false;
            i += len;
            continue;
        }
        ++i;
    }
    n.length = i - n.begin;
    m_pos = i + 1;
    n.end = qint32(m_nodes.size() + 1);
    m_nodes.push_back(n);
    return true;
}

bool JsonTape::parseNumber()
{
    const char *s = m_json.data();
    const qsizetype size = m_json.size();
    qsizetype i = m_pos;
    const auto digit = [&](qsizetype k) { return k < size && s[k] >= '0' && s[k] <= '9'; };
    if (s[i] == '-')
        ++i;
    if (!digit(i))
        return false;
    if (s[i] == '0')
        ++i;
    else
        while (digit(i))
            ++i;
    bool integral = true;
    if (i < size && s[i] == '.') {
        integral = false;
        ++i;
        if (!digit(i))
            return false;
        while (digit(i))
            ++i;
    }
    if (i < size && (s[i] == 'e' || s[i] == 'E')) {
        integral = false;
        ++i;
        if (i < size && (s[i] == '+' || s[i] == '-'))
            ++i;
        if (!digit(i))
            return false;
        while (digit(i))
            ++i;
    }
    Node n;
    n.type = Type::Number;
    n.begin = m_pos;
    n.length = i - m_pos;
    if (integral && i - m_pos == 2 && s[m_pos] == '-')
        return false; // "-0": whether it is an integer or a negative zero is Qt's call
    if (integral) {
        const auto [end, ec] = std::from_chars(s + m_pos, s + i, n.intValue);
        n.integer = ec == std::errc() && end == s + i;
    }
    if (n.integer) {
        n.value = double(n.intValue);
    } else {
        const auto [end, ec] = std::from_chars(s + m_pos, s + i, n.value);
        if (ec != std::errc() || end != s + i || !std::isfinite(n.value))
            return false; // out of range: Qt decides
        // Qt keeps a whole number read as a double as an integer (so -0.0 reads as 0).
        if (n.value == std::trunc(n.value) && n.value >= -9223372036854775808.0 &&
            n.value < 9223372036854775808.0) {
            n.integer = true;
            n.intValue = qint64(n.value);
            n.value = double(n.intValue);
        }
    }
    m_pos = i;
    n.end = qint32(m_nodes.size() + 1);
    m_nodes.push_back(n);
    return true;
}

int JsonTape::firstChild(int container) const
{
    if (container < 0)
        return -1;
    const Node &n = m_nodes[size_t(container)];
    if ((n.type != Type::Array && n.type != Type::Object) || n.size == 0)
        return -1;
    return container + 1;
}

int JsonTape::nextSibling(int node) const
{
    const Node &n = m_nodes[size_t(node)];
    if (n.parent < 0)
        return -1;
    return n.end < m_nodes[size_t(n.parent)].end ? n.end : -1;
}

int JsonTape::count(int container) const
{
    return isArray(container) || isObject(container) ? m_nodes[size_t(container)].size : 0;
}

int JsonTape::value(int object, QLatin1StringView key) const
{
    if (!isObject(object))
        return -1;
    bool ascii = true;
    for (char c : key)
        ascii = ascii && uchar(c) < 0x80;
    int found = -1;
    for (int k = firstChild(object); k >= 0;) {
        const int v = k + 1;
        const Node &kn = m_nodes[size_t(k)];
        // Raw bytes equal the key only where UTF-8 and Latin-1 agree.
        if (kn.escaped || !ascii ? string(k) == key : bytes(k) == QByteArrayView(key.data(), key.size()))
            found = v;
        k = nextSibling(v);
    }
    return found;
}

QString JsonTape::string(int node) const
{
    if (!isString(node))
        return {};
    const Node &n = m_nodes[size_t(node)];
    const QByteArrayView raw = bytes(node);
    if (!n.escaped)
        return QString::fromUtf8(raw); // as Qt reads it, a leading byte order mark dropped
    QString out;
    out.reserve(raw.size());
    qsizetype runStart = 0;
    qsizetype i = 0;
    while (i < raw.size()) {
        if (raw[i] != '\\') {
            ++i;
            continue;
        }
        out += utf8(raw.sliced(runStart, i - runStart));
        const char e = raw[i + 1];
        if (e == 'u') {
            const int unit = hex4(raw.data() + i + 2);
            out += QChar(char16_t(unit));
            i += 6;
        } else {
            switch (e) {
            case 'b': out += u'\b'; break;
            case 'f': out += u'\f'; break;
            case 'n': out += u'\n'; break;
            case 'r': out += u'\r'; break;
            case 't': out += u'\t'; break;
            default: out += QLatin1Char(e); break; // " \ /
            }
            i += 2;
        }
        runStart = i;
    }
    out += utf8(raw.sliced(runStart));
    return out;
}

double JsonTape::number(int node, double otherwise) const
{
    return isNumber(node) ? m_nodes[size_t(node)].value : otherwise;
}

int JsonTape::toInt(int node, int otherwise) const
{
    if (!isNumber(node))
        return otherwise;
    const Node &n = m_nodes[size_t(node)];
    if (n.integer)
        return qint64(int(n.intValue)) == n.intValue ? int(n.intValue) : otherwise;
    const double d = n.value;
    if (d == std::trunc(d) && d >= double(std::numeric_limits<int>::min()) &&
        d <= double(std::numeric_limits<int>::max()))
        return int(d);
    return otherwise;
}

qint64 JsonTape::toInteger(int node, qint64 otherwise) const
{
    if (!isNumber(node))
        return otherwise;
    const Node &n = m_nodes[size_t(node)];
    if (n.integer)
        return n.intValue;
    const double d = n.value;
    // As Qt's convertDoubleTo<qint64>: integral and strictly inside the range.
    if (d == std::trunc(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        return qint64(d);
    return otherwise;
}

} // namespace anthology
