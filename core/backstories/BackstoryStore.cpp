#include "backstories/BackstoryStore.h"

#include "backstories/BackstoryRanking.h"
#include "backstories/BackstorySearchQuery.h"
#include "backstories/TokenEstimate.h"

#include "project/PragmaInt.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "project/Transaction.h"

#include <QHash>
#include <QJsonDocument>

#include <sqlite3.h>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

constexpr int previewLength = 200;

const char *orderBy(BackstorySort sort)
{
    switch (sort) {
    case BackstorySort::Id:
        return "id";
    case BackstorySort::UidAscending:
        return "uid";
    case BackstorySort::UidDescending:
        return "uid DESC";
    case BackstorySort::LengthAscending:
        return "char_count, id";
    case BackstorySort::LengthDescending:
        return "char_count DESC, id DESC";
    case BackstorySort::TokensAscending:
        return "token_count, id";
    case BackstorySort::TokensDescending:
        return "token_count DESC, id DESC";
    }
    return "id";
}

BackstorySummary summaryFrom(const Statement &st)
{
    BackstorySummary s;
    s.id = st.columnInt64(0);
    s.uid = st.columnText(1);
    s.preview = st.columnText(2);
    s.charCount = st.columnInt(3);
    s.tokenCount = st.columnOptionalInt64(4);
    s.revision = st.columnInt(5);
    s.tokenCountEstimated = st.columnInt(6) != 0;
    return s;
}

QJsonObject jsonObject(const QByteArray &utf8)
{
    return utf8.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(utf8).object();
}

// What a search connection maps of the project file: SQLite's default ceiling (it clamps a
// larger value to the one it was built with).
constexpr qint64 mapLimit = 0x7fff0000;

qint64 pragmaValue(const ProjectFile &project, const char *pragma)
{
    const Result<qint64> value = pragmaInt(project.handle(), pragma);
    return value ? *value : 0;
}

Error unknownUid(const QString &uid)
{
    return Error::user(u"no backstory with uid “%1” in this project"_s.arg(uid)).withKey(u"uid"_s);
}

} // namespace

// A read transaction for one search unless the caller already has a transaction open: the
// ranking's cached token counts, the ranking and the page's rows then see one index.
class BackstoryStore::SearchRead
{
public:
    explicit SearchRead(const ProjectFile &project)
        : m_project(project), m_own(sqlite3_get_autocommit(project.handle()) != 0)
    {
        m_own = m_own && m_project.exec("SAVEPOINT backstory_search").ok();
    }
    ~SearchRead()
    {
        if (m_own && !m_project.exec("RELEASE backstory_search"))
            qWarning("could not end the search's read transaction");
    }
    Q_DISABLE_COPY_MOVE(SearchRead)
    // False inside the caller's transaction, which may hold index writes FTS5 has not flushed.
    bool own() const { return m_own; }

private:
    const ProjectFile &m_project;
    bool m_own;
};

BackstoryStore::BackstoryStore(ProjectFile &project) : m_project(project) {}

int BackstoryStore::count() const
{
    Statement st = m_project.prepare("SELECT count(*) FROM backstories");
    Result<bool> row = st.step();
    return row && *row ? st.columnInt(0) : 0;
}

QList<BackstorySummary> BackstoryStore::page(int offset, int limit, BackstorySort sort) const
{
    const QByteArray sql = "SELECT id, uid, substr(text, 1, " + QByteArray::number(previewLength) +
                           "), char_count, token_count, revision, token_count_estimated FROM backstories ORDER BY " + orderBy(sort) +
                           " LIMIT ?1 OFFSET ?2";
    Statement st = m_project.prepare(sql);
    st.bind(1, limit).bind(2, offset);
    QList<BackstorySummary> out;
    for (Result<bool> row = st.step(); row && *row; row = st.step())
        out.append(summaryFrom(st));
    return out;
}

