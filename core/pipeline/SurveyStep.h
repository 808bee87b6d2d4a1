#pragma once

#include "config/SurveyConfig.h"
#include "util/Result.h"

#include <QString>

namespace anthology {

class Dataset;
class ProjectFile;
struct SurveyPlan;

// An opinion survey of a persona set (or of every backstory): the questionnaire, format,
// LLM parameters and run options come from a SurveyConfig (config survey_config).
struct SurveyStepRequest
{
    SurveyConfig config;
    QString runName;    // empty: the config's name
    QString personaSet; // a persona set name; empty: every backstory of the project
    int samples = 1;
    bool freshSamples = false;
    // The data set whose value labels the questionnaire's choices must match; empty: the
    // persona set's own data set, if it has one.
    QString dataset;
    bool restart = false; // replace an unfinished run of the same name planned from another config
    QString rename;       // how the caller takes another run name, said in a refusal (default "name=NEW")
};

struct SurveyStepResult
{
    qint64 runId = 0;
    bool resumed = false; // a run of that name existed and is continued (or was complete)
    QString status;       // the run's stored status
};

// Plans a survey run, or finds the run of the same name to resume it (SESSION2: runs are
// resumable by name). Refuses up front: a questionnaire whose choices differ from the data
// set's value labels, an unknown persona set, an endpoint whose API key is not set.
class SurveyStep
{
public:
    static Result<SurveyPlan> plan(ProjectFile &project, const SurveyStepRequest &request);
    // What of the plan the config decides (questionnaire, format, options, llm): the part
    // that shapes every prompt, shared with PromptPreview.
    static SurveyPlan promptPlan(const SurveyConfig &config);
    static Result<SurveyStepResult> prepare(ProjectFile &project, const SurveyStepRequest &request);

    // Every question that is also a labelled variable of the data set must list the variable's
    // substantive value labels as its choices, in code order (an Error names the question,
    // the choice and the label).
    static Status checkChoices(const Questionnaire &questionnaire, const Dataset &dataset);
    // Both checks for a config before anything is stored: the choices against `dataset` (when
    // not empty) and the endpoint (pipeline/EndpointCheck).
    static Status check(ProjectFile &project, const SurveyConfig &config, const QString &dataset);
};

} // namespace anthology
