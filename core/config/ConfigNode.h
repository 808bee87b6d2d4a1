#pragma once

#include "config/SourceLocation.h"

#include <QString>
#include <QStringList>
#include <QVariant>

#include <utility>
#include <vector>

namespace anthology {

// One node of a YAML tree as the config layer sees it: maps keep file order, scalars keep their
// text (and whether they were quoted) so typing happens at validation time, with a position.
class ConfigNode
{
public:
    enum class Kind { Null, Scalar, Sequence, Map };

    ConfigNode() = default;
    static ConfigNode null(SourceLocation where = {});
    static ConfigNode scalar(QString text, bool quoted, SourceLocation where = {});
    static ConfigNode map(SourceLocation where = {});
    static ConfigNode sequence(SourceLocation where = {});

    Kind kind() const { return m_kind; }
    bool isNull() const { return m_kind == Kind::Null; }
    bool isScalar() const { return m_kind == Kind::Scalar; }
    bool isMap() const { return m_kind == Kind::Map; }
    bool isSequence() const { return m_kind == Kind::Sequence; }

    const QString &text() const { return m_text; }
    bool isQuoted() const { return m_quoted; }
    void setText(QString text, bool quoted);

    const SourceLocation &location() const { return m_location; }
    void setLocation(SourceLocation where) { m_location = std::move(where); }
    // Sets the location of this node and every descendant (overrides replace whole subtrees).
    void setLocationRecursive(const SourceLocation &where);

    // Map access, in insertion order.
    QStringList keys() const;
    const ConfigNode *child(const QString &key) const;
    ConfigNode *child(const QString &key);
    void insert(const QString &key, ConfigNode value); // replaces in place or appends
    bool remove(const QString &key);
    const std::vector<std::pair<QString, ConfigNode>> &entries() const { return m_entries; }
    std::vector<std::pair<QString, ConfigNode>> &entries() { return m_entries; }

    // Sequence access.
    const std::vector<ConfigNode> &items() const { return m_items; }
    std::vector<ConfigNode> &items() { return m_items; }
    void append(ConfigNode item) { m_items.push_back(std::move(item)); }

    // Dotted path lookup ("a.b.0.c"); sequence items by index.
    const ConfigNode *find(const QString &dottedKey) const;
    ConfigNode *find(const QString &dottedKey);

    // Deep merge: maps merge key by key, anything else is replaced by `other`.
    void mergeFrom(const ConfigNode &other);

    // Plain YAML 1.2 core typing of unquoted scalars: null, bool, int, double, else string.
    QVariant toVariant() const;
    static QVariant scalarToVariant(const QString &text, bool quoted);

    bool operator==(const ConfigNode &other) const; // structure and text, not locations

private:
    Kind m_kind = Kind::Null;
    QString m_text;
    bool m_quoted = false;
    SourceLocation m_location;
    std::vector<std::pair<QString, ConfigNode>> m_entries;
    std::vector<ConfigNode> m_items;
};

} // namespace anthology
