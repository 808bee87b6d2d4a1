#pragma once

#include "config/ConfigNode.h"
#include "util/Result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace anthology {

// Typed reads of one config map's fields. Errors name file:line:column, the dotted key and the
// expected type; a null or absent field leaves the output untouched unless it is required.
class ConfigFieldReader
{
public:
    ConfigFieldReader(const ConfigNode *map, QString path, QList<Error> *warnings);

    const QString &path() const { return m_path; }
    QString keyPath(const QString &key) const;
    const ConfigNode *node(const QString &key) const;
    bool has(const QString &key) const; // present and not null

    Error error(const ConfigNode *at, const QString &key, const QString &message) const;
    void warn(const ConfigNode *at, const QString &key, const QString &message) const;
    Status requireMap(const ConfigNode *self) const;

    Status string(const QString &key, QString &out, bool required = false) const;
    Status boolean(const QString &key, bool &out) const;
    Status integer(const QString &key, int &out, int min, int max, bool required = false) const;
    Status optionalInteger(const QString &key, std::optional<int> &out, int min, int max) const;
    Status number(const QString &key, double &out, double min, double max) const;
    Status stringList(const QString &key, QStringList &out, bool required = false) const;
    Status oneOf(const QString &key, QString &out, const QStringList &allowed) const;

    // A key of the map that is not in `known` is a warning with its position, unless it is a
    // likely typo of a known key (edit distance 2 or less): then it is an error naming the key
    // meant, since the typo would silently run with the default.
    Status checkUnknown(const QStringList &known) const;
    // Every key not in `known` is an error (our own files, which carry no foreign keys).
    Status rejectUnknown(const QStringList &known) const;
    // The known key `key` is most likely a typo of, if any.
    static QString closestKey(const QString &key, const QStringList &known);

    static std::optional<bool> parseBool(const QString &text);
    static QString describe(const ConfigNode &node);

private:
    Status unknownKeys(const QStringList &known, bool strict) const;

    const ConfigNode *m_map;
    QString m_path;
    QList<Error> *m_warnings;
};

} // namespace anthology
