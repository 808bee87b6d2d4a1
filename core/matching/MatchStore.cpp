#include "matching/MatchStore.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "project/Transaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

std::optional<double> finiteOrNull(double v)
{
    return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

MatchRecord readHeader(const Statement &s)
{
    MatchRecord m;
    m.id = s.columnInt64(0);
    m.name = s.columnText(1);
    m.method = s.columnText(2);
    m.datasetId = s.columnOptionalInt64(3).value_or(0);
    m.datasetName = s.columnText(4);
    m.demographicsRunId = s.columnOptionalInt64(5).value_or(0);
    for (const QJsonValue &v : QJsonDocument::fromJson(s.columnUtf8(6)).array())
        m.traits.append(v.toString());
    m.seed = s.columnInt64(7);
    m.created = QDateTime::fromString(s.columnText(8), Qt::ISODateWithMs);
    return m;
}

constexpr const char *kHeaderColumns =
    "id, name, method, dataset_id, dataset_name, demographics_run_id, traits, seed, created";

} // namespace

MatchStore::MatchStore(const ProjectFile &project) : m_project(project) {}

QString MatchStore::traitsToJson(const QMap<QString, HumanTrait> &traits)
{
    QJsonObject o;
    for (auto it = traits.cbegin(); it != traits.cend(); ++it)
        o.insert(it.key(),
                 QJsonObject{{u"variable"_s, it->variable}, {u"code"_s, it->code}, {u"label"_s, it->label}});
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QMap<QString, HumanTrait> MatchStore::traitsFromJson(const QString &json)
{
    QMap<QString, HumanTrait> out;
    const QJsonObject o = QJsonDocument::fromJson(json.toUtf8()).object();
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QJsonObject t = it.value().toObject();
        out.insert(it.key(), HumanTrait{t.value(u"variable"_s).toString(), t.value(u"code"_s).toInt(-1),
                                        t.value(u"label"_s).toString()});
    }
    return out;
}

Result<qint64> MatchStore::insert(const MatchRecord &match)
{
    if (m_project.mode() != ProjectFile::Mode::ReadWrite)
        return Error::user(u"the project is open read-only"_s).withFile(m_project.path());
    Transaction tx(m_project.handle());
    if (!tx.status())
        return tx.status().error();
    Statement s = m_project.prepare("INSERT INTO matches (name, method, dataset_id, dataset_name, "
                                    "demographics_run_id, traits, seed, created) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id");
    const QDateTime created = match.created.isValid() ? match.created : QDateTime::currentDateTimeUtc();
    s.bind(1, match.name)
        .bind(2, match.method)
        .bind(3, match.datasetId > 0 ? std::optional<qint64>(match.datasetId) : std::nullopt)
        .bind(4, match.datasetName)
        .bind(5, match.demographicsRunId > 0 ? std::optional<qint64>(match.demographicsRunId) : std::nullopt)
        .bindUtf8(6, QJsonDocument(QJsonArray::fromStringList(match.traits)).toJson(QJsonDocument::Compact))
        .bind(7, match.seed)
        .bind(8, created.toString(Qt::ISODateWithMs));
    Result<bool> row = s.step();
    if (!row) {
        if (s.lastErrorCode() == 2067) // SQLITE_CONSTRAINT_UNIQUE
            return Error::user(u"a match named '%1' already exists in the project"_s.arg(match.name))
                .withKey(u"name"_s);
        return row.error();
    }
    const qint64 id = s.columnInt64(0);
    s.reset(); // a RETURNING statement left mid-step would block the commit
    Statement p = m_project.prepare("INSERT INTO match_pairs (match_id, position, human_key, human_weight, "
                                    "backstory_uid, backstory_revision, log_weight, weight, traits) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    for (int i = 0; i < match.pairs.size(); ++i) {
        const StoredMatchPair &pair = match.pairs[i];
        p.bind(1, id)
            .bind(2, i)
            .bind(3, pair.humanKey)
            .bind(4, pair.humanWeight)
            .bind(5, pair.backstoryUid)
            .bind(6, pair.backstoryRevision)
            .bind(7, finiteOrNull(pair.logWeight))
            .bind(8, finiteOrNull(pair.weight))
            .bind(9, traitsToJson(pair.traits));
        if (Status st = p.exec(); !st)
            return st.error();
    }
    if (Status st = tx.commit(); !st)
        return st.error();
    return id;
}

Result<std::optional<qint64>> MatchStore::find(const QString &name) const
{
    Statement s = m_project.prepare("SELECT id FROM matches WHERE name = ?1");
    s.bind(1, name);
    Result<bool> row = s.step();
    if (!row)
        return row.error();
    return *row ? std::optional<qint64>(s.columnInt64(0)) : std::nullopt;
}

Result<QList<MatchRecord>> MatchStore::list() const
{
    Statement s =
        m_project.prepare(QByteArray(QByteArray("SELECT ") + kHeaderColumns + " FROM matches ORDER BY id"));
    QList<MatchRecord> out;
    if (Status st = s.forEachRow([&](const Statement &row) { out.append(readHeader(row)); }); !st)
        return st.error();
    return out;
}

Result<MatchRecord> MatchStore::load(qint64 id) const
{
    Statement s =
        m_project.prepare(QByteArray(QByteArray("SELECT ") + kHeaderColumns + " FROM matches WHERE id = ?1"));
    s.bind(1, id);
    Result<bool> row = s.step();
    if (!row)
        return row.error();
    if (!*row)
        return Error::user(u"no match %1 in this project"_s.arg(id));
    MatchRecord m = readHeader(s);
    Statement p = m_project.prepare("SELECT human_key, human_weight, backstory_uid, backstory_revision, "
                                    "log_weight, weight, traits FROM match_pairs WHERE match_id = ?1 "
                                    "ORDER BY position");
    p.bind(1, id);
    Status read = p.forEachRow([&](const Statement &row) {
        StoredMatchPair pair;
        pair.humanKey = row.columnText(0);
        pair.humanWeight = row.columnDouble(1);
        pair.backstoryUid = row.columnText(2);
        pair.backstoryRevision = row.columnInt(3);
        pair.logWeight = row.columnOptionalDouble(4).value_or(-std::numeric_limits<double>::infinity());
        pair.weight = row.columnOptionalDouble(5).value_or(0.0);
        pair.traits = traitsFromJson(row.columnText(6));
        m.pairs.append(pair);
    });
    if (!read)
        return read.error();
    return m;
}

} // namespace anthology
