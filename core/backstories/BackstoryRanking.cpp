#include "backstories/BackstoryRanking.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"

#include <QHash>
#include <QMutex>

#include <sqlite3.h>

#include <cmath>
#include <vector>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

// The token counts of one connection's index, by rowid (-1: not a story when loaded).
struct TokenCounts
{
    QByteArray indexKey; // the index's structure and totals records when loaded
    std::vector<int> byRowid;
    bool inStep = false; // set by prepare() for the query about to run
};

// One TokenCounts per connection that registered the function; FTS5 drops the function, and
// with it the entry, when the connection closes.
QMutex registryMutex;
QHash<sqlite3 *, TokenCounts *> registry;

void destroyCounts(void *data)
{
    auto *counts = static_cast<TokenCounts *>(data);
    QMutexLocker lock(&registryMutex);
    for (auto it = registry.begin(); it != registry.end(); ++it) {
        if (it.value() == counts) {
            registry.erase(it);
            break;
        }
    }
    delete counts;
}

// What bm25() computes once per query: the average length and each phrase's IDF.
struct QueryTerms
{
    double averageLength = 0;
    std::vector<double> idf;
    std::vector<double> frequency; // per row
};

int countHit(const Fts5ExtensionApi *, Fts5Context *, void *hits)
{
    ++*static_cast<qint64 *>(hits);
    return SQLITE_OK;
}

QueryTerms *queryTerms(const Fts5ExtensionApi *api, Fts5Context *fts, int *rc)
{
    if (auto *terms = static_cast<QueryTerms *>(api->xGetAuxdata(fts, 0)))
        return terms;
    auto terms = std::make_unique<QueryTerms>();
    sqlite3_int64 rows = 0;
    sqlite3_int64 tokens = 0;
    *rc = api->xRowCount(fts, &rows);
    if (*rc == SQLITE_OK)
        *rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (*rc != SQLITE_OK)
        return nullptr;
    terms->averageLength = double(tokens) / double(rows);
    const int phrases = api->xPhraseCount(fts);
    terms->idf.resize(phrases);
    terms->frequency.resize(phrases);
    for (int i = 0; i < phrases; ++i) {
        qint64 hits = 0;
        *rc = api->xQueryPhrase(fts, i, &hits, countHit);
        if (*rc != SQLITE_OK)
            return nullptr;
        const double idf = std::log((rows - hits + 0.5) / (hits + 0.5));
        terms->idf[i] = idf <= 0.0 ? 1e-6 : idf;
    }
    QueryTerms *out = terms.get();
    *rc = api->xSetAuxdata(fts, terms.release(), [](void *p) { delete static_cast<QueryTerms *>(p); });
    return *rc == SQLITE_OK ? out : nullptr;
}

// bm25() of SQLite's fts5_aux.c with k1 = 1.2, b = 0.75 and every column weighted 1: the
// same operations in the same order, so the same doubles.
void rankFunction(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *context, int,
                  sqlite3_value **)
{
    constexpr double k1 = 1.2;
    constexpr double b = 0.75;
    int rc = SQLITE_OK;
    QueryTerms *terms = queryTerms(api, fts, &rc);
    if (!terms) {
        sqlite3_result_error_code(context, rc == SQLITE_OK ? SQLITE_NOMEM : rc);
        return;
    }
    // Occurrences per phrase: bm25() adds 1.0 per xInst() instance; a phrase's own position
    // list holds the same instances and is read without the merged instance array, and one
    // phrase's count is the instance count. A common word is ~25 instances a story.
    const int phrases = int(terms->idf.size());
    if (phrases == 1) {
        int instances = 0;
        rc = api->xInstCount(fts, &instances);
        terms->frequency[0] = double(instances);
    }
    for (int i = 0; phrases > 1 && rc == SQLITE_OK && i < phrases; ++i) {
        Fts5PhraseIter it;
        int column = 0, offset = 0;
        int n = 0;
        rc = api->xPhraseFirst(fts, i, &it, &column, &offset);
        for (; rc == SQLITE_OK && column >= 0; api->xPhraseNext(fts, &it, &column, &offset))
            ++n;
        terms->frequency[i] = double(n);
    }
    int length = -1;
    const auto *counts = static_cast<const TokenCounts *>(api->xUserData(fts));
    if (counts->inStep) {
        const sqlite3_int64 rowid = api->xRowid(fts);
        if (rowid >= 0 && rowid < sqlite3_int64(counts->byRowid.size()))
            length = counts->byRowid[size_t(rowid)];
    }
    if (rc == SQLITE_OK && length < 0)
        rc = api->xColumnSize(fts, -1, &length);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(context, rc);
        return;
    }
    const double d = double(length);
    double score = 0.0;
    for (size_t i = 0; i < terms->idf.size(); ++i)
        score += terms->idf[i] * ((terms->frequency[i] * (k1 + 1.0)) /
                                  (terms->frequency[i] + k1 * (1 - b + b * d / terms->averageLength)));
    sqlite3_result_double(context, -1.0 * score);
}

