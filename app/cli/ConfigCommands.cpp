#include "CliOutput.h"
#include "Commands.h"

using namespace Qt::StringLiterals;

namespace anthology::cli {

int runConfig(const QStringList &args, CliOutput &out)
{
    return dispatch("config", {}, args, out);
}

int runPrompt(const QStringList &args, CliOutput &out)
{
    return dispatch("prompt", {}, args, out);
}

} // namespace anthology::cli
