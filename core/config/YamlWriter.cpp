#include "config/YamlWriter.h"

#include "config/ConfigNode.h"

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

QString doubleQuoted(const QString &text)
{
    QString out = u"\""_s;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            out += c; // a whole pair goes out as UTF-8; escaping halves would split the character
            out += text[++i];
            continue;
        }
        switch (c.unicode()) {
        case '"':
            out += u"\\\""_s;
            break;
        case '\\':
            out += u"\\\\"_s;
            break;
        case '\n':
            out += u"\\n"_s;
            break;
        case '\t':
            out += u"\\t"_s;
            break;
        case '\r':
            out += u"\\r"_s;
            break;
        default:
            if (c.isSurrogate())
                out += u"\\ufffd"_s; // a lone half cannot be written as UTF-8
            else if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() < 0xa0) ||
                     c.unicode() == 0xfeff || c.unicode() == 0x2028 || c.unicode() == 0x2029)
                out += u"\\u"_s + QString::number(c.unicode(), 16).rightJustified(4, u'0');
            else
                out += c;
        }
    }
    return out + u'"';
}

bool plainIsSafe(const QString &text)
{
    if (text.isEmpty() || text.front().isSpace() || text.back().isSpace())
        return false;
    static const QString badStart = u"-?:,[]{}#&*!|>'\"%@`"_s;
    // A negative number is a plain scalar; quoting it would turn -1 into the string "-1".
    const bool negativeNumber = text.front() == u'-' && text.size() > 1 && !text[1].isSpace() &&
                                ConfigNode::scalarToVariant(text, false).typeId() != QMetaType::QString;
    if (badStart.contains(text.front()) && !negativeNumber)
        return false;
    if (text.contains(u": "_s) || text.contains(u" #"_s) || text.endsWith(u':'))
        return false;
    for (const QChar c : text)
        if (c.unicode() < 0x20 || c.unicode() >= 0x7f)
            return false; // keep output ASCII-clean; non-ASCII goes through double quotes
    return true;
}

void writeNode(const ConfigNode &node, int indent, QString &out);

void writeScalarInline(const ConfigNode &node, QString &out)
{
    if (node.isNull())
        out += u"null"_s;
    else
        out += YamlWriter::quoteIfNeeded(node.text(), node.isQuoted());
}

bool isInline(const ConfigNode &node)
{
    return node.isNull() || node.isScalar() || (node.isMap() && node.entries().empty()) ||
           (node.isSequence() && node.items().empty());
}

void writeInline(const ConfigNode &node, QString &out)
{
    if (node.isMap())
        out += u"{}"_s;
    else if (node.isSequence())
        out += u"[]"_s;
    else
        writeScalarInline(node, out);
}

void writeNode(const ConfigNode &node, int indent, QString &out)
{
    const QString pad(indent, u' ');
    if (node.isMap()) {
        for (const auto &entry : node.entries()) {
            const QString key = YamlWriter::quoteIfNeeded(entry.first, false);
            // YAML limits implicit keys to 1024 characters; longer ones need the explicit "? key" form.
            if (key.toUtf8().size() > 1000)
                out += pad + u"? "_s + key + u'\n' + pad + u':';
            else
                out += pad + key + u':';
            if (isInline(entry.second)) {
                out += u' ';
                writeInline(entry.second, out);
                out += u'\n';
            } else {
                out += u'\n';
                writeNode(entry.second, indent + 2, out);
            }
        }
    } else if (node.isSequence()) {
        for (const ConfigNode &item : node.items()) {
            out += pad + u'-';
            if (isInline(item)) {
                out += u' ';
                writeInline(item, out);
                out += u'\n';
            } else {
                out += u'\n';
                writeNode(item, indent + 2, out);
            }
        }
    } else {
        out += pad;
        writeInline(node, out);
        out += u'\n';
    }
}

} // namespace

QString YamlWriter::quoteIfNeeded(const QString &text, bool wasQuoted)
{
    if (!plainIsSafe(text))
        return doubleQuoted(text);
    // A quoted "true" or "42" must stay a string; an unquoted one keeps its plain type.
    if (wasQuoted && ConfigNode::scalarToVariant(text, false).typeId() != QMetaType::QString)
        return doubleQuoted(text);
    // yes/no/on/off read as booleans in YAML 1.1 readers; keep them strings for those too.
    static const QStringList yaml11 = {u"yes"_s, u"no"_s, u"on"_s, u"off"_s, u"y"_s, u"n"_s};
    if (wasQuoted && yaml11.contains(text.toLower()))
        return doubleQuoted(text);
    return text;
}

QString YamlWriter::write(const ConfigNode &root)
{
    QString out;
    if (root.isMap() && root.entries().empty())
        return u"{}\n"_s;
    writeNode(root, 0, out);
    return out;
}

} // namespace anthology
