#include "config/ConfigNode.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace anthology {

ConfigNode ConfigNode::null(SourceLocation where)
{
    ConfigNode n;
    n.m_location = std::move(where);
    return n;
}

ConfigNode ConfigNode::scalar(QString text, bool quoted, SourceLocation where)
{
    ConfigNode n;
    n.m_kind = Kind::Scalar;
    n.m_text = std::move(text);
    n.m_quoted = quoted;
    n.m_location = std::move(where);
    return n;
}

ConfigNode ConfigNode::map(SourceLocation where)
{
    ConfigNode n;
    n.m_kind = Kind::Map;
    n.m_location = std::move(where);
    return n;
}

ConfigNode ConfigNode::sequence(SourceLocation where)
{
    ConfigNode n;
    n.m_kind = Kind::Sequence;
    n.m_location = std::move(where);
    return n;
}

void ConfigNode::setText(QString text, bool quoted)
{
    m_kind = Kind::Scalar;
    m_text = std::move(text);
    m_quoted = quoted;
    m_entries.clear();
    m_items.clear();
}

void ConfigNode::setLocationRecursive(const SourceLocation &where)
{
    m_location = where;
    for (auto &entry : m_entries)
        entry.second.setLocationRecursive(where);
    for (auto &item : m_items)
        item.setLocationRecursive(where);
}

QStringList ConfigNode::keys() const
{
    QStringList out;
    out.reserve(qsizetype(m_entries.size()));
    for (const auto &entry : m_entries)
        out.append(entry.first);
    return out;
}

const ConfigNode *ConfigNode::child(const QString &key) const
{
    for (const auto &entry : m_entries)
        if (entry.first == key)
            return &entry.second;
    return nullptr;
}

ConfigNode *ConfigNode::child(const QString &key)
{
    for (auto &entry : m_entries)
        if (entry.first == key)
            return &entry.second;
    return nullptr;
}

void ConfigNode::insert(const QString &key, ConfigNode value)
{
    if (m_kind != Kind::Map) {
        m_kind = Kind::Map;
        m_text.clear();
        m_items.clear();
    }
    if (ConfigNode *existing = child(key)) {
        *existing = std::move(value);
        return;
    }
    m_entries.emplace_back(key, std::move(value));
}

bool ConfigNode::remove(const QString &key)
{
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        if (it->first == key) {
            m_entries.erase(it);
            return true;
        }
    }
    return false;
}

const ConfigNode *ConfigNode::find(const QString &dottedKey) const
{
    return const_cast<ConfigNode *>(this)->find(dottedKey);
}

ConfigNode *ConfigNode::find(const QString &dottedKey)
{
    if (dottedKey.isEmpty())
        return this;
    ConfigNode *node = this;
    const QStringList parts = dottedKey.split(u'.');
    for (const QString &part : parts) {
        if (node->isMap()) {
            node = node->child(part);
        } else if (node->isSequence()) {
            bool ok = false;
            const int index = part.toInt(&ok);
            if (!ok || index < 0 || size_t(index) >= node->m_items.size())
                return nullptr;
            node = &node->m_items[size_t(index)];
        } else {
            return nullptr;
        }
        if (!node)
            return nullptr;
    }
    return node;
}

void ConfigNode::mergeFrom(const ConfigNode &other)
{
    if (m_kind == Kind::Map && other.m_kind == Kind::Map) {
        for (const auto &entry : other.m_entries) {
            if (ConfigNode *mine = child(entry.first))
                mine->mergeFrom(entry.second);
            else
                m_entries.emplace_back(entry);
        }
        return;
    }
    *this = other;
}

QVariant ConfigNode::scalarToVariant(const QString &text, bool quoted)
{
    if (quoted)
        return text;
    if (text.isEmpty() || text == "~"_L1 || text == "null"_L1 || text == "Null"_L1 || text == "NULL"_L1)
        return QVariant();
    if (text == "true"_L1 || text == "True"_L1 || text == "TRUE"_L1)
        return true;
    if (text == "false"_L1 || text == "False"_L1 || text == "FALSE"_L1)
        return false;
    static const QRegularExpression intPattern(u"^[-+]?[0-9]+$"_s);
    if (intPattern.match(text).hasMatch()) {
        bool ok = false;
        const qlonglong v = text.toLongLong(&ok);
        if (ok)
            return v;
    }
    static const QRegularExpression floatPattern(
        u"^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"_s);
    if (floatPattern.match(text).hasMatch()) {
        bool ok = false;
        const double v = text.toDouble(&ok);
        if (ok)
            return v;
    }
    return text;
}

QVariant ConfigNode::toVariant() const
{
    switch (m_kind) {
    case Kind::Null:
        return QVariant();
    case Kind::Scalar:
        return scalarToVariant(m_text, m_quoted);
    case Kind::Sequence: {
        QVariantList list;
        for (const ConfigNode &item : m_items)
            list.append(item.toVariant());
        return list;
    }
    case Kind::Map: {
        // QVariantMap sorts keys; callers wanting file order use keys()/childKeys().
        QVariantMap map;
        for (const auto &entry : m_entries)
            map.insert(entry.first, entry.second.toVariant());
        return map;
    }
    }
    return QVariant();
}

bool ConfigNode::operator==(const ConfigNode &other) const
{
    if (m_kind != other.m_kind)
        return false;
    switch (m_kind) {
    case Kind::Null:
        return true;
    case Kind::Scalar:
        return scalarToVariant(m_text, m_quoted) == scalarToVariant(other.m_text, other.m_quoted);
    case Kind::Sequence:
        return m_items == other.m_items;
    case Kind::Map:
        return m_entries == other.m_entries;
    }
    return false;
}

} // namespace anthology
