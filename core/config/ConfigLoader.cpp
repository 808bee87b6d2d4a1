#include "config/ConfigLoader.h"

#include "config/ConfigInterpolator.h"
#include "config/ConfigOverride.h"
#include "config/ConfigSchema.h"
#include "config/YamlReader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

struct DefaultsEntry
{
    QString group;       // "format/mcq_symbol"; empty for _self_ and plain config names
    QStringList options; // one, several (merged in order), or a plain config name
    QString package;     // from `group@package`
    bool optional = false;
    bool isSelf = false;
    bool removed = false;
    SourceLocation where;
};

Error errorAt(const SourceLocation &at, const QString &key, const QString &message)
{
    Error e = Error::at(at.file, at.line, at.column, message);
    e.withKey(key);
    return e;
}

class Composer
{
public:
    Composer(const QStringList &searchDirs, QString prefix) : m_dirs(searchDirs), m_prefix(std::move(prefix))
    {
    }

    QList<Error> warnings;

    QString findFile(const QString &relative) const
    {
        for (const QString &dir : m_dirs) {
            const QString path =
                QDir(dir).filePath(m_prefix.isEmpty() ? relative : m_prefix + u'/' + relative);
            if (QFileInfo(path).isFile())
                return path;
        }
        return {};
    }

    bool groupExists(const QString &group) const
    {
        for (const QString &dir : m_dirs)
            if (QFileInfo(QDir(dir).filePath(m_prefix.isEmpty() ? group : m_prefix + u'/' + group)).isDir())
                return true;
        return false;
    }

    Status parseDefaults(const ConfigNode &list, QList<DefaultsEntry> &out) const
    {
        if (list.isNull())
            return {};
        if (!list.isSequence())
            return errorAt(list.location(), u"defaults"_s, u"expected a list of `- group: option` entries"_s);
        for (const ConfigNode &item : list.items()) {
            DefaultsEntry entry;
            entry.where = item.location();
            if (item.isScalar()) {
                if (item.text() == "_self_"_L1)
                    entry.isSelf = true;
                else
                    entry.options = {item.text()};
                out.append(entry);
                continue;
            }
            if (!item.isMap() || item.entries().size() != 1)
                return errorAt(item.location(), u"defaults"_s,
                               u"expected `- group: option`, `- _self_` or a config name"_s);
            const auto &[rawKey, value] = item.entries().front();
            QStringList words = rawKey.split(u' ', Qt::SkipEmptyParts);
            while (words.size() > 1) {
                if (words.front() == "optional"_L1)
                    entry.optional = true;
                else if (words.front() != "override"_L1)
                    return errorAt(
                        item.location(), u"defaults"_s,
                        u"expected 'optional' or 'override' before the group, got '%1'"_s.arg(words.front()));
                words.removeFirst();
            }
            QString group = words.value(0);
            if (const qsizetype at = group.indexOf(u'@'); at >= 0) {
                entry.package = group.mid(at + 1);
                group = group.left(at);
            }
            if (group.isEmpty())
                return errorAt(item.location(), u"defaults"_s, u"expected a group name"_s);
            entry.group = group;
            if (Status s = setOptions(entry, value, u"defaults."_s + group); !s.ok())
                return s;
            // `override group: x` replaces the earlier entry of that group.
            if (rawKey.contains(u"override "_s)) {
                bool replaced = false;
                for (DefaultsEntry &earlier : out)
                    if (!earlier.removed && earlier.group == group) {
                        earlier.options = entry.options;
                        earlier.removed = entry.options.isEmpty();
                        replaced = true;
                    }
                if (replaced)
                    continue;
            }
            out.append(entry);
        }
        return {};
    }

