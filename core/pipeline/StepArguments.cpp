#include "pipeline/StepArguments.h"

using namespace Qt::StringLiterals;

namespace anthology {

StepArguments StepArguments::split(const QStringList &positional, const QString &defaultConfig,
                                   const QStringList &stepKeys)
{
    StepArguments out;
    QStringList rest = positional;
    if (!rest.isEmpty() && !rest.first().contains(u'=') && !rest.first().startsWith(u'~'))
        out.configName = rest.takeFirst();
    else
        out.configName = defaultConfig;
    for (const QString &arg : std::as_const(rest)) {
        const qsizetype eq = arg.indexOf(u'=');
        const QString key = eq > 0 ? arg.left(eq) : QString();
        if (stepKeys.contains(key))
            out.steps.insert(key, arg.mid(eq + 1));
        else
            out.overrides.append(arg);
    }
    return out;
}

} // namespace anthology
