#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace anthology {

// The key=value arguments of a pipeline step that are the step's own (personas=, dataset=,
// name=, ...) rather than overrides of its config: taken out before the config is loaded,
// so the config need not declare them.
struct StepArguments
{
    QString configName;            // the first positional unless it is a key=value
    QStringList overrides;         // passed to the config loader
    QHash<QString, QString> steps; // the step's own keys

    static StepArguments split(const QStringList &positional, const QString &defaultConfig,
                               const QStringList &stepKeys);
};

} // namespace anthology