QList<qint64> BackstoryStore::ids(BackstorySort sort) const
{
    // Without ORDER BY SQLite scans the smallest covering index; the id order is then a sort
    // of 100,000 integers here, not a walk over every row of the table (~50,000 pages).
    const bool byId = sort == BackstorySort::Id;
    const QByteArray sql = byId ? QByteArray("SELECT id FROM backstories")
                                : "SELECT id FROM backstories ORDER BY " + QByteArray(orderBy(sort));
    Statement st = m_project.prepare(sql);
    QList<qint64> out;
    for (Result<bool> row = st.step(); row && *row; row = st.step())
        out.append(st.columnInt64(0));
    if (byId)
        std::sort(out.begin(), out.end());
    return out;
}

QList<BackstorySummary> BackstoryStore::summaries(const QList<qint64> &ids) const
{
    const QByteArray sql = "SELECT id, uid, substr(text, 1, " + QByteArray::number(previewLength) +
                           "), char_count, token_count, revision, token_count_estimated FROM backstories WHERE id = ?1";
    Statement st = m_project.prepare(sql);
    QList<BackstorySummary> out;
    out.reserve(ids.size());
    for (const qint64 id : ids) {
        st.reset();
        st.bind(1, id);
        if (Result<bool> row = st.step(); row && *row)
            out.append(summaryFrom(st));
    }
    return out;
}

Result<QString> BackstoryStore::matchExpression(const QString &query, SearchSyntax syntax) const
{
    if (syntax == SearchSyntax::Fts5)
        return query.trimmed();
    return BackstorySearchQuery::toFts5(query);
}

Result<QList<BackstorySummary>> BackstoryStore::search(const QString &query, int limit, SearchSyntax syntax,
                                                       int offset) const
{
    SearchRead read(m_project);
    Result<QList<qint64>> ids = rankedIds(read, query, limit, syntax, offset, nullptr);
    if (!ids)
        return ids.error();
    return rowsOf(query, *ids, syntax, std::nullopt);
}

Result<BackstorySearchPage> BackstoryStore::searchPage(const QString &query, int limit, SearchSyntax syntax,
                                                       int offset) const
{
    SearchRead read(m_project);
    BackstorySearchPage page;
    Result<QList<qint64>> ids = rankedIds(read, query, limit, syntax, offset, &page.total);
    if (!ids)
        return ids.error();
    Result<QList<BackstorySummary>> rows = rowsOf(query, *ids, syntax, page.total);
    if (!rows)
        return rows.error();
    page.hits = std::move(rows).value();
    return page;
}

Result<QList<qint64>> BackstoryStore::searchIds(const QString &query, int limit, SearchSyntax syntax,
                                                int *total) const
{
    SearchRead read(m_project);
    return rankedIds(read, query, limit, syntax, 0, total);
}

Status BackstoryStore::prepareSearch() const
{
    // Outside any transaction: SQLite maps the file between reads. Through the connection's
    // page cache the first search of a common word copied in the ~1,200 pages of its hits
    // (~5 MB, ~half its time), and a later one whatever the cache had let go; mapped, a page
    // is read in place, and touched once here it costs a search nothing.
    const bool inTransaction = sqlite3_get_autocommit(m_project.handle()) == 0;
    if (!inTransaction && !m_project.exec(QByteArray("PRAGMA mmap_size = " + QByteArray::number(mapLimit))))
        qWarning("could not map the project for searching");
    SearchRead read(m_project);
    if (!read.own())
        return Status();
    if (Status warmed = BackstoryRanking::warm(m_project); !warmed)
        return warmed;
    // Every page of the index (~60 MB per 100,000 stories, ~40 ms), when the map holds the
    // whole file: a page past the map would only pass through the small page cache.
    const qint64 fileBytes =
        pragmaValue(m_project, "PRAGMA page_count") * pragmaValue(m_project, "PRAGMA page_size");
    if (fileBytes <= pragmaValue(m_project, "PRAGMA mmap_size")) {
        Statement touch = m_project.prepare("SELECT count(*) FROM backstory_fts_data");
        if (Result<bool> row = touch.step(); !row)
            return row.error();
    }
    return Status();
}

