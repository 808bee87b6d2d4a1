#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>
#include <QString>

#include <optional>
#include <vector>

namespace anthology {

// One JSON text read in a single pass into a flat list of nodes that point into its bytes;
// strings are decoded only when asked for. It reads the texts that QJsonDocument reads the same
// way, on the run engine's path where building QJsonObjects cost more than the rest of an answer:
// strict RFC 8259 and nothing more. Whatever it does not take (invalid UTF-8, raw control
// characters, escaped unpaired surrogates, numbers out of double range, nesting deeper than 64)
// makes parse() return false, and the caller reads the text with QJsonDocument instead, whose
// reading and error messages stay the reference.
//
// The accessors take what QJsonValue's take for a missing or mistyped value: an empty string, the
// default number, -1 for "no node".
class JsonTape
{
public:
    enum class Type : quint8 { Null, False, True, Number, String, Array, Object };

    // The node list's memory is kept per thread between tapes: a run parses every answer with a
    // new tape, and growing a list of a few hundred nodes each time cost more in malloc than the
    // reading.
    JsonTape();
    ~JsonTape();
    JsonTape(const JsonTape &) = default;
    JsonTape &operator=(const JsonTape &) = default;

    bool parse(QByteArrayView json);

    static constexpr int root() { return 0; }
    Type type(int node) const { return m_nodes[size_t(node)].type; }
    bool isObject(int node) const { return node >= 0 && type(node) == Type::Object; }
    bool isArray(int node) const { return node >= 0 && type(node) == Type::Array; }
    bool isNumber(int node) const { return node >= 0 && type(node) == Type::Number; }
    bool isString(int node) const { return node >= 0 && type(node) == Type::String; }

    // The value of `key` in `object` (the last one when the key repeats), or -1.
    int value(int object, QLatin1StringView key) const;
    bool contains(int object, QLatin1StringView key) const { return value(object, key) >= 0; }
    // Children of an array (values) or object (keys, each followed by its value: value = key + 1).
    int firstChild(int container) const;
    int nextSibling(int node) const; // -1 after the last
    int count(int container) const; // elements of an array, members of an object

    QString string(int node) const; // empty unless a string
    // The node as written: a string's bytes between its quotes, a container from bracket to bracket.
    QByteArrayView raw(int node) const { return bytes(node); }
    bool hasEscapes(int node) const { return m_nodes[size_t(node)].escaped; }
    bool boolean(int node) const { return node >= 0 && type(node) == Type::True; }
    double number(int node, double otherwise) const;
    // As QJsonValue::toInt / toInteger: integral values in range, otherwise `otherwise`.
    int toInt(int node, int otherwise) const;
    qint64 toInteger(int node, qint64 otherwise) const;

private:
    struct Node
    {
        Type type = Type::Null;
        bool escaped = false; // a string with backslash escapes
        bool integer = false; // a number written without fraction or exponent that fits in qint64
        qint32 end = 0;       // one past this node's last descendant
        qint32 parent = -1;
        qint32 size = 0;      // array elements, object members
        qsizetype begin = 0;  // string: after the opening quote; number: its first byte
        qsizetype length = 0;
        double value = 0;
        qint64 intValue = 0;
    };

    bool parseValue(int depth);
    bool parseString();
    bool parseNumber();
    bool parseLiteral(const char *word, Type type);
    void skipSpace();
    QByteArrayView bytes(int node) const
    {
        return m_json.sliced(m_nodes[size_t(node)].begin, m_nodes[size_t(node)].length);
    }

    static std::vector<Node> &spareNodes();

    QByteArrayView m_json;
    qsizetype m_pos = 0;
    std::vector<Node> m_nodes;
};

} // namespace anthology
