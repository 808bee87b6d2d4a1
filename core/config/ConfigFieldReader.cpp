#include "config/ConfigFieldReader.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

ConfigFieldReader::ConfigFieldReader(const ConfigNode *map, QString path, QList<Error> *warnings)
    : m_map(map), m_path(std::move(path)), m_warnings(warnings)
{
}

QString ConfigFieldReader::keyPath(const QString &key) const
{
    if (key.isEmpty())
        return m_path;
    return m_path.isEmpty() ? key : m_path + u'.' + key;
}

const ConfigNode *ConfigFieldReader::node(const QString &key) const
{
    return (m_map && m_map->isMap()) ? m_map->child(key) : nullptr;
}

bool ConfigFieldReader::has(const QString &key) const
{
    const ConfigNode *n = node(key);
    return n && !n->isNull();
}

Error ConfigFieldReader::error(const ConfigNode *at, const QString &key, const QString &message) const
{
    const SourceLocation where = at ? at->location() : (m_map ? m_map->location() : SourceLocation());
    Error e = Error::at(where.file, where.line, where.column, message);
    e.withKey(keyPath(key));
    return e;
}

void ConfigFieldReader::warn(const ConfigNode *at, const QString &key, const QString &message) const
{
    if (m_warnings)
        m_warnings->append(error(at, key, message));
}

Status ConfigFieldReader::requireMap(const ConfigNode *self) const
{
    if (!self || !self->isMap())
        return error(self, QString(), u"expected a map, got %1"_s.arg(self ? describe(*self) : u"nothing"_s));
    return {};
}

QString ConfigFieldReader::describe(const ConfigNode &node)
{
    switch (node.kind()) {
    case ConfigNode::Kind::Null:
        return u"null"_s;
    case ConfigNode::Kind::Map:
        return u"a map"_s;
    case ConfigNode::Kind::Sequence:
        return u"a list"_s;
    case ConfigNode::Kind::Scalar:
        break;
    }
    QString text = node.text();
    if (text.size() > 40)
        text = text.left(37) + u"..."_s;
    return u"'%1'"_s.arg(text);
}

std::optional<bool> ConfigFieldReader::parseBool(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == "true"_L1 || t == "yes"_L1 || t == "on"_L1)
        return true;
    if (t == "false"_L1 || t == "no"_L1 || t == "off"_L1)
        return false;
    return std::nullopt;
}

Status ConfigFieldReader::string(const QString &key, QString &out, bool required) const
{
    const ConfigNode *n = node(key);
    if (!n || n->isNull()) {
        if (required)
            return error(n, key,
                         n ? u"expected a string, got null"_s : u"expected a string; the key is missing"_s);
        if (n)
            out.clear(); // `key:` with no value is the empty string for text fields
        return {};
    }
    if (!n->isScalar())
        return error(n, key, u"expected a string, got %1"_s.arg(describe(*n)));
    out = n->text();
    return {};
}

Status ConfigFieldReader::boolean(const QString &key, bool &out) const
{
    const ConfigNode *n = node(key);
    if (!n || n->isNull())
        return {};
    const std::optional<bool> v = n->isScalar() ? parseBool(n->text()) : std::nullopt;
    if (!v)
        return error(n, key, u"expected true or false, got %1"_s.arg(describe(*n)));
    out = *v;
    return {};
}

Status ConfigFieldReader::integer(const QString &key, int &out, int min, int max, bool required) const
{
    const ConfigNode *n = node(key);
    if (!n || n->isNull()) {
        if (required)
            return error(n, key,
                         u"expected an integer between %1 and %2; the key is missing"_s.arg(min).arg(max));
        return {};
    }
    static const QRegularExpression intPattern(u"^[-+]?[0-9]+$"_s);
    bool ok = false;
    const qlonglong v = (n->isScalar() && intPattern.match(n->text().trimmed()).hasMatch())
                            ? n->text().trimmed().toLongLong(&ok)
                            : 0;
    if (!ok || v < min || v > max)
        return error(n, key,
                     u"expected an integer between %1 and %2, got %3"_s.arg(min).arg(max).arg(describe(*n)));
    out = int(v);
    return {};
}