Result<QList<qint64>> BackstoryStore::rankedIds(const SearchRead &read, const QString &query, int limit,
                                                SearchSyntax syntax, int offset, int *total) const
{
    Result<QString> match = matchExpression(query, syntax);
    if (!match)
        return match.error();
    QList<qint64> ids;
    if (total)
        *total = 0;
    if (match->isEmpty())
        return ids;
    // One pass over the matches scores each (reading only rowids, no text) and counts them, and
    // the best offset + limit stay in a bounded heap: what ORDER BY rank, rowid LIMIT keeps, without
    // a second evaluation of the expression for the count. FTS5's own ORDER BY rank goes through a
    // slower path than calling a rank function directly. bm25 is what rank means by default;
    // anthology_bm25 is the same score without a table read per match.
    QByteArray rank = "bm25";
    if (read.own() && BackstoryRanking::prepare(m_project).ok())
        rank = BackstoryRanking::function;
    Statement ranked = m_project.prepare(QByteArray(
        "SELECT rowid, " + rank + "(backstory_fts) FROM backstory_fts WHERE backstory_fts MATCH ?1"));
    ranked.bind(1, *match);
    using Hit = std::pair<double, qint64>; // score, then rowid: the order of ORDER BY rank, rowid
    // A negative limit is no limit, as in SQL.
    const qint64 keep = limit < 0 ? std::numeric_limits<qint64>::max() : qint64(std::max(offset, 0)) + limit;
    std::vector<Hit> best;
    best.reserve(size_t(std::min<qint64>(keep, 1 << 16)));
    int hits = 0;
    for (;;) {
        Result<bool> row = ranked.step();
        if (!row)
            return Error::user(u"cannot search for “%1”: %2"_s.arg(query, row.error().message));
        if (!*row)
            break;
        ++hits;
        const Hit hit(ranked.columnDouble(1), ranked.columnInt64(0));
        if (qint64(best.size()) < keep) {
            best.push_back(hit);
            std::push_heap(best.begin(), best.end());
        } else if (keep > 0 && hit < best.front()) {
            std::pop_heap(best.begin(), best.end());
            best.back() = hit;
            std::push_heap(best.begin(), best.end());
        }
    }
    std::sort_heap(best.begin(), best.end());
    for (size_t i = size_t(std::max(offset, 0)); i < best.size(); ++i)
        ids.append(best[i].second);
    if (total)
        *total = hits;
    return ids;
}

Result<QList<BackstorySummary>> BackstoryStore::searchRows(const QString &query, const QList<qint64> &ids,
                                                           SearchSyntax syntax) const
{
    return rowsOf(query, ids, syntax, std::nullopt);
}