    static Status setOptions(DefaultsEntry &entry, const ConfigNode &value, const QString &key)
    {
        entry.options.clear();
        entry.removed = false;
        if (value.isNull()) {
            entry.removed = true; // `- group: null` selects nothing
        } else if (value.isScalar()) {
            if (ConfigNode::scalarToVariant(value.text(), value.isQuoted()).isNull())
                entry.removed = true;
            else
                entry.options = {value.text()};
        } else if (value.isSequence()) {
            for (const ConfigNode &option : value.items()) {
                if (!option.isScalar() || option.text().isEmpty())
                    return errorAt(option.location(), key, u"expected an option name"_s);
                entry.options.append(option.text());
            }
        } else {
            return errorAt(value.location(), key,
                           u"expected an option name, a list of option names or null"_s);
        }
        return {};
    }

    static QString packagePath(const QString &group, const QString &package)
    {
        const QString groupPath = QString(group).replace(u'/', u'.');
        if (package.isEmpty() || package == "_group_"_L1)
            return groupPath;
        if (package == "_global_"_L1)
            return {};
        if (package.startsWith(u"_global_."_s))
            return package.mid(9);
        if (package.startsWith(u"_group_."_s))
            return groupPath.isEmpty() ? package.mid(8) : groupPath + u'.' + package.mid(8);
        return package;
    }

    Status mergeFile(ConfigNode &result, const QString &path, const QString &group,
                     const QString &entryPackage)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return Error::at(path, 0, 0, u"cannot read the file: %1"_s.arg(file.errorString()));
        const QByteArray text = file.readAll();
        Result<ConfigNode> parsed = YamlReader::parse(text, path);
        if (!parsed.ok())
            return parsed.error();
        warnings += YamlReader::openQuoteWarnings(text, path);
        ConfigNode content = std::move(parsed.value());
        if (content.isNull())
            content = ConfigNode::map({path, 1, 1});
        if (content.isMap()) {
            if (const ConfigNode *nested = content.child(u"defaults"_s)) {
                const SourceLocation at = nested->location();
                Error w = Error::at(at.file, at.line, at.column,
                                    u"a defaults list inside a group option is not supported; ignored"_s);
                warnings.append(w.withKey(u"defaults"_s));
                content.remove(u"defaults"_s);
            }
        }
        const QString header = YamlReader::packageHeader(text);
        const QString package = packagePath(group, entryPackage.isEmpty() ? header : entryPackage);
        if (package.isEmpty()) {
            if (!content.isMap())
                return Error::at(path, content.location().line, content.location().column,
                                 u"expected a map at the top of a _global_ config"_s);
            result.mergeFrom(content);
            return {};
        }
        ConfigNode *target = &result;
        for (const QString &part : package.split(u'.')) {
            ConfigNode *next = target->child(part);
            if (!next || !next->isMap()) {
                target->insert(part, ConfigNode::map(content.location()));
                next = target->child(part);
            }
            target = next;
        }
        if (!target->entries().empty())
            target->mergeFrom(content);
        else
            *target = content;
        return {};
    }

private:
    QStringList m_dirs;
    QString m_prefix;
};

bool isGroupKey(const QString &key, const QList<DefaultsEntry> &entries)
{
    const QString group = key.section(u'@', 0, 0);
    for (const DefaultsEntry &e : entries)
        if (e.group == group)
            return true;
    return false;
}

Status applyGroupOverride(const ConfigOverride &o, QList<DefaultsEntry> &entries, const Composer &composer)
{
    const QString group = o.key.section(u'@', 0, 0);
    const QString package = o.key.contains(u'@') ? o.key.section(u'@', 1) : QString();
    // `group=x` reselects the entry placed at the group's own package; `group@pkg=x` the one at pkg.
    DefaultsEntry *existing = nullptr;
    for (DefaultsEntry &e : entries)
        if (e.group == group && !e.removed && e.package == package && !existing)
            existing = &e;
    if (!existing && package.isEmpty())
        for (DefaultsEntry &e : entries)
            if (e.group == group && !e.removed && !existing)
                existing = &e;
    const auto fail = [&](const QString &message) { return errorAt(o.source, o.key, message); };

    if (o.action == ConfigOverride::Action::Delete) {
        if (!existing)
            return fail(u"no defaults entry for group '%1' to delete"_s.arg(group));
        existing->removed = true;
        return {};
    }
    if (o.action == ConfigOverride::Action::Add && existing)
        return fail(u"group '%1' is already in the defaults list; use %1=option to change it"_s.arg(group));
    if (o.action == ConfigOverride::Action::Set && !existing) {
        if (!composer.groupExists(group))
            return fail(u"no config group '%1' in the search path"_s.arg(group));
        return fail(u"group '%1' is not in the defaults list; use +%1=option to add it"_s.arg(group));
    }
    if (!existing) {
        DefaultsEntry added;
        added.group = group;
        added.where = o.source;
        entries.append(added);
        existing = &entries.last();
    }
    if (!package.isEmpty())
        existing->package = package;
    existing->where = o.source;
    return Composer::setOptions(*existing, o.value, o.key);
}

