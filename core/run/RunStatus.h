#pragma once

#include <QString>

#include <optional>

namespace anthology {

// A run's lifecycle state, as kept in runs.status. Interrupted is also what a run stored as
// running shows when no process holds it (killed mid-run): resumable like a paused one.
enum class RunStatus { Planned, Running, Paused, Cancelled, Completed, Incomplete, Interrupted };

// What a run asks: its items and how they are built (runs.kind).
enum class RunKind { Survey, Generate, Demographics, DemographicsParser };

// The one mapping between these and the words stored in the project and printed by the CLI.
QString runStatusName(RunStatus status);
std::optional<RunStatus> runStatusFromName(const QString &name);
QString runKindName(RunKind kind);
std::optional<RunKind> runKindFromName(const QString &name); // "" is a survey (old projects)

// Whether driving the run again sends something: every state but completed.
bool isResumable(RunStatus status);

} // namespace anthology
