#include "Invocation.h"

#include "CliOutput.h"
#include "CommandLine.h"

#include "run/RunInvocation.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace anthology::cli {

void recordInvocation(ProjectFile &project, qint64 runId, const QStringList &command, const QStringList &args,
                      CliOutput &out, const CommandLine *configArguments)
{
    RunInvocation invocation = RunInvocation::capture(command + args);
    if (configArguments) {
        const QStringList positional = configArguments->positional();
        invocation.configName = positional.value(0);
        invocation.overrides = positional.mid(1);
        for (const QString &dir : configArguments->parser().values(u"config-dir"_s))
            invocation.configDirs.append(QDir(dir).absolutePath());
    }
    if (Status st = invocation.record(project, runId); !st && !out.json())
        out.err() << "anthology: warning: the command of run " << runId
                  << " was not recorded: " << st.error().toString() << Qt::endl;
}

} // namespace anthology::cli
