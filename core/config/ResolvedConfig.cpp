#include "config/ResolvedConfig.h"

#include "config/YamlWriter.h"

namespace anthology {

namespace {

void collectSources(const ConfigNode &node, const QString &prefix, QHash<QString, SourceLocation> &out)
{
    if (!prefix.isEmpty())
        out.insert(prefix, node.location());
    const QString dot = prefix.isEmpty() ? QString() : prefix + u'.';
    if (node.isMap()) {
        for (const auto &entry : node.entries())
            collectSources(entry.second, dot + entry.first, out);
    } else if (node.isSequence()) {
        for (size_t i = 0; i < node.items().size(); ++i)
            collectSources(node.items()[i], dot + QString::number(i), out);
    }
}

} // namespace

ResolvedConfig::ResolvedConfig(QString name, ConfigNode root)
    : m_name(std::move(name)), m_root(std::move(root))
{
}

QVariant ResolvedConfig::value(const QString &dottedKey, const QVariant &fallback) const
{
    const ConfigNode *n = node(dottedKey);
    return n ? n->toVariant() : fallback;
}

QStringList ResolvedConfig::childKeys(const QString &dottedKey) const
{
    const ConfigNode *n = node(dottedKey);
    return n ? n->keys() : QStringList();
}

SourceLocation ResolvedConfig::source(const QString &dottedKey) const
{
    const ConfigNode *n = node(dottedKey);
    return n ? n->location() : SourceLocation();
}

QHash<QString, SourceLocation> ResolvedConfig::sources() const
{
    QHash<QString, SourceLocation> out;
    collectSources(m_root, QString(), out);
    return out;
}

QString ResolvedConfig::toYaml() const
{
    return YamlWriter::write(m_root);
}

} // namespace anthology
