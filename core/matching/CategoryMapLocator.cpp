#include "matching/CategoryMapLocator.h"

#include "config/ConfigSchema.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

QString fileName(int wave)
{
    return u"atp_w%1.yaml"_s.arg(wave);
}

} // namespace

QString CategoryMapLocator::resourcePath(int wave)
{
    return u":/anthology/configs/matching/"_s + fileName(wave);
}

QString CategoryMapLocator::locate(int wave, const QStringList &configDirs)
{
    QStringList dirs = configDirs;
    if (const QString ours = ConfigSchema::defaultConfigDir(); !ours.isEmpty())
        dirs.append(ours);
    for (const QString &dir : std::as_const(dirs)) {
        for (const QString &candidate :
             {QDir(dir).filePath(fileName(wave)), QDir(dir).filePath(u"matching/"_s + fileName(wave))}) {
            if (QFileInfo(candidate).isFile())
                return candidate;
        }
    }
    return QFile::exists(resourcePath(wave)) ? resourcePath(wave) : QString();
}

Result<CategoryMapConfig> CategoryMapLocator::load(int wave, const QStringList &configDirs,
                                                   const QString &explicitPath,
                                                   const DemographicQuestionnaire *questionnaire)
{
    if (!explicitPath.isEmpty())
        return CategoryMapConfig::load(explicitPath, questionnaire);
    if (wave <= 0)
        return Error::user(u"the data set's wave is unknown, so no category map can be chosen: give wave=N "
                           "or category_map=FILE"_s)
            .withKey(u"wave"_s);
    const QString path = locate(wave, configDirs);
    if (path.isEmpty())
        return Error::user(u"no category map for wave %1 (looked for %2 in %3 and the built-in maps); give "
                           "category_map=FILE"_s.arg(wave)
                               .arg(fileName(wave),
                                    configDirs.isEmpty() ? u"our configs"_s : configDirs.join(u", "_s)))
            .withKey(u"category_map"_s);
    return CategoryMapConfig::load(path, questionnaire); // QFile reads the built-in maps too
}

} // namespace anthology