Status applyValueOverride(const ConfigOverride &o, ConfigNode &root)
{
    const auto fail = [&](const QString &message) { return errorAt(o.source, o.key, message); };
    QStringList parts = o.key.split(u'.');
    const QString last = parts.takeLast();
    ConfigNode *parent = &root;
    QString walked;
    for (const QString &part : parts) {
        walked = walked.isEmpty() ? part : walked + u'.' + part;
        ConfigNode *next = parent->find(part);
        if (!next) {
            if (o.action != ConfigOverride::Action::Add && o.action != ConfigOverride::Action::Force)
                return fail(u"key '%1' not found; use +%2=value to add it"_s.arg(walked, o.key));
            if (!parent->isMap())
                return fail(u"cannot add under '%1': it is not a map"_s.arg(walked));
            parent->insert(part, ConfigNode::map(o.source));
            next = parent->child(part);
        }
        parent = next;
    }
    if (!parent->isMap() && !parent->isSequence())
        return fail(u"cannot set '%1': its parent is not a map or a list"_s.arg(o.key));
    ConfigNode *target = parent->find(last);
    switch (o.action) {
    case ConfigOverride::Action::Delete:
        if (!target)
            return fail(u"key '%1' not found, nothing to delete"_s.arg(o.key));
        if (parent->isMap()) {
            parent->remove(last);
        } else {
            auto &items = parent->items();
            items.erase(items.begin() + last.toInt());
        }
        return {};
    case ConfigOverride::Action::Add:
        if (target)
            return fail(
                u"key '%1' already exists; use %1=value to change it or ++%1=value to force"_s.arg(o.key));
        [[fallthrough]];
    case ConfigOverride::Action::Force:
        if (!target && !parent->isMap())
            return fail(u"cannot add '%1' to a list; set an existing index instead"_s.arg(o.key));
        [[fallthrough]];
    case ConfigOverride::Action::Set:
        if (target) {
            *target = o.value;
        } else if (o.action == ConfigOverride::Action::Set) {
            return fail(u"key '%1' not found; use +%1=value to add it"_s.arg(o.key));
        } else {
            parent->insert(last, o.value);
        }
        return {};
    }
    return {};
}

// Where the primary config is, the folders searched for its groups, and its folder relative to
// the search dir, which prefixes group lookups.
struct PrimaryLocation
{
    QString path;
    QStringList dirs;
    QString prefix;
};

Result<PrimaryLocation> locatePrimary(const QString &name, const QStringList &searchDirs)
{
    QString relative = name;
    if (!relative.endsWith(u".yaml"_s) && !relative.endsWith(u".yml"_s))
        relative += u".yaml"_s;

    PrimaryLocation at;
    at.dirs = searchDirs;
    at.prefix = QFileInfo(relative).path();
    if (at.prefix == "."_L1)
        at.prefix.clear();
    if (QFileInfo(relative).isAbsolute()) {
        at.path = QFileInfo(relative).isFile() ? relative : QString();
        at.dirs.prepend(QFileInfo(relative).absolutePath());
        at.prefix.clear();
    } else {
        for (const QString &dir : std::as_const(at.dirs)) {
            const QString candidate = QDir(dir).filePath(relative);
            if (QFileInfo(candidate).isFile()) {
                at.path = candidate;
                break;
            }
        }
    }
    if (at.path.isEmpty())
        return Error::user(
            u"no primary config '%1' in the config search path (%2)"_s.arg(name, at.dirs.join(u", "_s)));
    return at;
}

