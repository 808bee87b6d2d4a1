#include "pipeline/StepRunMatch.h"

#include "pipeline/RunController.h"
#include "project/ProjectFile.h"
#include "run/RunInvocation.h"
#include "run/RunStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

constexpr int kChangesShown = 8;

// Leaves of a plan's JSON by dotted key; lists of scalars stay whole (a changed choice list is
// one change), lists of objects go item by item.
void flatten(const QJsonValue &value, const QString &key, QList<QPair<QString, QJsonValue>> &out)
{
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            flatten(it.value(), key.isEmpty() ? it.key() : key + u'.' + it.key(), out);
        return;
    }
    if (value.isArray()) {
        const QJsonArray a = value.toArray();
        bool objects = !a.isEmpty();
        for (const QJsonValue &v : a)
            objects = objects && v.isObject();
        if (objects) {
            for (qsizetype i = 0; i < a.size(); ++i)
                flatten(a.at(i), key + u'.' + QString::number(i), out);
            out.append({key + u".length"_s, double(a.size())});
            return;
        }
    }
    out.append({key, value});
}

QString shown(const QJsonValue &v)
{
    if (v.isUndefined())
        return u"absent"_s;
    QString text = v.isString()
                       ? u'"' + v.toString() + u'"'
                       : QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact))
                             .mid(1)
                             .chopped(1);
    if (text.size() > 60)
        text = text.left(57) + u"..."_s;
    return text;
}

} // namespace

bool StepRunMatch::changesNoItem(const QString &dottedKey)
{
    static const QSet<QString> topLevel = {u"name"_s, u"endpoint"_s, u"num_processes"_s, u"fresh_samples"_s,
                                           QString::fromLatin1(RunInvocation::configKey)};
    static const QSet<QString> endpointKeys = {u"base_url"_s,
                                               u"base_urls"_s,
                                               u"api_provider"_s,
                                               u"api_key_env"_s,
                                               u"allow_insecure"_s,
                                               u"max_in_flight"_s,
                                               u"requests_per_minute"_s,
                                               u"tokens_per_minute"_s,
                                               u"price_per_1k_prompt_tokens"_s,
                                               u"price_per_1k_completion_tokens"_s,
                                               u"max_n"_s,
                                               u"max_logprobs"_s,
                                               u"request_timeout"_s,
                                               u"stall_timeout"_s,
                                               u"unreachable_timeout"_s,
                                               u"max_retries"_s};
    const QStringList parts = dottedKey.split(u'.');
    if (topLevel.contains(parts.first()))
        return true;
    // Within the llm group: where and how fast the same model is asked.
    return parts.size() >= 2 && parts.first() == u"llm"_s && endpointKeys.contains(parts.at(1));
}

QList<ConfigChange> StepRunMatch::itemChanges(const QJsonObject &stored, const QJsonObject &wanted)
{
    QList<QPair<QString, QJsonValue>> before, after;
    flatten(stored, QString(), before);
    flatten(wanted, QString(), after);
    QHash<QString, QJsonValue> afterByKey;
    for (const auto &[key, value] : std::as_const(after))
        afterByKey.insert(key, value);
    QList<ConfigChange> changes;
    QSet<QString> seen;
    for (const auto &[key, value] : std::as_const(before)) {
        seen.insert(key);
        if (changesNoItem(key))
            continue;
        const QJsonValue now = afterByKey.value(key, QJsonValue(QJsonValue::Undefined));
        if (now != value)
            changes.append({key, shown(value), shown(now)});
    }
    for (const auto &[key, value] : std::as_const(after))
        if (!seen.contains(key) && !changesNoItem(key))
            changes.append({key, shown(QJsonValue(QJsonValue::Undefined)), shown(value)});
    return changes;
}

Result<std::optional<RunInfo>> StepRunMatch::find(ProjectFile &project, const QString &kind,
                                                  const QString &name, const QJsonObject &wanted,
                                                  bool restart, const QString &rename)
{
    RunStore runs(project);
    Result<std::optional<qint64>> found = runs.findRun(kind, name);
    if (!found)
        return found.error();
    if (!*found)
        return std::optional<RunInfo>();
    Result<RunInfo> info = runs.run(**found);
    if (!info)
        return info.error();
    const QJsonObject stored = QJsonDocument::fromJson(info->config.toUtf8()).object();
    const QList<ConfigChange> changes = itemChanges(stored, wanted);
    const bool finished = info->status == u"completed"_s;
    // --restart replaces only what it says: an unfinished run planned from another config. A
    // run with the same items is resumed (or kept, when complete) as without it, so a study
    // restarted after a config change keeps its stages that did not change.
    if (restart && !changes.isEmpty()) {
        if (finished)
            return Error::user(u"the %1 run '%2' (run %3) is complete; --restart only replaces an unfinished "
                               "run: give the new one another name with %4"_s.arg(kind, name)
                                   .arg(info->id)
                                   .arg(rename))
                .withKey(u"name"_s);
        if (Status st = runs.deleteRun(info->id); !st)
            return st.error();
        return std::optional<RunInfo>();
    }
    if (!changes.isEmpty()) {
        QStringList lines;
        for (qsizetype i = 0; i < changes.size() && i < kChangesShown; ++i)
            lines.append(u"%1: %2 -> %3"_s.arg(changes[i].key, changes[i].before, changes[i].after));
        if (changes.size() > kChangesShown)
            lines.append(u"and %1 more"_s.arg(changes.size() - kChangesShown));
        return Error::user(
                   u"a %1 run named '%2' (run %3, %4) was planned with another config, which would "
                   "change its items (%5); to run the new config give it another name with "
                   "%6%7"_s.arg(kind, name)
                       .arg(info->id)
                       .arg(RunController::effectiveStatusName(project.path(), *info), lines.join(u"; "_s), rename,
                            finished ? QString() : u", or replace the unfinished run with --restart"_s))
            .withKey(u"name"_s);
    }
    // Same items: the new endpoint and limits are the ones the resumed run uses.
    QJsonObject merged = wanted;
    for (const QString &keep : {QString::fromLatin1(RunInvocation::configKey), u"endpoint"_s})
        if (stored.contains(keep) && !merged.contains(keep))
            merged.insert(keep, stored.value(keep));
    if (merged != stored) {
        if (Status st = runs.updateConfig(info->id, merged); !st)
            return st.error();
        info->config = QString::fromUtf8(QJsonDocument(merged).toJson(QJsonDocument::Compact));
    }
    return std::optional<RunInfo>(*info);
}

} // namespace anthology
