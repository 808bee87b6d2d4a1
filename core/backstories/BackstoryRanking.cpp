#include "backstories/BackstoryRanking.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"

#include <QHash>
#include <QMutex>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

// The token counts of one connection's index, by rowid (-1: not a story when loaded).
struct TokenCounts
{
    sqlite3 *db = nullptr;
    QByteArray indexKey; // the index's structure and totals records when loaded
    std::vector<int> byRowid;
    bool inStep = false; // set by prepare() for the query about to run
    // When prepare() found the counts stale, the query about to run loads them itself once it
    // is clear they pay: the index it reads and its largest rowid, and the lengths asked so far.
    bool mayLoad = false;
    QByteArray pendingKey;
    qint64 lastRowid = 0;
    qint64 asked = 0;
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
    qint64 fewestHits = 0;         // of any phrase (counted up to half the stories): ~the rows an AND ranks
    // Rows whose occurrence counts read from the raw position lists are still checked
    // against FTS5's own iterator (see occurrences()).
    int rowsToCheck = 16;
    bool rawPositions = true;
};

// A phrase's hits, counted until they reach `enough`: from half the stories on, bm25's IDF is
// its floor whatever the exact count (see queryTerms()), so a word in nearly every story is
// counted over half of them. SQLITE_DONE ends xQueryPhrase() without an error.
struct HitCount
{
    qint64 hits = 0;
    qint64 enough = 0;
};

int countHit(const Fts5ExtensionApi *, Fts5Context *, void *data)
{
    auto *count = static_cast<HitCount *>(data);
    return ++count->hits >= count->enough ? SQLITE_DONE : SQLITE_OK;
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
    terms->fewestHits = rows;
    for (int i = 0; i < phrases; ++i) {
        // With 2 * hits >= rows the quotient below is at most 1 (the halves are exact doubles),
        // its log at most 0, and the IDF the floor: the count need not go further.
        HitCount count{0, (rows + 1) / 2};
        *rc = api->xQueryPhrase(fts, i, &count, countHit);
        if (*rc != SQLITE_OK)
            return nullptr;
        const qint64 hits = count.hits;
        terms->fewestHits = std::min(terms->fewestHits, hits);
        const double idf = std::log((rows - hits + 0.5) / (hits + 0.5));
        terms->idf[i] = idf <= 0.0 ? 1e-6 : idf;
    }
    QueryTerms *out = terms.get();
    *rc = api->xSetAuxdata(fts, terms.release(), [](void *p) { delete static_cast<QueryTerms *>(p); });
    return *rc == SQLITE_OK ? out : nullptr;
}

// Sum of the varints of a %_docsize blob: one token count per column.
int tokensOf(const unsigned char *sizes, int bytes)
{
    int total = 0;
    quint64 value = 0;
    for (int i = 0; i < bytes; ++i) {
        value = (value << 7) | (sizes[i] & 0x7f);
        if (!(sizes[i] & 0x80)) {
            total += int(value);
            value = 0;
        }
    }
    return total;
}

// anthology_story_length(id, sz): stores one %_docsize row's token count in the connection's
// array. One aggregate query over the table fills it at SQLite's scan speed (~5 ms per 100,000
// rows), about half the cost of stepping out every row.
void storeLength(sqlite3_context *context, int, sqlite3_value **argv)
{
    auto *counts = static_cast<TokenCounts *>(sqlite3_user_data(context));
    const sqlite3_int64 rowid = sqlite3_value_int64(argv[0]);
    const auto *sizes = static_cast<const unsigned char *>(sqlite3_value_blob(argv[1]));
    if (rowid >= 0 && rowid < sqlite3_int64(counts->byRowid.size()))
        counts->byRowid[size_t(rowid)] = tokensOf(sizes, sqlite3_value_bytes(argv[1]));
    sqlite3_result_int(context, 0);
}

// Reads every story's token count; on failure the counts stay stale and bm25's own reads serve.
bool loadCounts(TokenCounts &counts)
{
    counts.mayLoad = false;
    counts.indexKey.clear();
    counts.byRowid.assign(size_t(counts.lastRowid + 1), -1);
    const int rc =
        sqlite3_exec(counts.db, "SELECT sum(anthology_story_length(id, sz)) FROM backstory_fts_docsize",
                     nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        counts.byRowid.clear();
        return false;
    }
    counts.indexKey = counts.pendingKey;
    counts.inStep = true;
    return true;
}

// The story's token count: from the cached counts, loaded here if this query is large enough
// that reading them all costs less than asking FTS5 row by row (a read of every count costs
// about what FTS5's reads of 1 in 7 stories cost), else from FTS5.
int storyLength(const Fts5ExtensionApi *api, Fts5Context *fts, TokenCounts &counts, const QueryTerms &terms,
                int *rc)
{
    if (counts.mayLoad &&
        (terms.fewestHits * 7 >= counts.lastRowid || ++counts.asked * 7 >= counts.lastRowid))
        loadCounts(counts);
    if (counts.inStep) {
        const sqlite3_int64 rowid = api->xRowid(fts);
        if (rowid >= 0 && rowid < sqlite3_int64(counts.byRowid.size()) && counts.byRowid[size_t(rowid)] >= 0)
            return counts.byRowid[size_t(rowid)];
    }
    int length = 0;
    *rc = api->xColumnSize(fts, -1, &length);
    return length;
}