Result<QList<BackstorySummary>> BackstoryStore::rowsOf(const QString &query, const QList<qint64> &ids,
                                                       SearchSyntax syntax, std::optional<int> hits) const
{
    Result<QString> match = matchExpression(query, syntax);
    if (!match)
        return match.error();
    QList<BackstorySummary> out;
    if (match->isEmpty())
        return out;
    if (ids.isEmpty())
        return out;
    static const QByteArray columns =
        "SELECT b.id, b.uid, substr(b.text, 1, " + QByteArray::number(previewLength) +
        "), b.char_count, b.token_count, b.revision, b.token_count_estimated, "
        "snippet(backstory_fts, 0, char(2), char(3), '…', 24) "
        "FROM backstory_fts JOIN backstories b ON b.id = backstory_fts.rowid WHERE backstory_fts MATCH ?1 ";
    QHash<qint64, BackstorySummary> rows;
    const auto readRows = [&](Statement &st) -> Status {
        for (;;) {
            Result<bool> row = st.step();
            if (!row)
                return Error::user(u"cannot search for “%1”: %2"_s.arg(query, row.error().message));
            if (!*row)
                return Status();
            BackstorySummary s = summaryFrom(st);
            s.snippet = st.columnText(7);
            rows.insert(s.id, std::move(s));
        }
    };
    // Two ways to the rows. Row by row, FTS5 evaluates the expression once per id, seeking each
    // term's hits to that id: ~40-70 µs a row for common words, the snippet included. Together,
    // one statement walks the hits between the smallest and largest id, the unary + keeping the
    // id list a filter, not a rowid lookup that would evaluate the expression again per row:
    // ~0.1-0.2 µs per hit in that range (10-17 ms for a word in every story). So row by row pays
    // when there are more than ~300 hits per id, or, with the count unknown, for up to 100 ids
    // (at most ~7 ms). A prefix term is merged from every matching term at each evaluation (~16
    // ms a row for pot* over 100,000 stories): always together.
    const qsizetype perRowLimit = hits ? qsizetype(*hits / 300) : 100;
    if (!match->contains(u'*') && ids.size() <= perRowLimit) {
        Statement st = m_project.prepare(QByteArray(columns + "AND backstory_fts.rowid = ?2"));
        for (const qint64 id : ids) {
            st.reset();
            st.bind(1, *match).bind(2, id);
            if (Status read = readRows(st); !read)
                return read.error();
        }
    } else {
        QByteArray list = "[";
        qint64 low = ids.first(), high = ids.first();
        for (const qint64 id : ids) {
            list += QByteArray::number(id) + ',';
            low = std::min(low, id);
            high = std::max(high, id);
        }
        list.back() = ']';
        Statement st = m_project.prepare(
            QByteArray(columns + "AND backstory_fts.rowid BETWEEN ?2 AND ?3 "
                                 "AND +backstory_fts.rowid IN (SELECT value FROM json_each(?4))"));
        st.bind(1, *match).bind(2, low).bind(3, high).bindUtf8(4, list);
        if (Status read = readRows(st); !read)
            return read.error();
    }
    for (const qint64 id : ids) {
        if (auto it = rows.find(id); it != rows.end())
            out.append(std::move(it.value()));
    }
    return out;
}

Result<int> BackstoryStore::searchCount(const QString &query, SearchSyntax syntax) const
{
    Result<QString> match = matchExpression(query, syntax);
    if (!match)
        return match.error();
    if (match->isEmpty())
        return 0;
    return countMatches(query, *match);
}

Result<int> BackstoryStore::countMatches(const QString &query, const QString &match) const
{
    Statement st = m_project.prepare("SELECT count(*) FROM backstory_fts WHERE backstory_fts MATCH ?1");
    st.bind(1, match);
    Result<bool> row = st.step();
    if (!row)
        return Error::user(u"cannot search for “%1”: %2"_s.arg(query, row.error().message));
    return st.columnInt(0);
}

std::optional<Backstory> BackstoryStore::get(const QString &uid) const
{
    if (!m_get)
        m_get = std::make_shared<Statement>(
            m_project.prepare("SELECT id, uid, text, coalesce(passage_prefix || text, full_passage), "
                              "token_count, logprob, model, sampling, attributes, revision, "
                              "token_count_estimated FROM backstories WHERE uid = ?1"));
    Statement &st = *m_get;
    st.reset();
    st.bind(1, uid);
    Result<bool> row = st.step();
    std::optional<Backstory> out;
    if (row && *row) {
        Backstory &b = out.emplace();
        b.id = st.columnInt64(0);
        b.uid = st.columnText(1);
        b.text = st.columnText(2);
        if (!st.isNull(3))
            b.fullPassage = st.columnText(3);
        b.tokenCount = st.columnOptionalInt64(4);
        b.logprob = st.columnOptionalDouble(5);
        b.model = st.columnText(6);
        b.sampling = jsonObject(st.columnUtf8(7));
        b.attributes = jsonObject(st.columnUtf8(8));
        b.revision = st.columnInt(9);
        b.tokenCountEstimated = st.columnInt(10) != 0;
    }
    st.reset(); // ends the read: a statement left stepping holds its snapshot open
    return out;
}

Result<int> BackstoryStore::edit(const QString &uid, const QString &newText)
{
    return replaceText(uid, false, newText);
}

