#include "export/FinalAnswerCursor.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

// SQLite gives the bare columns of the row holding max(reask), the chain's last re-ask, as long
// as max() is the query's only aggregate (so no min() in the ORDER BY: every re-ask of a chain
// shares its position anyway).
const char *const finalRows =
    "SELECT persona, base_sample, question, state, compliant, option_index, max(reask) FROM items "
    "WHERE run_id = ?1 AND (?2 IS NULL OR base_sample = ?2) "
    "GROUP BY persona, base_sample, question ORDER BY persona, base_sample, position, question";

struct Pending
{
    QString persona;
    int sample = 0;
    QString question;
    std::optional<int> option; // unset: not asked
};

} // namespace

struct FinalAnswerCursor::Private
{
    Statement statement;
    std::optional<Pending> lookahead;
    bool done = false;

    // The next stored row, or nullopt at the end.
    Result<std::optional<Pending>> read()
    {
        Result<bool> row = statement.step();
        if (!row)
            return row.error();
        if (!*row)
            return std::optional<Pending>();
        Pending p;
        p.persona = statement.columnText(0);
        p.sample = statement.columnInt(1);
        p.question = statement.columnText(2);
        if (statement.columnText(3) == u"done"_s) {
            const bool compliant = statement.columnInt(4) != 0 && !statement.isNull(5);
            p.option = compliant ? statement.columnInt(5) + 1 : 0;
        }
        return std::optional<Pending>(p);
    }
};

FinalAnswerCursor::FinalAnswerCursor(const ProjectFile &project, qint64 runId, std::optional<int> sample)
    : d(new Private{project.prepare(finalRows), std::nullopt, false})
{
    if (!d->statement.ok())
        return;
    d->statement.bind(1, runId);
    if (sample)
        d->statement.bind(2, *sample);
    else
        d->statement.bindNull(2);
}

FinalAnswerCursor::~FinalAnswerCursor() = default;

Result<bool> FinalAnswerCursor::next(FinalAnswerRow &row)
{
    if (!d->statement.ok())
        return d->statement.error();
    if (d->done)
        return false;
    if (!d->lookahead) {
        Result<std::optional<Pending>> first = d->read();
        if (!first)
            return first.error();
        if (!*first) {
            d->done = true;
            return false;
        }
        d->lookahead = **first;
    }
    row.persona = d->lookahead->persona;
    row.sample = d->lookahead->sample;
    row.options.clear();
    while (d->lookahead && d->lookahead->persona == row.persona && d->lookahead->sample == row.sample) {
        if (d->lookahead->option)
            row.options.insert(d->lookahead->question, *d->lookahead->option);
        Result<std::optional<Pending>> following = d->read();
        if (!following)
            return following.error();
        d->lookahead = *following;
    }
    if (!d->lookahead)
        d->done = true;
    return true;
}

} // namespace anthology
