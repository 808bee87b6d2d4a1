#pragma once

#include "config/SurveyConfig.h"
#include "util/Result.h"

#include <QList>
#include <QString>

namespace anthology {

class ConfigNode;
class ResolvedConfig;

// Reads a ResolvedConfig into typed structs, group by group. The first type error fails with
// file:line:column, the dotted key and what was expected; unknown keys become warnings.
class ConfigSchema
{
public:
    static Result<SurveyConfig> survey(const ResolvedConfig &config);

    // Our configs/ folder: <exe>/../share/anthology/configs when installed, else the source tree's.
    static QString defaultConfigDir();

    // One group each; `path` is the dotted key of `node` (for messages).
    static Result<Questionnaire> questionnaire(const ConfigNode &node, const QString &path,
                                               QList<Error> &warnings);
    static Result<DemographicQuestionnaire> demographics(const ConfigNode &node, const QString &path,
                                                         QList<Error> &warnings);
    static Result<McqFormat> format(const ConfigNode &node, const QString &path, QList<Error> &warnings);
    static Result<LlmParameters> llmParameters(const ConfigNode &node, const QString &path,
                                               QList<Error> &warnings);
    static Result<BackstorySource> backstories(const ConfigNode &node, const QString &path,
                                               QList<Error> &warnings);
    static Result<SelfGenerateOptions> selfGenerate(const ConfigNode &node, const QString &path,
                                                    QList<Error> &warnings);
};

} // namespace anthology
