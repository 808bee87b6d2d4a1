#pragma once

#include "pipeline/StepRun.h"
#include "util/Result.h"

#include <QStringList>

#include <optional>

namespace anthology {

class ProjectFile;
struct DemographicsPlan;
struct SurveyConfig;

// What `survey demographics` asks for besides the config.
struct DemographicsOptions
{
    QString name;              // run name; empty: the config's name
    bool freshSamples = false; // never answer from the request cache
    bool logprobRoute = false; // also read each trait's distribution from logprobs (source "logprobs")
    // Traits the LLM-as-parser reads (when use_llm_as_parser); empty: the seed's choice,
    // every trait but race, gender and religion.
    QStringList parserTraits;
    // The backstories to survey (uids, in order); empty: every backstory of the project (the
    // first backstories.num_backstories when set). A study passes its natural backstories here
    // so the demographics-primed ones stay out of matching.
    QStringList personas;
};

// The demographic survey of personas (METHOD.md section 6) as a service. Optionally a
// "demographics_parser" run first: a chat model (llm_parsing_parameters) reads each backstory
// and picks the stated answer. Then the "demographics" run: one item per (backstory, trait)
// asking num_sample_response samples in one request (n); a pair the parser resolved is stored
// done at plan time with the one-hot distribution (source "llm_parser") and never sent.
// Both runs are found by name when they exist, so a killed step resumes where it stopped.
class DemographicsStep
{
public:
    // The sampling plan over every backstory of the project (the first
    // backstories.num_backstories when set); refuses an empty project, a config without
    // a demographic questionnaire, an unusable endpoint.
    // What of the plan the config decides (questionnaire, format, forcing, samples, llm, seed):
    // the part that shapes every prompt, shared with PromptPreview.
    static DemographicsPlan promptPlan(const SurveyConfig &config);
    static Result<DemographicsPlan> planFor(ProjectFile &project, const SurveyConfig &config,
                                            const DemographicsOptions &options);
    // The parser pass of a sampling plan, or nullopt when use_llm_as_parser is off.
    static Result<std::optional<DemographicsPlan>> parserPlanFor(const DemographicsPlan &sampling,
                                                                 const SurveyConfig &config,
                                                                 const DemographicsOptions &options);
    // Finds the run of the plan's kind and name, or plans it. For the sampling run,
    // `parserRun` (a finished parser run) supplies the pairs it resolved.
    // `restart`: replace an unfinished run of the same name planned from another config.
    // `rename`: how the caller takes another run name, said in a refusal (default "--name NEW").
    static Result<StepRun> prepare(ProjectFile &project, const DemographicsPlan &plan,
                                   std::optional<qint64> parserRun = std::nullopt, bool restart = false,
                                   const QString &rename = {});
    static Result<qint64> plan(ProjectFile &project, const DemographicsPlan &plan,
                               std::optional<qint64> parserRun = std::nullopt);
};

} // namespace anthology
