#include "run/FinalAnswerQuery.h"

#include "project/ProjectFile.h"

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

// SQLite gives the bare columns of the row holding max(reask), the chain's last re-ask, as long
// as max() is the query's only aggregate. (run, persona, question, sample) is unique and a
// chain's samples differ by re-ask, so each chain has one such row. Every re-ask of a chain shares
// its position, so grouping by position as well makes the same groups, in the order the rows are
// wanted: one sort instead of two (a third less time for a large run).
QByteArray finalRows(FinalAnswerQuery::Logprobs logprobs)
{
    return QByteArray("SELECT persona, base_sample, question, state, compliant, option_index, ") +
           (logprobs == FinalAnswerQuery::Logprobs::Read ? "logprobs" : "NULL") +
           ", max(reask) FROM items WHERE run_id = ?1 AND (?2 IS NULL OR base_sample = ?2) "
           "GROUP BY persona, base_sample, position, question ORDER BY persona, base_sample, position, question";
}

} // namespace

FinalAnswerQuery::FinalAnswerQuery(const ProjectFile &project, qint64 runId, std::optional<int> sample,
                                   Logprobs logprobs)
    : m_statement(project.prepare(finalRows(logprobs)))
{
    if (!m_statement.ok())
        return;
    m_statement.bind(1, runId);
    if (sample)
        m_statement.bind(2, *sample);
    else
        m_statement.bindNull(2);
}

Result<bool> FinalAnswerQuery::next(FinalItem &item)
{
    if (!m_statement.ok())
        return m_statement.error();
    Result<bool> row = m_statement.step();
    if (!row || !*row)
        return row;
    item.persona = m_statement.columnText(0);
    item.sample = m_statement.columnInt(1);
    item.question = m_statement.columnText(2);
    item.done = m_statement.columnText(3) == u"done"_s;
    const bool compliant = item.done && m_statement.columnInt(4) != 0 && !m_statement.isNull(5);
    item.option = compliant ? m_statement.columnInt(5) + 1 : 0;
    item.logprobs = m_statement.columnUtf8(6);
    return true;
}

Status FinalAnswerQuery::forEach(const std::function<Status(const FinalItem &)> &take)
{
    FinalItem item;
    while (true) {
        Result<bool> row = next(item);
        if (!row)
            return row.error();
        if (!*row)
            return {};
        if (Status taken = take(item); !taken)
            return taken;
    }
}

} // namespace anthology