Result<TokenCounts *> registeredCounts(sqlite3 *db)
{
    {
        QMutexLocker lock(&registryMutex);
        if (TokenCounts *counts = registry.value(db))
            return counts;
    }
    // The FTS5 API comes as a pointer bound to a statement: raw SQLite, Statement binds values.
    fts5_api *api = nullptr;
    sqlite3_stmt *st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", nullptr);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (!api)
        return Error::internal(u"this SQLite has no FTS5 API"_s);
    auto *counts = new TokenCounts;
    if (api->xCreateFunction(api, BackstoryRanking::function, counts, rankFunction, destroyCounts) !=
        SQLITE_OK) {
        delete counts;
        return Error::internal(
            u"cannot register %1()"_s.arg(QString::fromLatin1(BackstoryRanking::function)));
    }
    QMutexLocker lock(&registryMutex);
    registry.insert(db, counts);
    return counts;
}

// Sum of the varints of a %_docsize blob: one token count per column.
int tokensOf(const QByteArray &sizes)
{
    int total = 0;
    quint64 value = 0;
    for (const char c : sizes) {
        value = (value << 7) | quint8(c & 0x7f);
        if (!(c & 0x80)) {
            total += int(value);
            value = 0;
        }
    }
    return total;
}

} // namespace

Status BackstoryRanking::prepare(ProjectFile &project, const std::function<qint64()> &hits)
{
    Result<TokenCounts *> registered = registeredCounts(project.handle());
    if (!registered)
        return registered.error();
    TokenCounts &counts = **registered;
    counts.inStep = false;
    // FTS5 rewrites its structure record (segments, write counter) on every write to the index
    // and its totals record (rows, tokens) on every insert or delete: the two say whether the
    // counts still describe this index.
    Statement key = project.prepare("SELECT block FROM backstory_fts_data WHERE id IN (1, 10) ORDER BY id");
    QByteArray indexKey;
    for (Result<bool> row = key.step(); row && *row; row = key.step())
        indexKey += key.columnUtf8(0) + '\0';
    if (indexKey.isEmpty())
        return Status();
    if (indexKey == counts.indexKey) {
        counts.inStep = true;
        return Status();
    }
    Statement last = project.prepare("SELECT coalesce(max(id), 0) FROM backstory_fts_docsize");
    if (Result<bool> row = last.step(); !row || !*row)
        return row ? Status() : Status(row.error());
    const qint64 maxRowid = last.columnInt64(0);
    // Reading every count costs about what FTS5's per-row reads of 1 in 7 stories cost.
    if (maxRowid == 0 || hits() * 7 < maxRowid || maxRowid > (qint64(64) << 20))
        return Status();
    counts.byRowid.assign(size_t(maxRowid + 1), -1);
    Statement all = project.prepare("SELECT id, sz FROM backstory_fts_docsize");
    for (;;) {
        Result<bool> row = all.step();
        if (!row) {
            counts.indexKey.clear();
            return row.error();
        }
        if (!*row)
            break;
        const qint64 rowid = all.columnInt64(0);
        if (rowid >= 0 && rowid <= maxRowid)
            counts.byRowid[size_t(rowid)] = tokensOf(all.columnUtf8(1));
    }
    counts.indexKey = indexKey;
    counts.inStep = true;
    return Status();
}

} // namespace anthology
