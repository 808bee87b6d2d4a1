#pragma once

#include "pipeline/RunController.h"

#include <QJsonArray>
#include <QtGlobal>

#include <memory>

class QJsonObject;

namespace anthology {
class ProjectFile;
}

namespace anthology::cli {

class CliOutput;
class CommandLine;

// Runs the engine on an open read-write project until the run finishes or is cancelled
// (Ctrl-C, `anthology run cancel`), then reports. The project connection goes to the engine.
// Reads --in-flight, --fresh, --quiet (see addEngineOptions) and, when useProfileOption,
// --profile (another endpoint than the run's own) from `cl`. With `summary`, the outcome
// ({run, status, total, done, failed, cache_hits, cost, failures}) goes there instead of stdout.
// Returns the exit code (see exitCodeOf).
int driveRun(std::unique_ptr<ProjectFile> project, qint64 runId, const CommandLine &cl, CliOutput &out,
             bool useProfileOption = true, QJsonObject *summary = nullptr);
// --in-flight, --fresh, --quiet.
void addEngineOptions(CommandLine &cl);

// driveRun's parts, for steps that report more than the run (a generate run's backstories):
// the drive itself (a refusal before any request comes back as an error with no progress),
// the summary fields, the failures by cause as text, and the exit code (0 only when every item
// was answered; 1 when some failed or the run was cancelled or refused; 2 on an internal fault).
RunOutcome driveOutcome(std::unique_ptr<ProjectFile> project, qint64 runId, const CommandLine &cl, CliOutput &out,
                        bool useProfileOption);
QJsonObject outcomeJson(const RunOutcome &outcome);
QJsonArray failuresJson(const QList<FailureGroup> &groups);
void printFailures(CliOutput &out, const QList<FailureGroup> &groups);
int exitCodeOf(const RunOutcome &outcome);

} // namespace anthology::cli
