#include "run/RunStore.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "project/Transaction.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <sqlite3.h>

#include <array>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

enum Slot { InsertItem, MarkDone, MarkFailed, InsertReask, CacheInsert, CacheLookup, SlotCount };

const char *const itemColumns =
    "id, persona, persona_revision, question, position, sample, base_sample, reask, state, request, "
    "raw_answer, compliant, option_index, error";

StoredItem readItem(const Statement &s)
{
    StoredItem it;
    it.id = s.columnInt64(0);
    it.persona = s.columnText(1);
    it.personaRevision = s.columnInt(2);
    it.question = s.columnText(3);
    it.position = s.columnInt(4);
    it.sample = s.columnInt(5);
    it.baseSample = s.columnInt(6);
    it.reask = s.columnInt(7);
    it.state = s.columnText(8);
    it.request = s.columnUtf8(9);
    it.rawAnswer = s.columnText(10);
    it.compliant = s.columnInt(11) != 0;
    if (!s.isNull(12))
        it.option = s.columnInt(12);
    it.error = s.columnText(13);
    return it;
}

Result<QList<StoredItem>> readItems(Statement &s)
{
    QList<StoredItem> out;
    if (Status st = s.forEachRow([&](const Statement &row) { out.append(readItem(row)); }); !st)
        return st.error();
    return out;
}

// The columns of RunCounts over a set of items, read by readCounts().
const char *const countColumns =
    "count(*), total(state = 'pending'), total(state = 'done'), total(state = 'failed'), "
    "total(state = 'done' AND compliant = 1), total(state = 'done' AND from_cache = 1), "
    "total(prompt_tokens), total(completion_tokens), total(cost)";

RunCounts readCounts(const Statement &s, int first)
{
    RunCounts c;
    c.total = s.columnInt64(first);
    c.pending = qint64(s.columnDouble(first + 1));
    c.done = qint64(s.columnDouble(first + 2));
    c.failed = qint64(s.columnDouble(first + 3));
    c.compliant = qint64(s.columnDouble(first + 4));
    c.fromCache = qint64(s.columnDouble(first + 5));
    c.promptTokens = qint64(s.columnDouble(first + 6));
    c.completionTokens = qint64(s.columnDouble(first + 7));
    c.cost = s.columnDouble(first + 8);
    return c;
}

RunInfo readRun(const Statement &s)
{
    RunInfo r;
    r.id = s.columnInt64(0);
    r.name = s.columnText(1);
    r.kind = s.columnText(2);
    r.config = s.columnText(3);
    r.programVersion = s.columnText(4);
    r.seed = s.columnInt64(5);
    r.created = QDateTime::fromString(s.columnText(6), Qt::ISODateWithMs);
    r.status = s.columnText(7);
    return r;
}

void bindOptionalText(Statement &s, int index, const QByteArray &utf8)
{
    if (utf8.isEmpty())
        s.bindNull(index);
    else
        s.bindUtf8(index, utf8);
}

} // namespace

struct RunStore::Statements
{
    std::array<std::optional<Statement>, SlotCount> prepared;
};

RunStore::RunStore(ProjectFile &project) : m_project(project), m_statements(std::make_unique<Statements>()) {}

RunStore::~RunStore() = default;

Statement &RunStore::cached(int slot, const char *sql) const
{
    std::optional<Statement> &s = m_statements->prepared[size_t(slot)];
    if (!s)
        s.emplace(m_project.prepare(sql));
    s->reset();
    return *s;
}

