#pragma once

#include "config/SurveyConfig.h"
#include "pipeline/DemographicsStep.h"
#include "pipeline/StudyDefinition.h"
#include "pipeline/SurveyStep.h"
#include "run/DemographicsPlan.h"
#include "util/Result.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace anthology {

class ProjectFile;
struct StudyResult;

// One stage of a study: a run to drive (runId > 0), or work done on the spot (a match).
struct StudyStage
{
    enum class Kind { Generate, DemographicsParser, Demographics, Match, Survey };
    Kind kind = Kind::Survey;
    QString label; // the study run it serves (QA, DP_BIO, ...) or natural/demographics/match_<method>
    QString what;  // for progress lines: "generate DP_QA stories", "survey NA_greedy_BIO", ...
    qint64 runId = 0;
    QString status; // the run's stored status when prepared ("planned" when new)
};

// `anthology study` as a sequence of stages over the core steps (GenerateStep, DemographicsStep,
// MatchStep, BaselinePersonaSet, SurveyStep). The caller drives each stage's run (the CLI with
// driveRun, the GUI with a RunEngine) and then calls finish(). Every run, set and match is found
// by its study name, so a new pipeline over the same project continues where the last one
// stopped: nothing planned twice, nothing asked twice.
class StudyPipeline
{
public:
    // The step configs as loaded (with the user's forwarded overrides); the survey config's
    // questionnaire is replaced by one built from the data set's variables.
    StudyPipeline(StudySettings settings, SurveyConfig survey, SurveyConfig demographics,
                  SurveyConfig generate);

    // Refuses before anything is planned: an unknown data set or variable, a questionnaire the
    // data set cannot answer, unusable endpoints, no natural backstories when they are needed.
    Status check(ProjectFile &project);

    // Prepares the next stage (plans or finds its run, or does a match); nullopt when every
    // stage is done.
    Result<std::optional<StudyStage>> next(ProjectFile &project);
    // After a stage's run has been driven: its status must be completed or incomplete for the
    // study to go on; generated stories become backstories here.
    Status finish(ProjectFile &project, const StudyStage &stage, const QString &status);

    // The survey run of each study label prepared so far, in the settings' order.
    QList<QPair<QString, qint64>> surveyRuns() const;
    const StudySettings &settings() const { return m_settings; }

    // The table: every survey run (sample 0) against the data set, with subgroups when set.
    Result<StudyResult> report(ProjectFile &project) const;

private:
    struct Stage
    {
        StudyStage::Kind kind;
        QString label;
        StudyRunSpec spec; // the run it serves; for a match, the method
    };
    void buildStages();
    Result<StudyStage> prepare(ProjectFile &project, const Stage &stage);
    Result<StudyStage> prepareGenerate(ProjectFile &project, const Stage &stage);
    Result<StudyStage> prepareDemographicsParser(ProjectFile &project, const Stage &stage);
    Result<StudyStage> prepareDemographics(ProjectFile &project, const Stage &stage);
    Result<StudyStage> prepareMatch(ProjectFile &project, const Stage &stage);
    Result<StudyStage> prepareSurvey(ProjectFile &project, const Stage &stage);
    Result<QString> surveyPersonaSet(ProjectFile &project, const Stage &stage);
    StudyStage recorded(StudyStage out, qint64 runId, const QString &status);
    Result<QStringList> naturalPersonas(ProjectFile &project) const;
    Result<SurveyStepResult> surveyStage(ProjectFile &project, const QString &label,
                                         const QString &personaSet);
    DemographicsOptions demographicsOptions() const;
    Result<DemographicsPlan> demographicsPlan(ProjectFile &project);

    StudySettings m_settings;
    SurveyConfig m_survey;
    SurveyConfig m_demographics;
    SurveyConfig m_generate;
    QList<Stage> m_stages;
    qsizetype m_next = 0;
    QHash<QString, qint64> m_runs; // stage label -> run id
    QList<QPair<QString, qint64>> m_surveyRuns;
    std::optional<DemographicsPlan> m_demographicsPlan;
};

} // namespace anthology
