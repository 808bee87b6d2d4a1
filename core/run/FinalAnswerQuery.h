#pragma once

#include "project/Statement.h"
#include "util/Result.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <optional>

namespace anthology {

class ProjectFile;

// The final item of one (persona, question, base sample) chain: its last re-ask, the answer
// that counts after compliance forcing.
struct FinalItem
{
    QString persona;
    int sample = 0; // the base sample
    QString question;
    bool done = false;   // false: still pending, or failed (the question counts as not asked)
    int option = 0;      // done: the option 1..K, or 0 when the answer was non-compliant
    QByteArray logprobs; // the stored option distribution, when read (may be empty)
};

// The one query that picks a run's final answers, for the analysis (RunAnswers), the exports
// (FinalAnswerCursor) and the logprob expectations (ExpectedShares): one row per chain,
// ordered by persona, base sample, then plan position.
class FinalAnswerQuery
{
public:
    enum class Logprobs { Skip, Read };

    // `sample` unset: every base sample.
    FinalAnswerQuery(const ProjectFile &project, qint64 runId, std::optional<int> sample,
                     Logprobs logprobs = Logprobs::Skip);

    // Reads the next final item into `item`: false at the end, an Error when SQLite fails.
    Result<bool> next(FinalItem &item);
    // Hands every remaining final item to `take`, in order; stops at the first error, SQLite's or
    // the one `take` returns.
    Status forEach(const std::function<Status(const FinalItem &)> &take);

private:
    Statement m_statement;
};

} // namespace anthology
