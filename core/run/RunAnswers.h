#pragma once

#include "analysis/ModelAnswers.h"
#include "util/Result.h"

#include <QByteArray>

namespace anthology {

class ProjectFile;
struct FinalItem;

// A run's answers for the analysis: per persona and question the final answer of one sample
// (after compliance forcing, the last re-ask), as the option 1..K or non-compliant; items
// still pending or failed are left out (not asked).
class RunAnswers
{
public:
    static Result<ModelAnswers> load(const ProjectFile &project, qint64 runId, int sample = 0);
    // Adds one row of FinalAnswerQuery as load() does (for a reader that also wants other things
    // from the same rows).
    static void add(ModelAnswers &answers, const FinalItem &item);
    // The same as the CSV that `anthology analyze --answers` reads: persona,question,option.
    static Result<QByteArray> toCsv(const ProjectFile &project, qint64 runId, int sample = 0);
};

} // namespace anthology
