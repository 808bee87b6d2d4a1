#include "pipeline/ConfigComposition.h"

#include "config/ConfigLoader.h"
#include "config/ConfigOverride.h"
#include "config/YamlReader.h"
#include "config/YamlWriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

QString bareKey(const QString &key)
{
    return key.startsWith(u'+') ? key.mid(1) : key;
}

// A group choice (format/mcq_symbol=number, llm_parameters=openai_chat) rather than a key.
bool isGroupKey(const QString &key, const QStringList &groups)
{
    const QString k = bareKey(key);
    return k.contains(u'/') || groups.contains(k);
}

// The `- group: option` entries of a defaults list, in order.
QList<QPair<QString, QString>> defaultsEntries(const ConfigNode &primary)
{
    QList<QPair<QString, QString>> out;
    const ConfigNode *list = primary.child(u"defaults"_s);
    if (!list || !list->isSequence())
        return out;
    for (const ConfigNode &item : list->items()) {
        if (!item.isMap() || item.entries().size() != 1)
            continue;
        const auto &[group, option] = item.entries().front();
        if (option.isScalar())
            out.append({group, option.text()});
    }
    return out;
}

// The comment on a key's line ("key: 4 # requests in flight"), else the comment lines above it.
QString commentAt(const SourceLocation &where, QHash<QString, QStringList> &files)
{
    if (where.file.isEmpty() || where.line <= 0)
        return {};
    auto it = files.find(where.file);
    if (it == files.end()) {
        QFile f(where.file);
        QStringList lines;
        if (f.open(QIODevice::ReadOnly))
            lines = QString::fromUtf8(f.readAll()).split(u'\n');
        it = files.insert(where.file, lines);
    }
    const QStringList &lines = *it;
    if (where.line > lines.size())
        return {};
    const QString line = lines[where.line - 1];
    static const QRegularExpression trailing(u"\\s#\\s?(.*)$"_s);
    if (!line.trimmed().startsWith(u'#')) {
        const QRegularExpressionMatch m = trailing.match(line);
        if (m.hasMatch() && !line.left(m.capturedStart()).contains(u'"'))
            return m.captured(1).trimmed();
    }
    QStringList above;
    for (int i = where.line - 2; i >= 0 && lines[i].trimmed().startsWith(u'#'); --i)
        above.prepend(lines[i].trimmed().mid(1).trimmed());
    return above.join(u' ');
}

ConfigComposition::Key::Type typeOf(const ConfigNode &node, QVariant &value)
{
    using Type = ConfigComposition::Key::Type;
    if (node.isSequence()) {
        QStringList items;
        for (const ConfigNode &item : node.items())
            items.append(item.text());
        value = items;
        return Type::List;
    }
    value = node.isNull() ? QVariant(QString()) : node.toVariant();
    switch (value.typeId()) {
    case QMetaType::Bool:
        return Type::Bool;
    case QMetaType::Int:
    case QMetaType::LongLong:
        return Type::Int;
    case QMetaType::Double:
        return Type::Double;
    default:
        value = node.isNull() ? QString() : node.text();
        return Type::String;
    }
}

bool isEditableLeaf(const ConfigNode &node)
{
    if (node.isScalar() || node.isNull())
        return true;
    if (!node.isSequence())
        return false;
    for (const ConfigNode &item : node.items())
        if (!item.isScalar())
            return false;
    return true;
}

void collectLeaves(const ConfigNode &node, const QString &path, QStringList &out)
{
    for (const auto &[key, child] : node.entries()) {
        const QString dotted = path.isEmpty() ? key : path + u'.' + key;
        if (dotted == "hydra"_L1)
            continue;
        // The questionnaire's own questions and traits are chosen as a whole (a group or a data
        // set's variables), not key by key: only its scalars (in_series, wave, ...) are offered.
        if (dotted.startsWith(u"questionnaire."_s) && dotted.count(u'.') >= 2 && !isEditableLeaf(child))
            continue;
        if (dotted.startsWith(u"questionnaire."_s) && dotted.count(u'.') >= 2 && child.isSequence())
            continue;
        if (child.isMap()) {
            if (!dotted.startsWith(u"questionnaire."_s))
                collectLeaves(child, dotted, out);
            else if (dotted.count(u'.') == 1)
                collectLeaves(child, dotted, out);
        } else if (isEditableLeaf(child)) {
            out.append(dotted);
        }
    }
}