Status ConfigFieldReader::optionalInteger(const QString &key, std::optional<int> &out, int min, int max) const
{
    const ConfigNode *n = node(key);
    if (!n || n->isNull())
        return {};
    // The reference writes `logprobs: False` for "none".
    if (n->isScalar()) {
        if (const std::optional<bool> b = parseBool(n->text())) {
            if (*b)
                out = std::max(min, 1);
            else
                out.reset();
            return {};
        }
    }
    int v = 0;
    if (Status s = integer(key, v, min, max); !s.ok())
        return error(
            n, key,
            u"expected an integer between %1 and %2 or false, got %3"_s.arg(min).arg(max).arg(describe(*n)));
    out = v;
    return {};
}

Status ConfigFieldReader::number(const QString &key, double &out, double min, double max) const
{
    const ConfigNode *n = node(key);
    if (!n || n->isNull())
        return {};
    bool ok = false;
    const double v = n->isScalar() ? n->text().trimmed().toDouble(&ok) : 0.0;
    if (!ok || !std::isfinite(v) || v < min || v > max)
        return error(n, key,
                     u"expected a number between %1 and %2, got %3"_s.arg(min).arg(max).arg(describe(*n)));
    out = v;
    return {};
}

Status ConfigFieldReader::stringList(const QString &key, QStringList &out, bool required) const
{
    const ConfigNode *n = node(key);
    if (!n || n->isNull()) {
        if (required)
            return error(n, key, u"expected a non-empty list of strings; the key is missing"_s);
        return {};
    }
    if (!n->isSequence())
        return error(n, key, u"expected a list of strings, got %1"_s.arg(describe(*n)));
    QStringList values;
    for (size_t i = 0; i < n->items().size(); ++i) {
        const ConfigNode &item = n->items()[i];
        if (!item.isScalar() || item.text().trimmed().isEmpty())
            return error(&item, key + u'.' + QString::number(i),
                         u"expected a non-empty string, got %1"_s.arg(describe(item)));
        values.append(item.text());
    }
    if (required && values.isEmpty())
        return error(n, key, u"expected a non-empty list of strings, got an empty list"_s);
    out = values;
    return {};
}

Status ConfigFieldReader::oneOf(const QString &key, QString &out, const QStringList &allowed) const
{
    const ConfigNode *n = node(key);
    if (!n || n->isNull())
        return {};
    if (!n->isScalar() || !allowed.contains(n->text()))
        return error(n, key, u"expected one of %1, got %2"_s.arg(allowed.join(u", "_s), describe(*n)));
    out = n->text();
    return {};
}

namespace {

int editDistance(const QString &a, const QString &b)
{
    QList<int> row(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        row[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

} // namespace

QString ConfigFieldReader::closestKey(const QString &key, const QStringList &known)
{
    // Short keys are too close to everything: "seed" is two edits from "feed" and "need".
    if (key.size() < 5)
        return {};
    QString best;
    int bestDistance = 3;
    for (const QString &candidate : known) {
        if (candidate.size() < 5 || std::abs(candidate.size() - key.size()) > 2)
            continue;
        const int d = editDistance(key.toLower(), candidate.toLower());
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    }
    return best;
}

Status ConfigFieldReader::checkUnknown(const QStringList &known) const
{
    return unknownKeys(known, false);
}

Status ConfigFieldReader::rejectUnknown(const QStringList &known) const
{
    return unknownKeys(known, true);
}

Status ConfigFieldReader::unknownKeys(const QStringList &known, bool strict) const
{
    if (!m_map || !m_map->isMap())
        return {};
    for (const auto &entry : m_map->entries()) {
        if (known.contains(entry.first))
            continue;
        if (const QString meant = closestKey(entry.first, known); !meant.isEmpty())
            return error(
                &entry.second, entry.first,
                u"unknown key; did you mean '%1'? (a misspelt key would run with the default)"_s.arg(meant));
        if (strict)
            return error(&entry.second, entry.first,
                         u"unknown key; expected one of %1"_s.arg(known.join(u", "_s)));
        warn(&entry.second, entry.first, u"unknown key, ignored"_s);
    }
    return {};
}

} // namespace anthology
