#include "CliRunner.h"

#include "TestPaths.h"

#include <QProcess>

using namespace Qt::StringLiterals;

namespace anthology::test {

CliResult runCli(const QStringList &args, const QByteArray &stdinData, const QProcessEnvironment &env,
                 int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(ANTHOLOGY_CLI_PATH), args);
    CliResult result;
    if (!process.waitForStarted()) {
        result.err = "could not start " ANTHOLOGY_CLI_PATH;
        return result;
    }
    if (!stdinData.isEmpty())
        process.write(stdinData);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        result.err = "timed out";
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

} // namespace anthology::test