void setAtPath(ConfigNode &root, const QStringList &path, const ConfigNode &value)
{
    ConfigNode *node = &root;
    for (qsizetype i = 0; i + 1 < path.size(); ++i) {
        ConfigNode *next = node->child(path[i]);
        if (!next || !next->isMap()) {
            node->insert(path[i], ConfigNode::map());
            next = node->child(path[i]);
        }
        node = next;
    }
    node->insert(path.last(), value);
}

} // namespace

ConfigComposition::ConfigComposition(StepKind kind) : m_kind(kind), m_configName(spec().defaultConfig) {}

void ConfigComposition::setKind(StepKind kind)
{
    m_kind = kind;
    m_configName = spec().defaultConfig;
    m_overrides.clear();
    m_stepValues.clear();
}

QString ConfigComposition::overrideValue(const QString &key) const
{
    for (const auto &[k, v] : m_overrides)
        if (bareKey(k) == bareKey(key))
            return v;
    return {};
}

bool ConfigComposition::hasOverride(const QString &key) const
{
    for (const auto &o : m_overrides)
        if (bareKey(o.first) == bareKey(key))
            return true;
    return false;
}

void ConfigComposition::setOverride(const QString &key, const QString &value)
{
    for (auto &o : m_overrides) {
        if (bareKey(o.first) == bareKey(key)) {
            o.second = value;
            return;
        }
    }
    m_overrides.append({key, value});
}

void ConfigComposition::removeOverride(const QString &key)
{
    m_overrides.removeIf([&key](const QPair<QString, QString> &o) { return bareKey(o.first) == bareKey(key); });
}

QString ConfigComposition::stepValue(const QString &key) const
{
    for (const auto &[k, v] : m_stepValues)
        if (k == key)
            return v;
    return {};
}

void ConfigComposition::setStepValue(const QString &key, const QString &value)
{
    m_stepValues.removeIf([&key](const QPair<QString, QString> &o) { return o.first == key; });
    if (!value.isEmpty())
        m_stepValues.append({key, value});
}

QStringList ConfigComposition::arguments() const
{
    QStringList out = spec().command;
    out.append(m_configName);
    for (const QString &dir : m_configDirs)
        out << u"--config-dir"_s << dir;
    for (const auto &[k, v] : m_stepValues)
        out.append(k + u'=' + v);
    for (const auto &[k, v] : m_overrides)
        out.append(k + u'=' + v);
    return out;
}

Result<ConfigComposition> ConfigComposition::fromArguments(const QStringList &arguments)
{
    const StepSpec *spec = StepCatalog::forArguments(arguments);
    if (!spec)
        return Error::user(u"'%1' is not a step the composer knows (expected one of: generate backstories, "
                           "survey demographics, match, survey atp, survey baseline, study)"_s.arg(
                               arguments.mid(0, 2).join(u' ')));
    ConfigComposition out(spec->kind);
    const QStringList rest = arguments.mid(spec->command.size());
    bool first = true;
    for (qsizetype i = 0; i < rest.size(); ++i) {
        const QString &arg = rest[i];
        if (arg == "--config-dir"_L1) {
            if (i + 1 >= rest.size())
                return Error::user(u"--config-dir needs a folder"_s);
            out.m_configDirs.append(rest[++i]);
        } else if (arg.startsWith(u"--config-dir="_s)) {
            out.m_configDirs.append(arg.mid(13));
        } else if (arg.startsWith(u"--"_s)) {
            continue; // engine options (--in-flight, --quiet, ...) are the launcher's, not the config's
        } else if (first && !arg.contains(u'=') && !arg.startsWith(u'~')) {
            out.m_configName = arg;
        } else {
            const qsizetype eq = arg.indexOf(u'=');
            if (eq <= 0)
                return Error::user(u"expected key=value, got '%1'"_s.arg(arg));
            const QString key = arg.left(eq);
            if (spec->stepKeys.contains(key))
                out.m_stepValues.append({key, arg.mid(eq + 1)});
            else
                out.m_overrides.append({key, arg.mid(eq + 1)});
        }
        if (!arg.startsWith(u"--"_s))
            first = false;
    }
    return out;
}

