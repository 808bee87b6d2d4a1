#include "export/FinalAnswerCursor.h"

#include "run/FinalAnswerQuery.h"

namespace anthology {

struct FinalAnswerCursor::Private
{
    FinalAnswerQuery query;
    std::optional<FinalItem> lookahead;
    bool done = false;

    // The next final item, or nullopt at the end.
    Result<std::optional<FinalItem>> read()
    {
        FinalItem item;
        Result<bool> row = query.next(item);
        if (!row)
            return row.error();
        return *row ? std::optional<FinalItem>(std::move(item)) : std::nullopt;
    }
};

FinalAnswerCursor::FinalAnswerCursor(const ProjectFile &project, qint64 runId, std::optional<int> sample)
    : d(new Private{FinalAnswerQuery(project, runId, sample), std::nullopt, false})
{
}

FinalAnswerCursor::~FinalAnswerCursor() = default;

Result<bool> FinalAnswerCursor::next(FinalAnswerRow &row)
{
    if (d->done)
        return false;
    if (!d->lookahead) {
        Result<std::optional<FinalItem>> first = d->read();
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
        if (d->lookahead->done)
            row.options.insert(d->lookahead->question, d->lookahead->option);
        Result<std::optional<FinalItem>> following = d->read();
        if (!following)
            return following.error();
        d->lookahead = *following;
    }
    if (!d->lookahead)
        d->done = true;
    return true;
}

} // namespace anthology
