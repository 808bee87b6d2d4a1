#include "run/RunAdaptations.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace anthology {

QByteArray RunAdaptations::attach(const QByteArray &responseJson, const QStringList &adaptations)
{
    if (adaptations.isEmpty())
        return responseJson;
    QJsonObject o = QJsonDocument::fromJson(responseJson).object();
    o.insert(u"adaptations"_s, QJsonArray::fromStringList(adaptations));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray RunAdaptations::attachCachedFrom(const QByteArray &responseJson, qint64 runId)
{
    QJsonObject o = QJsonDocument::fromJson(responseJson).object();
    if (o.contains(u"cached_from"_s))
        return responseJson;
    o.insert(u"cached_from"_s, QJsonObject{{u"run"_s, double(runId)}});
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Result<QList<QPair<qint64, qint64>>> RunAdaptations::cacheSources(ProjectFile &project, qint64 runId)
{
    Statement s = project.prepare(
        "SELECT coalesce(json_extract(response, '$.cached_from.run'), 0), count(*) FROM items "
        "WHERE run_id = ?1 AND state = 'done' AND from_cache = 1 AND json_valid(response) GROUP BY 1 ORDER "
        "BY 1");
    if (!s.ok())
        return s.error();
    s.bind(1, runId);
    QList<QPair<qint64, qint64>> out;
    Status read = s.forEachRow([&](const Statement &row) {
        out.append({row.columnInt64(0), row.columnInt64(1)});
    });
    if (!read)
        return read.error();
    return out;
}

Result<QList<RunAdaptation>> RunAdaptations::of(ProjectFile &project, qint64 runId)
{
    // Only rows that have the key are parsed (json_each of a missing path yields nothing).
    Statement s =
        project.prepare("SELECT i.id, a.value FROM items i, json_each(i.response, '$.adaptations') a "
                        "WHERE i.run_id = ?1 AND i.state = 'done' AND i.from_cache = 0 "
                        "AND json_valid(i.response) ORDER BY i.id");
    if (!s.ok())
        return s.error();
    s.bind(1, runId);
    static const QRegularExpression seeds(u" with seeds -?\\d+\\.\\.-?\\d+"_s);
    QList<RunAdaptation> found;
    QHash<QString, qsizetype> index;
    QHash<QString, qint64> lastItem; // an item repeating one adaptation counts once
    Status read = s.forEachRow([&](const Statement &row) {
        const qint64 item = row.columnInt64(0);
        const QString text = row.columnText(1).remove(seeds);
        auto at = index.constFind(text);
        if (at == index.constEnd()) {
            at = index.insert(text, found.size());
            found.append({text, 0});
        }
        if (lastItem.value(text, -1) != item) {
            lastItem.insert(text, item);
            ++found[*at].items;
        }
    });
    if (!read)
        return read.error();
    return found;
}

} // namespace anthology
