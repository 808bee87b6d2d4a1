#pragma once

#include "analysis/StudyReport.h"
#include "util/Result.h"

#include <QList>
#include <QString>

namespace anthology {

class ProjectFile;
class RunAnswersCache;

// One run of a comparison and its row label.
struct ComparedRun
{
    QString label;
    qint64 runId = 0;
};

// The table of `anthology study`, `analyze --runs` and `export study`: each run's final answers
// (sample 0) against a data set's respondents, with subgroups when options.subgroupVariable is
// set. A persona's group is its linked human's value (a run over a matched or respondents persona
// set), else the value of the respondent its backstory's qkey names (a demographics-primed
// story), else its backstory attribute of the variable's name. With a cache the runs' answers
// come from it (a window asking again for the same runs).
class RunComparison
{
public:
    static Result<StudyResult> compute(ProjectFile &project, const QString &dataset,
                                       const QList<ComparedRun> &runs, const StudyOptions &options,
                                       RunAnswersCache *cache = nullptr);
    // The row label of a run in tables and figures: "run 3 (name)".
    static QString runLabel(qint64 runId, const QString &name);
};

} // namespace anthology
