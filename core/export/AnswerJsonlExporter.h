#pragma once

#include "util/Result.h"

#include <QString>

namespace anthology {

class ProjectFile;

// A run's items as JSON Lines, one object per item in plan order, streamed from the project.
// The request and response are embedded as the JSON objects stored (requests are stored
// without credentials, so none can appear here).
//
// answers: run, item, persona, persona_revision, question, position, sample, base_sample,
// reask, state, raw_answer, option (1..K or null), label, compliant, attempts, latency_ms,
// prompt_tokens, completion_tokens, cost, error, from_cache, logprobs, request, response.
// requests: the request log only: run, item, persona, question, sample, reask, state,
// attempts, latency_ms, error, from_cache, request, response.
//
// Written through a temporary file renamed on success; returns the number of lines.
class AnswerJsonlExporter
{
public:
    static Result<qint64> writeAnswers(const ProjectFile &project, qint64 runId, const QString &path);
    static Result<qint64> writeRequests(const ProjectFile &project, qint64 runId, const QString &path);

private:
    static Result<qint64> write(const ProjectFile &project, qint64 runId, const QString &path, bool answers);
};

} // namespace anthology
