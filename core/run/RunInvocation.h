#pragma once

#include "util/Result.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace anthology {

class ProjectFile;
struct RunInfo;

// The command that planned a run, kept inside the run's stored config under "invocation" (no
// schema change), so `anthology run show` can print the command that reproduces the run.
// Secrets never get in: values of options and overrides whose name says key, token, secret or
// password (an "..._env" name of a variable is fine), and any argument holding the value of
// such an environment variable, are replaced by "<redacted>".
struct RunInvocation
{
    static constexpr const char *configKey = "invocation";

    QString program = QStringLiteral("anthology");
    QStringList arguments; // after the program name, e.g. run survey --questionnaire q.yaml ...
    QString workingDirectory;
    // Config-driven steps: the config dirs (absolute), name and key=value overrides (empty otherwise).
    QStringList configDirs;
    QString configName;
    QStringList overrides;

    // `arguments` as given to the program (without its name); working directory: the current one.
    static RunInvocation capture(const QStringList &arguments);
    static QStringList redacted(const QStringList &arguments);

    QJsonObject toJson() const;
    static std::optional<RunInvocation> fromJson(const QJsonObject &json);
    // The invocation stored with a run; nullopt for runs planned before it was recorded.
    static std::optional<RunInvocation> of(const RunInfo &run);

    // The arguments with `--project X` (or --project=X) replaced by `project` (empty: kept).
    QStringList argumentsFor(const QString &project = {}) const;
    // One line a POSIX shell runs as is: cd 'dir' && anthology 'arg' ...
    QString commandLine(const QString &project = {}) const;

    // Adds (or replaces) the invocation in the run's stored config.
    Status record(ProjectFile &project, qint64 runId) const;
};

} // namespace anthology
