#pragma once

#include "util/Result.h"

#include <QHash>
#include <QString>

#include <memory>
#include <optional>

namespace anthology {

class ProjectFile;

// One persona's final answers in one sample: per question the option 1..K, or 0 when the
// answer was non-compliant; a question not asked (pending, failed) is absent.
struct FinalAnswerRow
{
    QString persona;
    int sample = 0;
    QHash<QString, int> options;
};

// Walks a run's final answers (FinalAnswerQuery: the last re-ask of each persona, question and
// base sample) one persona and sample at a time, ordered by persona then sample.
class FinalAnswerCursor
{
public:
    // `sample` unset: every sample.
    FinalAnswerCursor(const ProjectFile &project, qint64 runId, std::optional<int> sample);
    ~FinalAnswerCursor();
    FinalAnswerCursor(const FinalAnswerCursor &) = delete;
    FinalAnswerCursor &operator=(const FinalAnswerCursor &) = delete;

    Result<bool> next(FinalAnswerRow &row);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace anthology