QString ConfigComposition::commandLine(const QStringList &arguments)
{
    static const QRegularExpression plain(u"^[A-Za-z0-9_./=:,+@%^-]+$"_s);
    QStringList parts{u"anthology"_s};
    for (const QString &a : arguments) {
        if (plain.match(a).hasMatch())
            parts.append(a);
        else
            parts.append(u'\'' + QString(a).replace(u"'"_s, u"'\\''"_s) + u'\'');
    }
    return parts.join(u' ');
}

Result<ResolvedConfig> ConfigComposition::resolve() const
{
    QStringList overrides;
    for (const auto &[k, v] : m_overrides)
        overrides.append(k + u'=' + v);
    return ConfigLoader(m_configDirs).load(m_configName, overrides);
}

QStringList ConfigComposition::groupNames() const
{
    QStringList out;
    Result<ConfigNode> primary = primaryNode();
    if (!primary)
        return out;
    for (const auto &entry : defaultsEntries(*primary))
        out.append(entry.first);
    return out;
}

QStringList ConfigComposition::keyOverrides() const
{
    const QStringList groups = groupNames();
    QStringList out;
    for (const auto &[k, v] : m_overrides)
        if (!isGroupKey(k, groups))
            out.append(k + u'=' + v);
    return out;
}

Result<QString> ConfigComposition::primaryFile() const
{
    const ConfigLoader loader(m_configDirs);
    QString name = m_configName;
    if (!name.endsWith(u".yaml"_s))
        name += u".yaml"_s;
    for (const QString &dir : loader.searchDirs()) {
        const QString path = QDir(dir).filePath(name);
        if (QFileInfo(path).isFile())
            return path;
    }
    return Error::user(u"no config '%1' in %2"_s.arg(m_configName, loader.searchDirs().join(u", "_s)));
}

Result<ConfigNode> ConfigComposition::primaryNode() const
{
    Result<QString> file = primaryFile();
    if (!file)
        return file.error();
    return YamlReader::parseFile(*file);
}

Result<QList<ConfigComposition::Group>> ConfigComposition::groups() const
{
    Result<ConfigNode> primary = primaryNode();
    if (!primary)
        return primary.error();
    const QStringList dirs = ConfigLoader(m_configDirs).searchDirs();
    QList<Group> out;
    for (const auto &[group, option] : defaultsEntries(*primary)) {
        Group g{group, option, option, {}};
        if (hasOverride(group))
            g.option = overrideValue(group);
        for (const QString &dir : dirs) {
            const QDir groupDir(QDir(dir).filePath(group));
            for (const QFileInfo &f : groupDir.entryInfoList({u"*.yaml"_s}, QDir::Files))
                if (!g.options.contains(f.completeBaseName()))
                    g.options.append(f.completeBaseName());
        }
        g.options.sort();
        out.append(g);
    }
    return out;
}