// The positions left in a position list after its first: one varint each (a byte with the high
// bit clear ends a varint), except a column marker (varint 1, then the column's number), which
// a one-column index never writes. A list with any 0x01 byte is decoded varint by varint.
int positionsAfterFirst(const unsigned char *a, const unsigned char *end)
{
    constexpr quint64 highBits = 0x8080808080808080ull;
    constexpr quint64 ones = 0x0101010101010101ull;
    int n = 0;
    bool maybeMarker = false;
    const unsigned char *p = a;
    for (; end - p >= 8; p += 8) {
        quint64 w;
        std::memcpy(&w, p, 8);
        // One bit per varint end; the multiply sums the eight bytes into the top one.
        n += int(((((~w & highBits) >> 7) * ones) >> 56));
        const quint64 x = w ^ ones;
        maybeMarker |= ((x - ones) & ~x & highBits) != 0;
    }
    for (; p < end; ++p) {
        n += !(*p & 0x80);
        maybeMarker |= *p == 0x01;
    }
    if (!maybeMarker)
        return n;
    n = 0;
    for (p = a; p < end;) {
        quint32 value = 0;
        while (p < end && (*p & 0x80))
            value = (value << 7) | (*p++ & 0x7f);
        if (p < end)
            value = (value << 7) | *p++;
        if (value == 1) { // a marker, then the column's number
            while (p < end && (*p & 0x80))
                ++p;
            ++p;
            continue;
        }
        ++n;
    }
    return n;
}

// How often phrase i occurs in the current row: bm25() adds 1.0 per xInst() instance, and a
// phrase's own position list holds the same instances. Walking it with xPhraseNext() is one
// indirect call per position (a common word is ~25 a story); its bytes are counted directly,
// from the iterator's fields that fts5.h declares. The first rows of every query are counted
// both ways, and a disagreement (another SQLite's layout) keeps the walk for that query.
int occurrences(const Fts5ExtensionApi *api, Fts5Context *fts, QueryTerms &terms, int i, int *rc)
{
    Fts5PhraseIter it;
    int column = 0, offset = 0;
    *rc = api->xPhraseFirst(fts, i, &it, &column, &offset);
    if (*rc != SQLITE_OK || column < 0)
        return 0;
    if (terms.rawPositions && terms.rowsToCheck <= 0)
        return 1 + positionsAfterFirst(it.a, it.b);
    const int raw = it.a && it.b && it.a <= it.b ? 1 + positionsAfterFirst(it.a, it.b) : -1;
    int walked = 0;
    for (; column >= 0; api->xPhraseNext(fts, &it, &column, &offset))
        ++walked;
    if (raw != walked)
        terms.rawPositions = false;
    return walked;
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
    const int phrases = int(terms->idf.size());
    for (int i = 0; rc == SQLITE_OK && i < phrases; ++i)
        terms->frequency[i] = double(occurrences(api, fts, *terms, i, &rc));
    --terms->rowsToCheck;
    int length = 0;
    if (rc == SQLITE_OK)
        length = storyLength(api, fts, *static_cast<TokenCounts *>(api->xUserData(fts)), *terms, &rc);
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
    counts->db = db;
    if (api->xCreateFunction(api, BackstoryRanking::function, counts, rankFunction, destroyCounts) !=
        SQLITE_OK) {
        delete counts;
        return Error::internal(
            u"cannot register %1()"_s.arg(QString::fromLatin1(BackstoryRanking::function)));
    }
    // Direct-only: a schema (a view, a trigger) never calls it; it writes only to this array.
    if (sqlite3_create_function_v2(db, "anthology_story_length", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, counts,
                                   storeLength, nullptr, nullptr, nullptr) != SQLITE_OK)
        return Error::internal(u"cannot register anthology_story_length()"_s);
    QMutexLocker lock(&registryMutex);
    registry.insert(db, counts);
    return counts;
}

} // namespace

Status BackstoryRanking::prepare(ProjectFile &project)
{
    Result<TokenCounts *> registered = registeredCounts(project.handle());
    if (!registered)
        return registered.error();
    TokenCounts &counts = **registered;
    counts.inStep = false;
    counts.mayLoad = false;
    counts.asked = 0;
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
    if (maxRowid == 0 || maxRowid > (qint64(64) << 20))
        return Status();
    counts.pendingKey = indexKey;
    counts.lastRowid = maxRowid;
    counts.mayLoad = true;
    return Status();
}

Status BackstoryRanking::warm(ProjectFile &project)
{
    if (Status prepared = prepare(project); !prepared)
        return prepared;
    Result<TokenCounts *> registered = registeredCounts(project.handle());
    if (!registered)
        return registered.error();
    if ((*registered)->mayLoad && !loadCounts(**registered))
        return Error::internal(u"cannot read the index's story lengths: %1"_s.arg(
            QString::fromUtf8(sqlite3_errmsg(project.handle()))));
    return Status();
}

} // namespace anthology
