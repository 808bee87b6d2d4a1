#include "run/RunEndpoint.h"

#include "run/RunAdaptations.h"
#include "run/RunStore.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace anthology {

QJsonObject RunEndpoint::of(const QString &configJson)
{
    return QJsonDocument::fromJson(configJson.toUtf8()).object().value(u"endpoint"_s).toObject();
}

QString RunEndpoint::describe(const QJsonObject &e)
{
    if (e.isEmpty())
        return u"not recorded (the run has not been sent yet)"_s;
    QString urls = e.value(u"base_url"_s).toString();
    if (const QJsonArray all = e.value(u"base_urls"_s).toArray(); all.size() > 1) {
        QStringList list;
        for (const QJsonValue &v : all)
            list.append(v.toString());
        urls = list.join(u", "_s);
    }
    const QString id = e.value(u"model_id"_s).toString();
    const QString name = e.value(u"model_name"_s).toString();
    QString text =
        urls + u", model "_s + (id.isEmpty() ? u"(asked of the server at the first request)"_s : id);
    QStringList notes;
    if (!name.isEmpty() && name != id)
        notes.append(u"model_name %1"_s.arg(name));
    if (e.contains(u"model_from"_s) && !id.isEmpty())
        notes.append(e.value(u"model_from"_s).toString());
    notes.append(u"provider "_s + e.value(u"provider"_s).toString());
    if (e.contains(u"api_key_env"_s))
        notes.append(u"key from $"_s + e.value(u"api_key_env"_s).toString());
    return text + u" ("_s + notes.join(u"; "_s) + u')';
}

Result<QStringList> RunEndpoint::cachedFrom(ProjectFile &project, qint64 runId)
{
    Result<QList<QPair<qint64, qint64>>> sources = RunAdaptations::cacheSources(project, runId);
    if (!sources)
        return sources.error();
    RunStore store(project);
    QStringList lines;
    for (const auto &[source, items] : std::as_const(*sources)) {
        const QString count = items == 1 ? u"1 item"_s : u"%1 items"_s.arg(items);
        if (source <= 0) {
            lines.append(u"%1 from answers cached before sources were recorded"_s.arg(count));
            continue;
        }
        Result<RunInfo> info = store.run(source);
        if (!info) {
            lines.append(u"%1 from run %2 (deleted)"_s.arg(count).arg(source));
            continue;
        }
        lines.append(u"%1 from run %2 (%3) at %4"_s.arg(count).arg(source).arg(info->name,
                                                                               describe(of(info->config))));
    }
    return lines;
}

} // namespace anthology
