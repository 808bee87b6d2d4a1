#include "pipeline/LlmProfileCatalog.h"

#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"
#include "config/ResolvedConfig.h"
#include "config/YamlReader.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace anthology {

QList<LlmProfileEntry> LlmProfileCatalog::scan(const QStringList &configDirs)
{
    QStringList dirs;
    for (const QString &dir : configDirs)
        dirs.append(QDir::cleanPath(QFileInfo(dir).absoluteFilePath()));
    const QString ours = ConfigSchema::defaultConfigDir();
    if (!ours.isEmpty() && !dirs.contains(ours))
        dirs.append(ours);
    QList<LlmProfileEntry> out;
    QStringList seen;
    for (const QString &dir : std::as_const(dirs)) {
        QStringList files;
        QDirIterator it(dir, {u"*.yaml"_s, u"*.yml"_s}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            if (QFileInfo(file).dir().dirName() == "llm_parameters"_L1)
                files.append(file);
        }
        files.sort();
        for (const QString &file : std::as_const(files)) {
            if (seen.contains(file))
                continue;
            seen.append(file);
            LlmProfileEntry entry;
            entry.option = QFileInfo(file).completeBaseName();
            entry.file = file;
            entry.configDir = dir;
            entry.builtIn = dir == ours && !configDirs.contains(dir);
            QList<Error> warnings;
            Result<LlmParameters> params = readFile(file, warnings);
            if (params)
                entry.parameters = *params;
            else
                entry.error = params.error();
            out.append(entry);
        }
    }
    return out;
}

Result<LlmParameters> LlmProfileCatalog::readFile(const QString &path, QList<Error> &warnings)
{
    Result<ConfigNode> node = YamlReader::parseFile(path);
    if (!node)
        return node.error();
    // A whole config holding the group is accepted too.
    if (const ConfigNode *group = node->child(u"llm_parameters"_s))
        return ConfigSchema::llmParameters(*group, u"llm_parameters"_s, warnings);
    return ConfigSchema::llmParameters(*node, u"llm_parameters"_s, warnings);
}

Result<LlmParameters> LlmProfileCatalog::fromConfig(const QStringList &configDirs, const QString &name,
                                                    const QStringList &overrides, QList<Error> &warnings)
{
    Result<ResolvedConfig> resolved = ConfigLoader(configDirs).load(name, overrides);
    if (!resolved)
        return resolved.error();
    const ConfigNode *group = resolved->node(u"llm_parameters"_s);
    if (!group)
        return Error::user(u"config '%1' has no llm_parameters"_s.arg(name));
    warnings += resolved->warnings();
    return ConfigSchema::llmParameters(*group, u"llm_parameters"_s, warnings);
}

} // namespace anthology
