#pragma once

#include <QStringList>

namespace anthology {
class ProjectFile;
}

namespace anthology::cli {

class CliOutput;
class CommandLine;

// Records with a freshly planned run the command that planned it (core/run/RunInvocation: kept
// in the run's config under "invocation", secrets redacted), for `anthology run show`.
// `command` is the group and subcommand (e.g. {"run", "survey"}), `args` what followed them.
// A config-driven step passes its CommandLine (addConfigOptions) so the config name, overrides
// and --config-dir are kept too. Failing to record is a warning, never an error.
void recordInvocation(ProjectFile &project, qint64 runId, const QStringList &command, const QStringList &args,
                      CliOutput &out, const CommandLine *configArguments = nullptr);
// The same for a step whose positionals mix its own keys with the config's: the config name and
// overrides as the step split them, the config dirs as given (made absolute).
void recordInvocation(ProjectFile &project, qint64 runId, const QStringList &command, const QStringList &args,
                      CliOutput &out, const QString &configName, const QStringList &overrides,
                      const QStringList &configDirs);

} // namespace anthology::cli
