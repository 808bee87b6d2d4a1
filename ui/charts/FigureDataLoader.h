#pragma once

#include "charts/FigureData.h"
#include "util/Result.h"

namespace anthology {
class ProjectFile;
class RunAnswersCache;
}

namespace anthology::ui {

// What a figure needs to know: the runs (by id), the data set and the study options.
struct FigureRequest
{
    QString dataset;
    QList<qint64> runIds;
    StudyOptions options; // subgroup variable, metric; the metric options of `anthology analyze`

    QString cacheKey() const;
    // The `anthology figures` command line that redraws these figures.
    QStringList commandLine(const QString &format, const QString &outputDir) const;
};

// Computes FigureData through the same core path as `anthology analyze --runs` and
// `anthology study` (RunComparison with the same labels), plus each run's logprob expectation.
// Runs on any thread with its own connection.
class FigureDataLoader final
{
public:
    static Result<FigureData> load(ProjectFile &project, const FigureRequest &request,
                                   RunAnswersCache *cache = nullptr);
};

} // namespace anthology::ui
