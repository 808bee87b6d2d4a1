#pragma once

#include "util/Result.h"

#include <QString>

namespace anthology {

class Dataset;
class ModelAnswers;
class ProjectFile;

// The respondents behind a run's personas: a run over a matched or respondents persona set
// links each persona key to a human (QKEY), so the analysis can group personas by their
// human's demographics.
class LinkedHumans
{
public:
    // Whether the run was asked of a persona set whose members carry human keys.
    static Result<bool> isLinked(const ProjectFile &project, qint64 runId);
    // Sets each persona's group to its human's label of `variable` in `dataset` (empty when the
    // human is not in the data set or has no value). An Error when the run is not linked.
    static Status assignGroups(const ProjectFile &project, qint64 runId, const Dataset &dataset,
                               const QString &variable, ModelAnswers &answers);
};

} // namespace anthology