Result<QList<ConfigComposition::Key>> ConfigComposition::keys() const
{
    const QStringList groups = groupNames();
    QStringList groupChoices;
    for (const auto &[k, v] : m_overrides)
        if (isGroupKey(k, groups))
            groupChoices.append(k + u'=' + v);
    Result<ResolvedConfig> defaults = ConfigLoader(m_configDirs).load(m_configName, groupChoices);
    if (!defaults)
        return defaults.error();
    Result<ResolvedConfig> current = resolve();
    QStringList leaves;
    collectLeaves(defaults->root(), QString(), leaves);
    QHash<QString, QStringList> files;
    QList<Key> out;
    for (const QString &dotted : std::as_const(leaves)) {
        Key k;
        k.key = dotted;
        k.type = typeOf(*defaults->node(dotted), k.defaultValue);
        const SourceLocation where = defaults->source(dotted);
        k.source = where.isKnown() ? u"%1:%2"_s.arg(where.file).arg(where.line) : QString();
        k.comment = commentAt(where, files);
        k.overridden = hasOverride(dotted);
        k.value = k.defaultValue;
        if (current) {
            if (const ConfigNode *node = current->node(dotted); node && isEditableLeaf(*node))
                typeOf(*node, k.value);
        } else if (k.overridden) {
            k.value = overrideValue(dotted); // shown as typed, with the error beside it
        }
        out.append(k);
    }
    return out;
}

QString ConfigComposition::overrideText(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QMetaType::Double:
        return QString::number(value.toDouble(), 'g', 15);
    case QMetaType::QStringList: {
        QStringList items;
        for (const QString &item : value.toStringList())
            items.append(YamlWriter::quoteIfNeeded(item, item.contains(u',') || item.contains(u' ')));
        return u'[' + items.join(u", "_s) + u']';
    }
    default:
        return value.toString();
    }
}

Result<QString> ConfigComposition::toYaml() const
{
    Result<ConfigNode> primary = primaryNode();
    if (!primary)
        return primary.error();
    // The defaults list as the reference writes it (`- group: option`), the choices applied.
    QString defaults;
    if (const ConfigNode *list = primary->child(u"defaults"_s); list && list->isSequence()) {
        defaults = u"defaults:\n"_s;
        for (const ConfigNode &item : list->items()) {
            if (item.isScalar()) {
                defaults += u"  - "_s + item.text() + u'\n';
            } else if (item.isMap() && item.entries().size() == 1) {
                const auto &[group, option] = item.entries().front();
                const QString chosen = hasOverride(group) ? overrideValue(group) : option.text();
                defaults += u"  - %1: %2\n"_s.arg(group, YamlWriter::quoteIfNeeded(chosen, false));
            }
        }
        primary->remove(u"defaults"_s);
    }
    const QStringList overrides = keyOverrides();
    for (qsizetype i = 0; i < overrides.size(); ++i) {
        Result<ConfigOverride> o = ConfigOverride::parse(overrides[i], int(i + 1));
        if (!o)
            return o.error();
        setAtPath(*primary, o->key.split(u'.'), o->value);
    }
    return QString(defaults + YamlWriter::write(*primary));
}

Status ConfigComposition::save(const QString &dir, const QString &name)
{
    Result<QString> yaml = toYaml();
    if (!yaml)
        return yaml.error();
    if (!QDir().mkpath(dir))
        return Error::user(u"cannot create the folder %1"_s.arg(dir));
    const QString path = QDir(dir).filePath(name + u".yaml"_s);
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(yaml->toUtf8()) < 0 || !out.commit())
        return Error::user(u"cannot write %1: %2"_s.arg(path, out.errorString()));
    const QString absolute = QFileInfo(dir).absoluteFilePath();
    m_configDirs.removeAll(absolute);
    m_configDirs.prepend(absolute);
    m_configName = name;
    m_overrides.clear();
    return {};
}

Result<ConfigComposition> ConfigComposition::load(StepKind kind, const QString &file, const QStringList &configDirs)
{
    const QFileInfo info(file);
    if (!info.isFile())
        return Error::user(u"no config file %1"_s.arg(file));
    Result<ConfigNode> parsed = YamlReader::parseFile(file);
    if (!parsed)
        return parsed.error();
    ConfigComposition out(kind);
    out.m_configDirs = configDirs;
    out.m_configDirs.removeAll(info.absolutePath());
    out.m_configDirs.prepend(info.absolutePath());
    out.m_configName = info.completeBaseName();
    if (Result<ResolvedConfig> resolved = out.resolve(); !resolved)
        return resolved.error();
    return out;
}

} // namespace anthology
