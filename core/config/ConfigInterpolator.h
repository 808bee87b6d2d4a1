#pragma once

#include "config/ConfigNode.h"
#include "util/Result.h"

#include <QDateTime>
#include <QString>

namespace anthology {

// Resolves ${key}, ${a.b}, ${.sibling}, ${now:FORMAT}, ${hydra:...} and ${oc.env:VAR[,default]}
// in place. Missing targets and cycles are errors naming the key and its position.
class ConfigInterpolator
{
public:
    struct Context
    {
        QDateTime now;
        QString outputDir; // empty: hydra.run.dir when present, else outputs/<date>/<time>
        QString configName;
    };

    static Status resolve(ConfigNode &root, const Context &context, QString *outputDirUsed = nullptr);

    // strftime-like: %Y %y %m %d %H %I %M %S %p %j %a %A %b %B %f %%; other text kept.
    static QString formatTime(const QDateTime &when, const QString &format);
};

} // namespace anthology