Result<int> BackstoryStore::undo(const QString &uid)
{
    return replaceText(uid, true, {});
}

Result<int> BackstoryStore::replaceText(const QString &uid, bool undoing, const QString &newText)
{
    if (m_project.mode() == ProjectFile::Mode::ReadOnly)
        return Error::user(u"the project is open read-only"_s).withFile(m_project.path());
    Transaction tx(m_project.handle());
    if (!tx.status())
        return tx.status().error();

    Statement current = m_project.prepare("SELECT id, text, revision, parent_revision, edited_at, "
                                          "token_count, token_count_estimated FROM backstories WHERE uid = ?1");
    current.bind(1, uid);
    Result<bool> found = current.step();
    if (!found)
        return found.error();
    if (!*found)
        return unknownUid(uid);
    const qint64 id = current.columnInt64(0);
    const QString oldText = current.columnText(1);
    const int revision = current.columnInt(2);
    const std::optional<qint64> parent = current.columnOptionalInt64(3);
    const QString editedAt = current.columnText(4);
    const TokenCount oldTokens{current.columnOptionalInt64(5), current.columnInt(6) != 0};

    QString text = newText;
    std::optional<qint64> newParent = revision;
    TokenCount tokens;
    if (undoing) {
        if (!parent)
            return Error::user(u"nothing to undo: “%1” has its original text"_s.arg(uid));
        Statement target = m_project.prepare("SELECT text, parent_revision, token_count, token_count_estimated "
                                             "FROM backstory_revisions WHERE backstory_id = ?1 AND revision = ?2");
        target.bind(1, id).bind(2, *parent);
        Result<bool> row = target.step();
        if (!row)
            return row.error();
        if (!*row)
            return Error::internal(u"revision %1 of “%2” is missing"_s.arg(*parent).arg(uid));
        text = target.columnText(0);
        newParent = target.columnOptionalInt64(1);
        tokens = {target.columnOptionalInt64(2), target.columnInt(3) != 0};
    } else if (newText == oldText) {
        return revision;
    } else {
        Result<TokenCount> estimate = tokensOfEdit(id, newText, oldText, oldTokens);
        if (!estimate)
            return estimate.error();
        tokens = *estimate;
    }

    Statement keep = m_project.prepare(
        "INSERT INTO backstory_revisions(backstory_id, revision, parent_revision, text, edited_at, token_count, "
        "token_count_estimated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    keep.bind(1, id).bind(2, revision).bind(3, parent).bind(4, oldText);
    keep.bind(5, editedAt.isEmpty() ? QString() : editedAt);
    keep.bind(6, oldTokens.count).bind(7, int(oldTokens.estimated));
    if (Status s = keep.exec(); !s)
        return s.error();

    Statement unindex =
        m_project.prepare("INSERT INTO backstory_fts(backstory_fts, rowid, text) VALUES ('delete', ?1, ?2)");
    if (Status s = unindex.bind(1, id).bind(2, oldText).exec(); !s)
        return s.error();
    Statement update = m_project.prepare("UPDATE backstories SET text = ?2, revision = ?3, parent_revision = ?4, "
                                         "edited_at = ?5, token_count = ?6, token_count_estimated = ?7 WHERE id = ?1");
    update.bind(1, id).bind(2, text).bind(3, revision + 1).bind(4, newParent);
    update.bind(5, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    update.bind(6, tokens.count).bind(7, int(tokens.estimated));
    if (Status s = update.exec(); !s)
        return s.error();
    Statement index = m_project.prepare("INSERT INTO backstory_fts(rowid, text) VALUES (?1, ?2)");
    if (Status s = index.bind(1, id).bind(2, text).exec(); !s)
        return s.error();
    if (Status s = tx.commit(); !s)
        return s.error();
    return revision + 1;
}

Result<BackstoryStore::TokenCount> BackstoryStore::tokensOfEdit(qint64 id, const QString &newText,
                                                                const QString &oldText, TokenCount oldTokens) const
{
    // Scale from the latest revision the model counted itself: the current one while it has
    // not been edited, else the newest kept revision with an exact count.
    QString exactText = oldText;
    std::optional<qint64> exactCount = oldTokens.count;
    if (!oldTokens.count || oldTokens.estimated) {
        Statement exact = m_project.prepare("SELECT text, token_count FROM backstory_revisions WHERE backstory_id = ?1 "
                                            "AND token_count IS NOT NULL AND token_count_estimated = 0 "
                                            "ORDER BY revision DESC LIMIT 1");
        exact.bind(1, id);
        Result<bool> row = exact.step();
        if (!row)
            return row.error();
        if (!*row)
            return TokenCount{};
        exactText = exact.columnText(0);
        exactCount = exact.columnInt64(1);
    }
    if (newText == exactText)
        return TokenCount{exactCount, false};
    const std::optional<qint64> estimate = TokenEstimate::scaled(newText, exactText, exactCount);
    return TokenCount{estimate, estimate.has_value()};
}

QList<BackstoryRevision> BackstoryStore::history(const QString &uid) const
{
    QList<BackstoryRevision> out;
    Statement st = m_project.prepare(
        "SELECT r.revision, r.parent_revision, r.edited_at, length(r.text), 0 FROM backstory_revisions r "
        "JOIN backstories b ON b.id = r.backstory_id WHERE b.uid = ?1 "
        "UNION ALL SELECT revision, parent_revision, edited_at, char_count, 1 FROM backstories WHERE uid = "
        "?1 "
        "ORDER BY 1");
    st.bind(1, uid);
    // No error channel here: a failed step ends the history where it failed.
    (void)st.forEachRow([&](const Statement &row) {
        BackstoryRevision r;
        r.revision = row.columnInt(0);
        if (!row.isNull(1))
            r.parentRevision = row.columnInt(1);
        if (!row.isNull(2))
            r.editedAt = QDateTime::fromString(row.columnText(2), Qt::ISODateWithMs);
        r.charCount = row.columnInt(3);
        r.current = row.columnInt(4) != 0;
        out.append(r);
    });
    return out;
}

Result<std::optional<QString>> BackstoryStore::textAtRevision(const QString &uid, int revision) const
{
    Statement current = m_project.prepare("SELECT id, revision, text FROM backstories WHERE uid = ?1");
    current.bind(1, uid);
    Result<bool> found = current.step();
    if (!found)
        return found.error();
    if (!*found)
        return unknownUid(uid);
    if (current.columnInt(1) == revision)
        return std::optional<QString>(current.columnText(2));
    Statement old =
        m_project.prepare("SELECT text FROM backstory_revisions WHERE backstory_id = ?1 AND revision = ?2");
    old.bind(1, current.columnInt64(0)).bind(2, revision);
    Result<bool> row = old.step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<QString>();
    return std::optional<QString>(old.columnText(0));
}

Status BackstoryStore::remove(const QString &uid)
{
    if (m_project.mode() == ProjectFile::Mode::ReadOnly)
        return Error::user(u"the project is open read-only"_s).withFile(m_project.path());
    Transaction tx(m_project.handle());
    if (!tx.status())
        return tx.status();
    Statement find = m_project.prepare("SELECT id, text FROM backstories WHERE uid = ?1");
    find.bind(1, uid);
    Result<bool> found = find.step();
    if (!found)
        return found.error();
    if (!*found)
        return unknownUid(uid);
    const qint64 id = find.columnInt64(0);
    Statement unindex =
        m_project.prepare("INSERT INTO backstory_fts(backstory_fts, rowid, text) VALUES ('delete', ?1, ?2)");
    if (Status s = unindex.bind(1, id).bind(2, find.columnText(1)).exec(); !s)
        return s;
    Statement del = m_project.prepare("DELETE FROM backstories WHERE id = ?1");
    if (Status s = del.bind(1, id).exec(); !s)
        return s;
    return tx.commit();
}

} // namespace anthology