// The primary file as a map (an empty file is an empty map); its open-quote warnings go to the composer.
Result<ConfigNode> readPrimary(const QString &primaryPath, Composer &composer)
{
    QFile file(primaryPath);
    if (!file.open(QIODevice::ReadOnly))
        return Error::at(primaryPath, 0, 0, u"cannot read the file: %1"_s.arg(file.errorString()));
    const QByteArray primaryText = file.readAll();
    Result<ConfigNode> parsed = YamlReader::parse(primaryText, primaryPath);
    if (!parsed.ok())
        return parsed.error();
    composer.warnings += YamlReader::openQuoteWarnings(primaryText, primaryPath);
    ConfigNode primary = std::move(parsed.value());
    if (primary.isNull())
        primary = ConfigNode::map({primaryPath, 1, 1});
    if (!primary.isMap())
        return Error::at(primaryPath, primary.location().line, primary.location().column,
                         u"expected a map at the top of the config"_s);
    return primary;
}

Result<QList<ConfigOverride>> parseOverrides(const QStringList &overrides)
{
    QList<ConfigOverride> parsed;
    for (qsizetype i = 0; i < overrides.size(); ++i) {
        Result<ConfigOverride> o = ConfigOverride::parse(overrides[i], int(i + 1));
        if (!o.ok())
            return o.error();
        parsed.append(std::move(o.value()));
    }
    return parsed;
}

// Whether an override selects a group option (format=x, format/y@pkg=z) rather than sets a value.
bool selectsGroup(const ConfigOverride &o, const QList<DefaultsEntry> &entries, const Composer &composer,
                  const ConfigNode &primary)
{
    const QString group = o.key.section(u'@', 0, 0);
    if (o.key.contains(u'/') || o.key.contains(u'@'))
        return true;
    if (o.key.contains(u'.'))
        return false;
    if (isGroupKey(o.key, entries))
        return true;
    return o.action != ConfigOverride::Action::Delete && composer.groupExists(group) && !primary.child(group);
}

// Applies the group selections to the defaults list and returns the value overrides, to apply
// once composed. Group selections go first: they change what gets composed.
Result<QList<ConfigOverride>> applyGroupOverrides(const QList<ConfigOverride> &overrides,
                                                  QList<DefaultsEntry> &entries, const Composer &composer,
                                                  const ConfigNode &primary)
{
    QList<ConfigOverride> valueOverrides;
    for (const ConfigOverride &o : overrides) {
        if (selectsGroup(o, entries, composer, primary)) {
            if (Status s = applyGroupOverride(o, entries, composer); !s.ok())
                return s.error();
        } else {
            valueOverrides.append(o);
        }
    }
    return valueOverrides;
}

// Merges the defaults list's files in order into `result`, the primary at _self_ (else last).
Status composeDefaults(const QList<DefaultsEntry> &entries, const ConfigNode &primary, Composer &composer,
                       const QStringList &dirs, ConfigNode &result)
{
    bool selfPlaced = false;
    for (const DefaultsEntry &entry : entries) {
        if (entry.removed)
            continue;
        if (entry.isSelf) {
            result.mergeFrom(primary);
            selfPlaced = true;
            continue;
        }
        if (entry.group == "hydra"_L1 || entry.group.startsWith(u"hydra/"_s)) {
            // Hydra's own groups (launcher, logging...) configure Hydra, not the run.
            Error w = Error::at(entry.where.file, entry.where.line, entry.where.column,
                                u"Hydra's own config groups have no effect here; ignored"_s);
            composer.warnings.append(w.withKey(entry.group));
            continue;
        }
        for (const QString &option : entry.options) {
            const QString relativeFile =
                (entry.group.isEmpty() ? option : entry.group + u'/' + option) + u".yaml"_s;
            const QString path = composer.findFile(relativeFile);
            if (path.isEmpty()) {
                if (entry.optional)
                    continue;
                const QString key = entry.group.isEmpty() ? u"defaults"_s : entry.group;
                return errorAt(
                    entry.where, key,
                    u"no config '%1' in the search path (%2)"_s.arg(relativeFile, dirs.join(u", "_s)));
            }
            if (Status s = composer.mergeFile(result, path, entry.group, entry.package); !s.ok())
                return s.error();
        }
    }
    if (!selfPlaced)
        result.mergeFrom(primary);
    return {};
}

