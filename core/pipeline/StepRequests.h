#pragma once

#include "config/ResolvedConfig.h"
#include "config/SurveyConfig.h"
#include "pipeline/BaselinePersonaSet.h"
#include "pipeline/DemographicsStep.h"
#include "pipeline/GenerateStep.h"
#include "pipeline/MatchStep.h"
#include "pipeline/StepArguments.h"
#include "pipeline/StudyDefinition.h"
#include "pipeline/SurveyStep.h"
#include "util/Result.h"

#include <QList>
#include <QStringList>

namespace anthology {

// What a step command's arguments ask of the step services, built in one place for the CLI's
// commands and the workbench's launcher: the same arguments give the same requests.
class StepRequests
{
public:
    // A pipeline step's config: the resolved config (keys the schema does not type) and its survey
    // schema. With a non-empty `profile` the endpoint is that URL or provider instead.
    struct StepConfig
    {
        ResolvedConfig resolved;
        SurveyConfig survey;
    };
    static Result<StepConfig> loadStepConfig(const QStringList &configDirs, const QString &name,
                                             const QStringList &overrides, const QString &profile,
                                             QList<Error> *warnings);

    static Result<SurveyStepRequest> atp(const StepArguments &a, const SurveyConfig &config, bool fresh);
    // The respondents set to ensure and the survey of it (its personaSet is set once ensured).
    struct Baseline
    {
        BaselineRequest set;
        SurveyStepRequest survey;
        QString runName; // name=, else empty: baseline/<set>
    };
    static Result<Baseline> baseline(const StepArguments &a, const SurveyConfig &config,
                                     const QStringList &configDirs, bool fresh);
    static QString baselineRunName(const Baseline &b, const QString &setName);

    static GenerateOptions generate(const StepConfig &config, const QString &name, bool fresh);
    static DemographicsOptions demographics(const StepConfig &config, const QString &name, bool fresh,
                                            const QString &parserTraits);
    static Result<MatchRequest> match(const ResolvedConfig &config, const SurveyConfig &schema,
                                      const QStringList &configDirs);

    // `study`: its settings and the three step configs, each with the overrides that name one of
    // its keys (an override no config has is an error).
    struct Study
    {
        StudySettings settings;
        SurveyConfig survey;
        SurveyConfig demographics;
        SurveyConfig generate;
    };
    static Result<Study> study(const QStringList &configDirs, const StepArguments &a, QList<Error> *warnings);

    static Result<int> intKey(const StepArguments &a, const QString &key, int fallback);
};

} // namespace anthology
