#include "export/RunItemCursor.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"

namespace anthology {

namespace {

const char *const withPayloads =
    "SELECT id, persona, persona_revision, question, position, sample, base_sample, reask, state, "
    "raw_answer, parsed_answer, option_index, compliant, logprobs, latency_ms, prompt_tokens, "
    "completion_tokens, cost, attempts, error, from_cache, request, response "
    "FROM items WHERE run_id = ?1 ORDER BY id";

const char *const withoutPayloads =
    "SELECT id, persona, persona_revision, question, position, sample, base_sample, reask, state, "
    "raw_answer, parsed_answer, option_index, compliant, logprobs, latency_ms, prompt_tokens, "
    "completion_tokens, cost, attempts, error, from_cache "
    "FROM items WHERE run_id = ?1 ORDER BY id";

std::optional<int> optionalInt(const Statement &s, int column)
{
    if (s.isNull(column))
        return std::nullopt;
    return s.columnInt(column);
}

} // namespace

struct RunItemCursor::Private
{
    Statement statement;
    bool payloads = false;
};

RunItemCursor::RunItemCursor(const ProjectFile &project, qint64 runId, bool payloads)
    : d(new Private{project.prepare(payloads ? withPayloads : withoutPayloads), payloads})
{
    if (d->statement.ok())
        d->statement.bind(1, runId);
}

RunItemCursor::~RunItemCursor() = default;

Result<bool> RunItemCursor::next(ExportedItem &item)
{
    Statement &s = d->statement;
    if (!s.ok())
        return s.error();
    Result<bool> row = s.step();
    if (!row || !*row)
        return row;
    item.id = s.columnInt64(0);
    item.persona = s.columnText(1);
    item.personaRevision = s.columnInt(2);
    item.question = s.columnText(3);
    item.position = s.columnInt(4);
    item.sample = s.columnInt(5);
    item.baseSample = s.columnInt(6);
    item.reask = s.columnInt(7);
    item.state = s.columnText(8);
    item.rawAnswer = s.columnText(9);
    item.parsedAnswer = s.columnText(10);
    item.optionIndex = optionalInt(s, 11);
    item.compliant = s.isNull(12) ? std::nullopt : std::optional<bool>(s.columnInt(12) != 0);
    item.logprobs = s.columnUtf8(13);
    item.latencyMs = s.columnOptionalInt64(14);
    item.promptTokens = s.columnOptionalInt64(15);
    item.completionTokens = s.columnOptionalInt64(16);
    item.cost = s.columnOptionalDouble(17);
    item.attempts = s.columnInt(18);
    item.error = s.columnText(19);
    item.fromCache = s.columnInt(20) != 0;
    if (d->payloads) {
        item.request = s.columnUtf8(21);
        item.response = s.columnUtf8(22);
    } else {
        item.request.clear();
        item.response.clear();
    }
    return true;
}

Result<bool> RunItemCursor::hasLogprobs(const ProjectFile &project, qint64 runId)
{
    Statement s = project.prepare(
        "SELECT EXISTS (SELECT 1 FROM items WHERE run_id = ?1 AND logprobs IS NOT NULL AND logprobs <> '')");
    if (!s.ok())
        return s.error();
    s.bind(1, runId);
    Result<bool> row = s.step();
    if (!row)
        return row.error();
    return *row && s.columnInt(0) != 0;
}

} // namespace anthology