Status applyValueOverrides(const QList<ConfigOverride> &overrides, ConfigNode &result)
{
    for (ConfigOverride o : overrides) {
        // hydra.* settings are open-ended in Hydra: setting one never needs a leading '+'.
        if (o.action == ConfigOverride::Action::Set && o.key.startsWith(u"hydra."_s))
            o.action = ConfigOverride::Action::Force;
        if (Status s = applyValueOverride(o, result); !s.ok())
            return s.error();
    }
    return {};
}

} // namespace

ConfigLoader::ConfigLoader(QStringList configDirs, bool withDefaultDir)
{
    for (const QString &dir : configDirs)
        if (!dir.isEmpty())
            m_searchDirs.append(QDir::cleanPath(dir));
    const QString ours = withDefaultDir ? ConfigSchema::defaultConfigDir() : QString();
    if (!ours.isEmpty()) {
        QStringList fallback = {QDir::cleanPath(ours)};
        QStringList subdirs = QDir(ours).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        if (subdirs.removeAll(u"surveys"_s) > 0)
            subdirs.prepend(u"surveys"_s);
        for (const QString &sub : subdirs)
            fallback.append(QDir::cleanPath(ours + u'/' + sub));
        for (const QString &dir : fallback)
            if (!m_searchDirs.contains(dir))
                m_searchDirs.append(dir);
    }
}

Result<ResolvedConfig> ConfigLoader::load(const QString &name, const QStringList &overrides) const
{
    Result<PrimaryLocation> at = locatePrimary(name, m_searchDirs);
    if (!at)
        return at.error();
    Composer composer(at->dirs, at->prefix);
    Result<ConfigNode> primary = readPrimary(at->path, composer);
    if (!primary)
        return primary.error();

    QList<DefaultsEntry> entries;
    if (const ConfigNode *defaults = primary->child(u"defaults"_s)) {
        if (Status s = composer.parseDefaults(*defaults, entries); !s.ok())
            return s.error();
        primary->remove(u"defaults"_s);
    }
    Result<QList<ConfigOverride>> parsedOverrides = parseOverrides(overrides);
    if (!parsedOverrides)
        return parsedOverrides.error();
    Result<QList<ConfigOverride>> valueOverrides =
        applyGroupOverrides(*parsedOverrides, entries, composer, *primary);
    if (!valueOverrides)
        return valueOverrides.error();

    ConfigNode result = ConfigNode::map({at->path, 1, 1});
    if (Status s = composeDefaults(entries, *primary, composer, at->dirs, result); !s.ok())
        return s.error();
    if (Status s = applyValueOverrides(*valueOverrides, result); !s.ok())
        return s.error();

    ConfigInterpolator::Context context;
    context.now = m_now.isValid() ? m_now : QDateTime::currentDateTime();
    context.outputDir = m_outputDir;
    context.configName = QFileInfo(at->path).completeBaseName();
    QString outputDir;
    if (Status s = ConfigInterpolator::resolve(result, context, &outputDir); !s.ok())
        return s.error();
    // As in Hydra, the hydra node configures the launcher and is not part of the job's config.
    result.remove(u"hydra"_s);

    ResolvedConfig resolved(context.configName, std::move(result));
    resolved.setOutputDir(outputDir);
    resolved.setLoadedAt(context.now);
    QSet<QString> said; // the primary file is read twice (its defaults, then as _self_)
    for (const Error &w : std::as_const(composer.warnings))
        if (!said.contains(w.toString())) {
            said.insert(w.toString());
            resolved.addWarning(w);
        }
    return resolved;
}

} // namespace anthology