Result<qint64> RunStore::createRun(const RunInfo &info)
{
    Statement s =
        m_project.prepare("INSERT INTO runs (name, kind, config, program_version, seed, created, status) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
    const QDateTime created = info.created.isValid() ? info.created : QDateTime::currentDateTimeUtc();
    // Empty texts stay empty strings, never NULL.
    s.bindUtf8(1, info.name.toUtf8())
        .bindUtf8(2, info.kind.toUtf8())
        .bindUtf8(3, info.config.toUtf8())
        .bindUtf8(4, info.programVersion.toUtf8())
        .bind(5, info.seed)
        .bindUtf8(6, created.toString(Qt::ISODateWithMs).toUtf8())
        .bindUtf8(7, info.status.toUtf8());
    Result<bool> row = s.step();
    if (!row)
        return row.error();
    return s.columnInt64(0);
}

Result<std::optional<qint64>> RunStore::findRun(const QString &kind, const QString &name) const
{
    Statement s = m_project.prepare("SELECT max(id) FROM runs WHERE kind = ?1 AND name = ?2");
    s.bindUtf8(1, kind.toUtf8()).bindUtf8(2, name.toUtf8());
    Result<bool> row = s.step();
    if (!row)
        return row.error();
    if (!*row || s.isNull(0))
        return std::optional<qint64>();
    return std::optional<qint64>(s.columnInt64(0));
}

Result<RunInfo> RunStore::run(qint64 runId) const
{
    Statement s = m_project.prepare(
        "SELECT id, name, kind, config, program_version, seed, created, status FROM runs WHERE id = ?1");
    s.bind(1, runId);
    Result<bool> row = s.step();
    if (!row)
        return row.error();
    if (!*row)
        return Error::user(u"no run %1 in this project (see 'anthology run list')"_s.arg(runId));
    return readRun(s);
}

Result<QList<RunInfo>> RunStore::runs() const
{
    Statement s = m_project.prepare(
        "SELECT id, name, kind, config, program_version, seed, created, status FROM runs ORDER BY id");
    QList<RunInfo> out;
    if (Status st = s.forEachRow([&](const Statement &row) { out.append(readRun(row)); }); !st)
        return st.error();
    return out;
}

Result<RunCounts> RunStore::counts(qint64 runId) const
{
    Statement s =
        m_project.prepare(QByteArray("SELECT "_ba + countColumns + " FROM items WHERE run_id = ?1"));
    s.bind(1, runId);
    Result<bool> row = s.step();
    if (!row)
        return row.error();
    return readCounts(s, 0);
}

Result<QHash<qint64, RunCounts>> RunStore::allCounts() const
{
    Statement s =
        m_project.prepare(QByteArray("SELECT run_id, "_ba + countColumns + " FROM items GROUP BY run_id"));
    QHash<qint64, RunCounts> out;
    Status read =
        s.forEachRow([&](const Statement &row) { out.insert(row.columnInt64(0), readCounts(row, 1)); });
    if (!read)
        return read.error();
    return out;
}

Status RunStore::setStatus(qint64 runId, const QString &status)
{
    Statement s = m_project.prepare("UPDATE runs SET status = ?2 WHERE id = ?1");
    s.bind(1, runId).bind(2, status);
    return s.exec();
}

Result<int> RunStore::resetFailed(qint64 runId)
{
    Statement s =
        m_project.prepare("UPDATE items SET state = 'pending' WHERE run_id = ?1 AND state = 'failed'");
    s.bind(1, runId);
    if (Status st = s.exec(); !st)
        return st.error();
    Statement changes = m_project.prepare("SELECT changes()");
    Result<bool> row = changes.step();
    if (!row)
        return row.error();
    return changes.columnInt(0);
}

Result<qint64> RunStore::insertItem(qint64 runId, const PlannedItem &item)
{
    // No RETURNING on the hot statements: SQLite gathers RETURNING rows in a temporary table
    // first, which cost more than the insert; the rowid and the change count say the same.
    Statement &s =
        cached(InsertItem,
               "INSERT INTO items (run_id, persona, persona_revision, question, position, sample, "
               "base_sample, reask, depends_on, request) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    s.bind(1, runId)
        .bind(2, item.persona)
        .bind(3, item.personaRevision)
        .bind(4, item.question)
        .bind(5, item.position)
        .bind(6, item.sample)
        .bind(7, item.baseSample)
        .bind(8, item.reask)
        .bind(9, item.dependsOn);
    bindOptionalText(s, 10, item.request);
    if (Status st = s.exec(); !st)
        return st.error();
    const qint64 id = sqlite3_last_insert_rowid(m_project.handle());
    s.reset();
    return id;
}

Status RunStore::commit(qint64 runId, QList<ItemResult> &results, const QList<QPair<int, QByteArray>> &reasks)
{
    Transaction tx(m_project.handle());
    if (!tx.status())
        return tx.status();
    Statement &done = cached(
        MarkDone, "UPDATE items SET state = 'done', request = ?2, response = ?3, raw_answer = ?4, "
                  "parsed_answer = ?5, option_index = ?6, compliant = ?7, logprobs = ?8, latency_ms = ?9, "
                  "prompt_tokens = ?10, completion_tokens = ?11, cost = ?12, attempts = attempts + ?13, "
                  "error = NULL, from_cache = ?14 WHERE id = ?1 AND state = 'pending'");
    Statement &failed = cached(
        MarkFailed, "UPDATE items SET state = 'failed', request = coalesce(?2, request), latency_ms = ?3, "
                    "attempts = attempts + ?4, error = ?5 WHERE id = ?1 AND state = 'pending'");
    Statement &reask =
        cached(InsertReask,
               "INSERT INTO items (run_id, persona, persona_revision, question, position, sample, "
               "base_sample, reask, depends_on, request) SELECT run_id, persona, persona_revision, "
               "question, position, ?2, base_sample, reask + 1, depends_on, ?3 FROM items WHERE id = ?1");
    Statement &cache =
        cached(CacheInsert, "INSERT OR REPLACE INTO request_cache (key, item_id) VALUES (?1, ?2)");
    for (qsizetype i = 0; i < results.size(); ++i) {
        ItemResult &r = results[i];
        Statement &s = r.ok ? done : failed;
        s.reset();
        s.bind(1, r.itemId);
        if (r.ok) {
            s.bindUtf8(2, r.request).bindUtf8(3, r.response).bind(4, r.rawAnswer);
            if (r.parsedAnswer.isEmpty())
                s.bindNull(5);
            else
                s.bind(5, r.parsedAnswer);
            if (r.option >= 0)
                s.bind(6, r.option);
            else
                s.bindNull(6);
            s.bind(7, r.compliant ? 1 : 0);
            bindOptionalText(s, 8, r.distribution);
            s.bind(9, r.latencyMs).bind(10, r.promptTokens).bind(11, r.completionTokens).bind(12, r.cost);
            s.bind(13, r.attempts).bind(14, r.fromCache ? 1 : 0);
        } else {
            bindOptionalText(s, 2, r.request);
            s.bind(3, r.latencyMs).bind(4, r.attempts).bind(5, r.error);
        }
        if (Status st = s.exec(); !st)
            return st;
        const bool applied = sqlite3_changes(m_project.handle()) > 0;
        s.reset();
        if (!applied) {
            // Already committed (a duplicate outcome): never written twice.
            r.reaskId = 0;
            r.wantReask = false;
            continue;
        }
        if (r.ok && r.wantReask && i < reasks.size()) {
            reask.reset();
            reask.bind(1, r.itemId).bind(2, reasks[i].first);
            bindOptionalText(reask, 3, reasks[i].second);
            if (Status st = reask.exec(); !st)
                return st;
            r.reaskId = sqlite3_changes(m_project.handle()) > 0 ? sqlite3_last_insert_rowid(m_project.handle()) : 0;
            reask.reset();
        }
        if (r.ok && !r.fromCache && !r.cacheKey.isEmpty()) {
            cache.reset();
            cache.bindUtf8(1, r.cacheKey).bind(2, r.itemId);
            if (Status st = cache.exec(); !st)
                return st;
        }
    }
    Q_UNUSED(runId);
    return tx.commit();
}

Result<QList<StoredItem>> RunStore::pendingItems(qint64 runId, qint64 afterId, int limit) const
{
    Statement s =
        m_project.prepare(QByteArray("SELECT "_ba + itemColumns +
                                     " FROM items WHERE run_id = ?1 AND state = 'pending' AND id > ?2 "
                                     "ORDER BY id LIMIT ?3"));
    s.bind(1, runId).bind(2, afterId).bind(3, limit);
    return readItems(s);
}

Result<QList<QPair<QString, int>>> RunStore::openChains(qint64 runId) const
{
    Statement s =
        m_project.prepare("SELECT persona, base_sample, min(id) AS first FROM items WHERE run_id = ?1 AND "
                          "state = 'pending' GROUP BY persona, base_sample ORDER BY first");
    s.bind(1, runId);
    QList<QPair<QString, int>> out;
    Status read = s.forEachRow([&](const Statement &row) {
        out.append({row.columnText(0), row.columnInt(1)});
    });
    if (!read)
        return read.error();
    return out;
}

Result<QList<StoredItem>> RunStore::chainItems(qint64 runId, const QString &persona, int baseSample) const
{
    Statement s =
        m_project.prepare(QByteArray("SELECT "_ba + itemColumns +
                                     " FROM items WHERE run_id = ?1 AND persona = ?2 AND base_sample = ?3 "
                                     "ORDER BY position, reask"));
    s.bind(1, runId).bind(2, persona).bind(3, baseSample);
    return readItems(s);
}

Result<QList<StoredItem>> RunStore::items(qint64 runId) const
{
    Statement s = m_project.prepare(
        QByteArray("SELECT "_ba + itemColumns + " FROM items WHERE run_id = ?1 ORDER BY id"));
    s.bind(1, runId);
    return readItems(s);
}

Result<bool> RunStore::othersAnswered(qint64 runId) const
{
    Statement s =
        m_project.prepare("SELECT EXISTS (SELECT 1 FROM items WHERE run_id <> ?1 AND state = 'done')");
    s.bind(1, runId);
    Result<bool> row = s.step();
    if (!row)
        return row.error();
    return *row && s.columnInt(0) != 0;
}

std::optional<QByteArray> RunStore::cachedResponse(const QByteArray &key) const
{
    const std::optional<CachedAnswer> answer = cachedAnswer(key);
    return answer ? std::optional<QByteArray>(answer->response) : std::nullopt;
}

std::optional<RunStore::CachedAnswer> RunStore::cachedAnswer(const QByteArray &key) const
{
    Statement &s = cached(CacheLookup, "SELECT i.response, i.run_id FROM request_cache c JOIN items i ON "
                                       "i.id = c.item_id WHERE c.key = ?1 AND i.state = 'done'");
    s.bindUtf8(1, key);
    Result<bool> row = s.step();
    std::optional<CachedAnswer> out;
    if (row && *row)
        out = CachedAnswer{s.columnUtf8(0), s.columnInt64(1)};
    s.reset();
    return out;
}

Result<QHash<QByteArray, RunStore::CachedAnswer>> RunStore::cachedAnswers(const QList<QByteArray> &keys) const
{
    QHash<QByteArray, CachedAnswer> out;
    if (keys.isEmpty())
        return out;
    // The keys travel as one JSON array of hex strings (no quoting needed).
    QByteArray array = "[";
    for (const QByteArray &key : keys)
        array.append(array.size() > 1 ? ",\"" : "\"").append(key).append('"');
    array.append(']');
    Statement s = m_project.prepare(
        "SELECT c.key, i.response, i.run_id FROM request_cache c JOIN items i ON i.id = c.item_id "
        "WHERE c.key IN (SELECT value FROM json_each(?1)) AND i.state = 'done'");
    s.bindUtf8(1, array);
    Status read = s.forEachRow([&](const Statement &row) {
        out.insert(row.columnUtf8(0), CachedAnswer{row.columnUtf8(1), row.columnInt64(2)});
    });
    if (!read)
        return read.error();
    return out;
}

Status RunStore::updateConfig(qint64 runId, const QJsonObject &config)
{
    Statement s = m_project.prepare("UPDATE runs SET config = ?2 WHERE id = ?1");
    s.bind(1, runId).bindUtf8(2, QJsonDocument(config).toJson(QJsonDocument::Compact));
    return s.exec();
}

Status RunStore::deleteRun(qint64 runId)
{
    Transaction tx(m_project.handle());
    if (!tx.status())
        return tx.status();
    for (const char *sql :
         {"DELETE FROM request_cache WHERE item_id IN (SELECT id FROM items WHERE run_id = ?1)",
          "DELETE FROM items WHERE run_id = ?1", "DELETE FROM runs WHERE id = ?1"}) {
        Statement s = m_project.prepare(sql);
        s.bind(1, runId);
        if (Status st = s.exec(); !st)
            return st;
    }
    return tx.commit();
}

Status RunStore::recordEndpoint(qint64 runId, const QJsonObject &endpoint)
{
    Statement s = m_project.prepare("UPDATE runs SET config = json_set(config, '$.endpoint', json(?2)) WHERE "
                                    "id = ?1 AND json_valid(config)");
    s.bind(1, runId).bindUtf8(2, QJsonDocument(endpoint).toJson(QJsonDocument::Compact));
    return s.exec();
}

Result<QHash<qint64, QByteArray>> RunStore::itemDistributions(qint64 runId) const
{
    Statement s = m_project.prepare(
        "SELECT id, logprobs FROM items WHERE run_id = ?1 AND state = 'done' AND logprobs IS NOT NULL");
    s.bind(1, runId);
    QHash<qint64, QByteArray> out;
    Status read =
        s.forEachRow([&](const Statement &row) { out.insert(row.columnInt64(0), row.columnUtf8(1)); });
    if (!read)
        return read.error();
    return out;
}

} // namespace anthology
