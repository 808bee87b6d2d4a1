#pragma once

#include "pipeline/StepCatalog.h"
#include "pipeline/StepRequests.h"
#include "pipeline/StudyPipeline.h"
#include "util/Result.h"

#include <QList>
#include <QStringList>

#include <memory>
#include <optional>

namespace anthology {

class ProjectFile;

// A step command exactly as the CLI takes it after the program name, without --project (e.g.
// {"survey", "atp", "survey_config", "--config-dir", "/abs", "personas=na_max/qa_mcq"}),
// prepared for another face (the workbench): parsed with the same keys and options, its
// requests built by StepRequests, planned through the same step services, and recorded with
// the run as the command that reproduces it. A step is a sequence of stages; each stage's run
// is driven by a RunController, then next() prepares the one after.
class StepLaunch
{
public:
    using Kind = StepKind; // the steps, their commands and keys: StepCatalog

    // Refuses what the CLI refuses before touching the project: an unknown command or option,
    // --project (the window's project is used), config errors. Warnings go to `warnings`.
    static Result<std::unique_ptr<StepLaunch>> parse(const QStringList &arguments, QList<Error> *warnings = nullptr);
    // The same step command asking for a run of another name (a duplicate as a new run): name=
    // for the commands whose run name is a key, --name for those where it is an option.
    static Result<QStringList> withRunName(const QStringList &arguments, const QString &name);
    // A recorded invocation's arguments without --project (what parse() and the composer take).
    static QStringList withoutProject(const QStringList &arguments);
    ~StepLaunch();
    StepLaunch(const StepLaunch &) = delete;
    StepLaunch &operator=(const StepLaunch &) = delete;

    Kind kind() const { return m_kind; }
    QString command() const; // "survey atp", "generate backstories", "match", ...
    const QStringList &arguments() const { return m_arguments; }
    // --in-flight, --fresh and --profile, as a drive takes them (the profile only where the CLI
    // sends the step's runs to it).
    std::optional<int> inFlight() const { return m_inFlight; }
    bool freshSamples() const { return m_fresh; }
    QString profile() const { return m_profile; }
    // The endpoint override for a stage's run (empty: the run's own), as the CLI sends them.
    QString profileFor(const StudyStage &stage) const;

    // Prepares the next stage on the project's read-write connection: plans (or finds by name)
    // its run and records the command with a new run; a match is done here and has no run.
    // `previousStatus` is how the previous stage's run ended. nullopt: the step is done.
    Result<std::optional<StudyStage>> next(ProjectFile &project, const QString &previousStatus = {});
    // What the last next() did without a run (a match), for the window to say.
    QString lastMessage() const { return m_message; }

private:
    StepLaunch() = default;
    void record(ProjectFile &project, qint64 runId) const;
    Result<std::optional<StudyStage>> surveyStage(ProjectFile &project);
    Result<std::optional<StudyStage>> demographicsStage(ProjectFile &project, const QString &previousStatus);
    Result<std::optional<StudyStage>> studyStage(ProjectFile &project, const QString &previousStatus);

    Kind m_kind = Kind::SurveyAtp;
    QStringList m_arguments;
    QStringList m_configDirs;
    StepArguments m_step;
    std::optional<int> m_inFlight;
    bool m_fresh = false;
    QString m_profile;
    QString m_name;
    QString m_parserTraits;

    std::optional<StepRequests::StepConfig> m_config;
    std::optional<StepRequests::Baseline> m_baseline;
    std::optional<SurveyStepRequest> m_survey;
    std::optional<MatchRequest> m_match;
    std::unique_ptr<StudyPipeline> m_study;
    std::optional<StudyStage> m_previous;
    std::optional<DemographicsPlan> m_demographicsPlan;
    int m_stage = 0; // stages prepared so far
    QString m_message;
};

} // namespace anthology
