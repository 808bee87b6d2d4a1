#pragma once

#include "util/Result.h"

#include <QString>

#include <optional>

namespace anthology {

class ProjectFile;

// What driving a planned run will take, worked out before a single request: the plan summary
// the workbench shows before launch. Prompt tokens are counted from the stored requests (about
// four characters a token); items asked in series build their prompts as answers arrive, so
// theirs are taken as the average of those known. Completions are at most max_tokens x n.
struct RunEstimate
{
    qint64 items = 0;    // every item of the run
    qint64 pending = 0;  // still to send (new runs: all of them)
    qint64 requests = 0; // HTTP requests the pending items make (one each)
    qint64 promptTokens = 0;
    qint64 completionTokens = 0; // the most the completions can be
    std::optional<double> cost;  // from the profile's prices; nullopt: none set
    int inFlight = 0;
    std::optional<int> requestsPerMinute;
    std::optional<int> tokensPerMinute;
    // Lower bound from the rate limits; nullopt when the profile sets none.
    std::optional<double> secondsByRateLimit;
    // At one second a request with `inFlight` on the wire (a server's speed is not known ahead).
    double secondsAtOneSecondEach = 0.0;
    QString endpoint; // display URL (or provider) and model
    QString model;

    static Result<RunEstimate> of(ProjectFile &project, qint64 runId, std::optional<int> inFlight = {},
                                  const QString &profileOverride = {});
};

} // namespace anthology
