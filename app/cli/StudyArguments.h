#pragma once

#include "analysis/StudyReport.h"
#include "util/Result.h"

namespace anthology {
class ProjectFile;
}

namespace anthology::cli {

class CommandLine;

// What `export study` and `analyze --runs` share: --runs, --dataset, --subgroup, --metric,
// --questions, --seed, --split-halves.
void addStudyOptions(CommandLine &cl, bool withRunsAndDataset);
// The parts of those options: --runs (with --dataset required) and the study options.
Result<QList<qint64>> studyRunIds(const CommandLine &cl);
Result<StudyOptions> studyOptions(const CommandLine &cl);
// Loads each run's final answers (sample 0) and the data set, and computes the table. With
// --subgroup a persona's group is its linked human's value (a run over a matched or respondents
// persona set), its qkey respondent's value (a demographics-primed backstory), else its
// backstory's attribute of that name (case-insensitive).
Result<StudyResult> computeStudy(const CommandLine &cl, const ProjectFile &project);
// The same on the project of --project (or ANTHOLOGY_PROJECT), opened read-only.
Result<StudyResult> computeStudy(const CommandLine &cl);

} // namespace anthology::cli
