#include "config/YamlReader.h"

#include <QFile>
#include <QRegularExpression>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <sstream>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

// Aliases are expanded into copies; this bounds what a hostile file can make us allocate.
constexpr int kMaxNodes = 100000;
constexpr int kMaxDepth = 100;

struct Converter
{
    QString source;
    int nodes = 0;
    std::optional<Error> error;

    SourceLocation where(const YAML::Node &node) const
    {
        const YAML::Mark mark = node.Mark();
        if (mark.is_null())
            return {source, 0, 0};
        return {source, mark.line + 1, mark.column + 1};
    }

    void fail(const SourceLocation &at, QString message)
    {
        if (!error)
            error = Error::at(at.file, at.line, at.column, std::move(message));
    }

    ConfigNode convert(const YAML::Node &node, int depth)
    {
        if (error)
            return {};
        const SourceLocation at = where(node);
        if (++nodes > kMaxNodes) {
            fail(at, u"the document expands to more than %1 nodes (alias bomb?)"_s.arg(kMaxNodes));
            return {};
        }
        if (depth > kMaxDepth) {
            fail(at, u"the document nests deeper than %1 levels"_s.arg(kMaxDepth));
            return {};
        }
        switch (node.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null:
            return ConfigNode::null(at);
        case YAML::NodeType::Scalar:
            // A tagged node with no content (`a: !tag`) comes as an empty plain scalar: YAML's null,
            // and it must stay null so that toYaml() reads back as the same tree.
            if (node.Scalar().empty() && node.Tag() != "!")
                return ConfigNode::null(at);
            // yaml-cpp tags plain scalars "?" and quoted or block scalars "!".
            return ConfigNode::scalar(QString::fromStdString(node.Scalar()), node.Tag() == "!", at);
        case YAML::NodeType::Sequence: {
            ConfigNode seq = ConfigNode::sequence(at);
            for (const YAML::Node &item : node)
                seq.append(convert(item, depth + 1));
            return seq;
        }
        case YAML::NodeType::Map: {
            ConfigNode map = ConfigNode::map(at);
            for (const auto &entry : node) {
                const YAML::Node &keyNode = entry.first;
                if (!keyNode.IsScalar()) {
                    fail(where(keyNode), u"expected a plain scalar as map key"_s);
                    return {};
                }
                const QString key = QString::fromStdString(keyNode.Scalar());
                if (map.child(key)) {
                    fail(where(keyNode), u"duplicate key '%1'"_s.arg(key));
                    return {};
                }
                ConfigNode value = convert(entry.second, depth + 1);
                // A null value has no mark of its own in yaml-cpp, and a block map's mark is its
                // first child: both are located at their key, which is where a reader looks.
                if (!value.isScalar())
                    value.setLocation(where(keyNode));
                map.insert(key, std::move(value));
            }
            return map;
        }
        }
        return {};
    }
};

// Ignores every event: used only to count documents.
class DocumentCounter final : public YAML::EventHandler
{
public:
    void OnDocumentStart(const YAML::Mark &) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark &, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark &, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t, const std::string &) override {}
    void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                         YAML::EmitterStyle::value) override
    {
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                    YAML::EmitterStyle::value) override
    {
    }
    void OnMapEnd() override {}
};

// yaml-cpp 0.7's LoadAll() loops forever, allocating, on some malformed input (an endless
// stream of empty documents; found by FuzzConfigLoader, fixed upstream after 0.8). Counting at
// most two documents with a bounded parser pass avoids it.
int documentCount(const std::string &text)
{
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentCounter counter;
    int documents = 0;
    while (documents < 2 && parser.HandleNextDocument(counter))
        ++documents;
    return documents;
}

} // namespace

