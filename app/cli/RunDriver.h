#pragma once

#include <memory>

#include <QtGlobal>

namespace anthology {
class ProjectFile;
}

namespace anthology::cli {

class CliOutput;
class CommandLine;

// The engine options every run-driving command takes: --in-flight, --fresh, --quiet.
void addEngineOptions(CommandLine &cl);
// Runs the engine on an open read-write project until the run finishes or is cancelled
// (Ctrl-C, `anthology run cancel`), then reports. Reads --profile (when the command defines
// it), --in-flight, --fresh and --quiet from `cl`.
int driveRun(std::unique_ptr<ProjectFile> project, qint64 runId, const CommandLine &cl, CliOutput &out);

} // namespace anthology::cli
