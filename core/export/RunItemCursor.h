#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <optional>

namespace anthology {

class ProjectFile;

// Every stored column of one item, as an export writes it.
struct ExportedItem
{
    qint64 id = 0;
    QString persona;
    int personaRevision = 1;
    QString question;
    int position = 0;
    int sample = 0;
    int baseSample = 0;
    int reask = 0;
    QString state;
    QByteArray request;  // canonical request JSON (only when the cursor reads payloads)
    QByteArray response; // response JSON (idem)
    QString rawAnswer;
    QString parsedAnswer;
    std::optional<int> optionIndex; // 0-based original option
    std::optional<bool> compliant;  // unset while pending
    QByteArray logprobs;            // distribution JSON, empty when none
    std::optional<qint64> latencyMs;
    std::optional<qint64> promptTokens;
    std::optional<qint64> completionTokens;
    std::optional<double> cost;
    int attempts = 0;
    QString error;
    bool fromCache = false;

    // 1..K when compliant, else nullopt.
    std::optional<int> option() const
    {
        if (compliant.value_or(false) && optionIndex && *optionIndex >= 0)
            return *optionIndex + 1;
        return std::nullopt;
    }
};

// Walks a run's items in plan order (by id) with one prepared statement, one row in memory at a
// time, so a run of any size exports in constant memory.
class RunItemCursor
{
public:
    // `payloads`: also read the request and response JSON (the heavy columns).
    RunItemCursor(const ProjectFile &project, qint64 runId, bool payloads);
    ~RunItemCursor();
    RunItemCursor(const RunItemCursor &) = delete;
    RunItemCursor &operator=(const RunItemCursor &) = delete;

    // True with `item` filled, false at the end; an Error when SQLite fails.
    Result<bool> next(ExportedItem &item);

    // Whether any item of the run has a logprob distribution.
    static Result<bool> hasLogprobs(const ProjectFile &project, qint64 runId);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace anthology