Result<ConfigNode> YamlReader::parse(const QByteArray &text, const QString &sourceName)
{
    try {
        const std::string utf8 = text.toStdString();
        const int documents = documentCount(utf8);
        if (documents > 1)
            return Error::at(sourceName, 0, 0, u"expected a single YAML document, found more than one"_s);
        if (documents == 0)
            return ConfigNode::null({sourceName, 1, 1});
        Converter converter;
        converter.source = sourceName;
        ConfigNode root = converter.convert(YAML::Load(utf8), 0);
        if (converter.error)
            return *converter.error;
        return root;
    } catch (const YAML::Exception &e) {
        const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
        const int column = e.mark.is_null() ? 0 : e.mark.column + 1;
        return Error::at(sourceName, line, column, u"invalid YAML: %1"_s.arg(QString::fromStdString(e.msg)));
    } catch (const std::exception &e) {
        return Error::at(sourceName, 0, 0, u"invalid YAML: %1"_s.arg(QString::fromUtf8(e.what())));
    }
}

Result<ConfigNode> YamlReader::parseFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::at(path, 0, 0, u"cannot read the file: %1"_s.arg(file.errorString()));
    return parse(file.readAll(), path);
}

QString YamlReader::packageHeader(const QByteArray &text)
{
    static const QRegularExpression header(u"^#\\s*@package\\s+(\\S+)\\s*$"_s);
    const QList<QByteArray> lines = text.split('\n');
    for (const QByteArray &raw : lines) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty())
            continue;
        if (!line.startsWith(u'#'))
            break;
        const QRegularExpressionMatch match = header.match(line);
        if (match.hasMatch())
            return match.captured(1);
    }
    return {};
}

QList<Error> YamlReader::openQuoteWarnings(const QByteArray &text, const QString &sourceName)
{
    static const QRegularExpression keyLine(u"^\\s*(?:- )?[A-Za-z_][A-Za-z0-9_.-]*:(\\s|$)"_s);
    const QStringList lines = QString::fromUtf8(text).split(u'\n');
    QList<Error> out;
    int openLine = -1, openColumn = 0; // inside a double-quoted value since this line (0-based)
    int blockIndent = -1;              // inside a block scalar (| or >) deeper than this indent
    bool warned = false;
    for (int n = 0; n < lines.size(); ++n) {
        const QString &line = lines[n];
        const qsizetype firstChar = line.indexOf(QRegularExpression(u"\\S"_s));
        if (blockIndent >= 0) {
            if (firstChar < 0 || firstChar > blockIndent)
                continue;
            blockIndent = -1;
        }
        qsizetype i = 0;
        if (openLine >= 0) {
            if (!warned && keyLine.match(line).hasMatch()) {
                out.append(
                    Error::at(sourceName, openLine + 1, openColumn + 1,
                              u"the double-quoted value opened on line %1 runs on to line %2 (%3), which "
                              "looks like a key of its own: is a closing quote missing? Until it closes, "
                              "those lines are part of the value"_s.arg(openLine + 1)
                                  .arg(n + 1)
                                  .arg(line.trimmed())));
                warned = true;
            }
        }
        QChar previous = u' '; // the last non-space character before i on this line
        for (; i < line.size(); ++i) {
            const QChar c = line[i];
            if (openLine >= 0) {
                if (c == u'\\') {
                    ++i;
                } else if (c == u'"') {
                    openLine = -1;
                    previous = c;
                }
                continue;
            }
            if (c == u'#' && (i == 0 || line[i - 1].isSpace()))
                break; // a comment
            const bool startsValue = previous == u' ' || previous == u':' || previous == u'-' ||
                                     previous == u'[' || previous == u'{' || previous == u',';
            if (c == u'"' && startsValue) {
                openLine = n;
                openColumn = int(i);
                warned = false;
                continue;
            }
            if (c == u'\'' && startsValue) {
                // A single-quoted value: '' is a quote inside it; it may span lines too, rarely.
                for (++i; i < line.size(); ++i) {
                    if (line[i] == u'\'' && i + 1 < line.size() && line[i + 1] == u'\'')
                        ++i;
                    else if (line[i] == u'\'')
                        break;
                }
                previous = u'\'';
                continue;
            }
            if (!c.isSpace())
                previous = c;
        }
        if (openLine < 0) {
            // A block scalar starts after "key: |" or "- >-": its lines are text, not YAML.
            static const QRegularExpression block(u"(?:^|[:\\-]\\s)\\s*[|>][+-]?[0-9]?\\s*(#.*)?$"_s);
            if (block.match(line).hasMatch())
                blockIndent = int(qMax<qsizetype>(0, firstChar));
        }
    }
    return out;
}

} // namespace anthology
