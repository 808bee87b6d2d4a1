#include "run/RunAnswersCache.h"

#include "project/PragmaInt.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "run/FinalAnswerQuery.h"
#include "run/RunAnswers.h"

using namespace Qt::StringLiterals;

namespace anthology {

RunAnswersCache::RunAnswersCache(int capacity) : m_capacity(qMax(1, capacity)) {}

void RunAnswersCache::clear()
{
    m_entries.clear();
    m_project = nullptr;
}

Result<ModelAnswers> RunAnswersCache::answers(const ProjectFile &project, qint64 runId)
{
    Result<Entry *> entry = filled(project, runId);
    if (!entry)
        return entry.error();
    return (*entry)->answers;
}

Result<QHash<QString, ExpectedDistribution>> RunAnswersCache::expected(const ProjectFile &project, qint64 runId)
{
    Result<Entry *> entry = filled(project, runId);
    if (!entry)
        return entry.error();
    return (*entry)->expected;
}

// The answers and the expectations come from one pass over the final rows (with their logprobs):
// the Results tab wants both, and the query's sort is most of the cost.
Result<RunAnswersCache::Entry *> RunAnswersCache::filled(const ProjectFile &project, qint64 runId)
{
    Result<Entry *> entry = current(project, runId);
    if (!entry)
        return entry.error();
    if ((*entry)->filled) {
        ++m_hits;
        return entry;
    }
    ModelAnswers answers;
    ExpectedShares shares(runId);
    const Status read = FinalAnswerQuery(project, runId, 0, FinalAnswerQuery::Logprobs::Read)
                            .forEach([&](const FinalItem &item) {
                                RunAnswers::add(answers, item);
                                return shares.add(item);
                            });
    if (!read)
        return read.error();
    (*entry)->answers = std::move(answers);
    (*entry)->expected = std::move(shares).means();
    (*entry)->filled = true;
    return entry;
}

// The entry of `runId`, emptied if the run changed since it was filled.
Result<RunAnswersCache::Entry *> RunAnswersCache::current(const ProjectFile &project, qint64 runId)
{
    if (m_project != &project) {
        clear();
        m_project = &project;
    }
    Result<qint64> version = pragmaInt(project.handle(), "PRAGMA data_version");
    if (!version)
        return version.error();
    Entry &entry = m_entries[runId];
    entry.lastUse = ++m_uses;
    // Nothing written by another connection since the stamp was confirmed: it still holds. A
    // connection that may write itself does not move its own data_version: it reads the stamp.
    const bool writes = project.mode() != ProjectFile::Mode::ReadOnly;
    if (writes || entry.stamp.isEmpty() || entry.confirmedAt != *version) {
        Result<QByteArray> stamp = stampOf(project, runId);
        if (!stamp) {
            m_entries.remove(runId);
            return stamp.error();
        }
        if (*stamp != entry.stamp)
            entry = Entry{*stamp, *version, false, {}, {}, entry.lastUse};
        entry.confirmedAt = *version;
    }
    evictBeyondCapacity();
    return &m_entries[runId];
}

// Items only ever change state (pending, done, failed) or arrive (re-asks), so their counts by
// state change whenever the answers can; a run deleted and its id reused has other items (ids)
// and most likely another creation time. One pass over the run's entries of items_by_state.
Result<QByteArray> RunAnswersCache::stampOf(const ProjectFile &project, qint64 runId) const
{
    Statement query = project.prepare(
        "SELECT created || ' ' || status || ' ' || name, (SELECT group_concat(state || '=' || n || '/' || ids, ' ') "
        "FROM (SELECT state, count(*) AS n, sum(id) AS ids FROM items WHERE run_id = ?1 GROUP BY state)) "
        "FROM runs WHERE id = ?1");
    if (!query.ok())
        return query.error();
    query.bind(1, runId);
    Result<bool> row = query.step();
    if (!row)
        return row.error();
    if (!*row)
        return Error::user(u"no run %1 in this project"_s.arg(runId)).withKey(u"run"_s);
    return QByteArray(query.columnUtf8(0) + '|' + query.columnUtf8(1));
}

void RunAnswersCache::evictBeyondCapacity()
{
    while (m_entries.size() > m_capacity) {
        auto oldest = m_entries.begin();
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it)
            if (it->lastUse < oldest->lastUse)
                oldest = it;
        m_entries.erase(oldest);
    }
}

} // namespace anthology
