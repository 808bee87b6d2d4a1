#pragma once

#include "matching/CategoryMapConfig.h"
#include "util/Result.h"

#include <QString>
#include <QStringList>

namespace anthology {

struct DemographicQuestionnaire;

// Finds a wave's category map (atp_w<wave>.yaml): a file the user names; else in each config
// dir (itself, then its matching/ folder), then our configs/matching, then the copy compiled
// into the program, so an installed binary without a configs/ folder still matches.
class CategoryMapLocator
{
public:
    // The resource path of the compiled-in map of a wave.
    static QString resourcePath(int wave);
    // Where the map would be read from, or an empty string when no map of that wave exists.
    static QString locate(int wave, const QStringList &configDirs);
    static Result<CategoryMapConfig> load(int wave, const QStringList &configDirs,
                                          const QString &explicitPath = {},
                                          const DemographicQuestionnaire *questionnaire = nullptr);
};

} // namespace anthology
