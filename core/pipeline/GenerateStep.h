#pragma once

#include "pipeline/StepRun.h"
#include "util/Result.h"

#include <QString>

namespace anthology {

class ProjectFile;
struct GeneratePlan;
struct SurveyConfig;

// What `generate backstories` asks for besides the config.
struct GenerateOptions
{
    QString name;              // run name; empty: the config's name
    bool freshSamples = false; // never answer from the request cache
    // Demographics-primed stories: prompt_style qa|bio|portray over num_users respondents of
    // the project's data set `dataset` (-1: all).
    QString promptStyle;
    QString dataset;
    int numUsers = -1;
};

// What materialising a generate run's stories did. Counts are over the whole run, so a
// second call reports the same figures and imports nothing new.
struct GenerateReport
{
    qint64 stories = 0;         // planned stories
    qint64 stored = 0;          // in the project now (this call and earlier ones)
    qint64 imported = 0;        // by this call
    qint64 droppedShort = 0;    // 40 generated tokens or fewer
    qint64 preambleRefused = 0; // never answered yes to the citizenship question
    qint64 unfinished = 0;      // story not (yet) answered: pending or failed
};

// The backstory-generation step (METHOD.md section 3) as a service: plans (or finds by name)
// a "generate" run, which RunEngine drives like any other run, then turns its answered
// stories into project backstories through BackstoryImporter (so search stays in sync),
// uid "gen<run>-story-NNNNN", with text, full_passage, summed logprob, token count, model,
// sampling parameters and, as attributes, finish_reason, preamble_answer, run_id (and for
// DP stories qkey, weight, prompt_style).
class GenerateStep
{
public:
    // The plan a config describes; refuses what cannot run (no stories, no model endpoint,
    // missing API key, a chat-only parameter on a completion model, an unknown data set).
    static Result<GeneratePlan> planFor(ProjectFile &project, const SurveyConfig &config,
                                        const GenerateOptions &options);
    // The same plan without the endpoint checks (an API key may be set only at launch): what
    // the prompt preview shows.
    static Result<GeneratePlan> draftPlan(ProjectFile &project, const SurveyConfig &config,
                                          const GenerateOptions &options);
    // Resumes the newest generate run of the plan's name, or plans a new one.
    // `restart`: replace an unfinished run of the same name planned from another config.
    // `rename`: how the caller takes another run name, said in a refusal (default "--name NEW").
    static Result<StepRun> prepare(ProjectFile &project, const GeneratePlan &plan, bool restart = false,
                                   const QString &rename = {});
    static Result<qint64> plan(ProjectFile &project, const GeneratePlan &plan);
    // Idempotent: only stories not yet in the project are imported.
    static Result<GenerateReport> materialise(ProjectFile &project, qint64 runId);
    static QString backstoryUid(qint64 runId, const QString &storyKey);
};

} // namespace anthology
