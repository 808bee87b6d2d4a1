#pragma once

#include "config/ConfigNode.h"
#include "util/Error.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace anthology {

// The composed, overridden and interpolated config tree, with where every value came from.
class ResolvedConfig
{
public:
    ResolvedConfig() = default;
    ResolvedConfig(QString name, ConfigNode root);

    const QString &name() const { return m_name; }
    const ConfigNode &root() const { return m_root; }
    const ConfigNode *node(const QString &dottedKey) const { return m_root.find(dottedKey); }

    QVariant value(const QString &dottedKey, const QVariant &fallback = {}) const;
    bool contains(const QString &dottedKey) const { return node(dottedKey) != nullptr; }
    QStringList keys() const { return m_root.keys(); }     // top level, file order
    QStringList childKeys(const QString &dottedKey) const; // a map's keys, file order

    SourceLocation source(const QString &dottedKey) const;
    QHash<QString, SourceLocation> sources() const; // every dotted key, maps and leaves

    // The resolved tree as YAML; re-reading it gives the same tree.
    QString toYaml() const;

    const QList<Error> &warnings() const { return m_warnings; }
    void addWarning(Error warning) { m_warnings.append(std::move(warning)); }

    // ${hydra:runtime.output_dir} and the moment ${now:...} was read.
    const QString &outputDir() const { return m_outputDir; }
    void setOutputDir(QString dir) { m_outputDir = std::move(dir); }
    const QDateTime &loadedAt() const { return m_loadedAt; }
    void setLoadedAt(QDateTime when) { m_loadedAt = std::move(when); }

private:
    QString m_name;
    ConfigNode m_root = ConfigNode::map();
    QList<Error> m_warnings;
    QString m_outputDir;
    QDateTime m_loadedAt;
};

} // namespace anthology
