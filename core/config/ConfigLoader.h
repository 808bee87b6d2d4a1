#pragma once

#include "config/ResolvedConfig.h"
#include "util/Result.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace anthology {

// Hydra-style composition of a primary config with its `defaults:` list, command-line overrides
// and interpolation. Search order: the given dirs, then our configs/ (and its subfolders, surveys/
// first) as the fallback for options a user's folder lacks.
class ConfigLoader
{
public:
    explicit ConfigLoader(QStringList configDirs = {}, bool withDefaultDir = true);

    // The moment ${now:...} reads (default: the current time at load) and the output folder
    // ${hydra:runtime.output_dir} gives (default: hydra.run.dir, else outputs/<date>/<time>).
    void setNow(const QDateTime &now) { m_now = now; }
    void setOutputDir(const QString &dir) { m_outputDir = dir; }

    const QStringList &searchDirs() const { return m_searchDirs; }

    // `name` is the primary config, e.g. "survey_config" or "surveys/survey_config" (".yaml" optional).
    Result<ResolvedConfig> load(const QString &name, const QStringList &overrides = {}) const;

private:
    QStringList m_searchDirs;
    QDateTime m_now;
    QString m_outputDir;
};

} // namespace anthology
