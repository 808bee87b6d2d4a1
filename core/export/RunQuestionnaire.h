#pragma once

#include "run/RunTypes.h"
#include "survey/SurveyTypes.h"
#include "util/Result.h"

namespace anthology {

class ProjectFile;

// A run and the questions it asks: the questionnaire stored in the run's config (a survey
// plan), or, for a run whose config is not one, the question ids of its items in plan order
// (no body, no choices).
struct RunQuestionnaire
{
    RunInfo run;
    Questionnaire questionnaire;
    bool fromPlan = false;

    static Result<RunQuestionnaire> load(const ProjectFile &project, qint64 runId);
};

} // namespace anthology
