#pragma once

#include "survey/SurveyTypes.h"
#include "util/Result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace anthology {

// One llm_parameters option a config folder offers (e.g. surveys/llm_parameters/vllm_localhost.yaml).
struct LlmProfileEntry
{
    QString option;    // the group option: the file's base name, as a defaults list names it
    QString file;      // absolute path
    QString configDir; // the folder it was found under
    bool builtIn = false;
    LlmParameters parameters;
    std::optional<Error> error; // the file does not read as llm_parameters
};

// The LLM endpoint profiles a user can pick: every llm_parameters/*.yaml under the given
// config folders and ours, read with the same schema a run uses; and the endpoint of a whole
// config, so `llm ping` and the Connections dialog check exactly what a run would send to.
class LlmProfileCatalog
{
public:
    // The user's folders first, then ours (ConfigSchema::defaultConfigDir()).
    static QList<LlmProfileEntry> scan(const QStringList &configDirs);
    // An llm_parameters file on its own (the keys at the top level).
    static Result<LlmParameters> readFile(const QString &path, QList<Error> &warnings);
    // The llm_parameters of the config `name` after its defaults and overrides.
    static Result<LlmParameters> fromConfig(const QStringList &configDirs, const QString &name,
                                            const QStringList &overrides, QList<Error> &warnings);
};

} // namespace anthology
