#include "Invocation.h"

#include "CliOutput.h"
#include "CommandLine.h"

#include "run/RunInvocation.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace anthology::cli {

void recordInvocation(ProjectFile &project, qint64 runId, const QStringList &command, const QStringList &args,
                      CliOutput &out, const QString &configName, const QStringList &overrides,
                      const QStringList &configDirs)
{
    RunInvocation invocation = RunInvocation::capture(command + args);
    invocation.configName = configName;
    invocation.overrides = overrides;
    for (const QString &dir : configDirs)
        invocation.configDirs.append(QDir(dir).absolutePath());
    if (Status st = invocation.record(project, runId); !st && !out.json())
        out.err() << "anthology: warning: the command of run " << runId
                  << " was not recorded: " << st.error().toString() << Qt::endl;
}

void recordInvocation(ProjectFile &project, qint64 runId, const QStringList &command, const QStringList &args,
                      CliOutput &out, const CommandLine *configArguments)
{
    if (!configArguments)
        return recordInvocation(project, runId, command, args, out, QString(), {}, {});
    const QStringList positional = configArguments->positional();
    recordInvocation(project, runId, command, args, out, positional.value(0), positional.mid(1),
                     configArguments->parser().values(u"config-dir"_s));
}

} // namespace anthology::cli
