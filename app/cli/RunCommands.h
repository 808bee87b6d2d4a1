#pragma once

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
// ({run, status, total, done, failed, cache_hits, cost}) goes there instead of stdout.
int driveRun(std::unique_ptr<ProjectFile> project, qint64 runId, const CommandLine &cl, CliOutput &out,
             bool useProfileOption = true, QJsonObject *summary = nullptr);
// --in-flight, --fresh, --quiet.
void addEngineOptions(CommandLine &cl);

} // namespace anthology::cli
