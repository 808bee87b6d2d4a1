#pragma once

#include "util/Result.h"

namespace anthology {

class ProjectFile;
struct SurveyPlan;

// Turns a survey plan into a stored run: every work item (persona, question, sample) is
// written in one transaction before the first request, with the backstory revision it
// will read. Questions in series: item i depends on item i-1 of the same chain, and its
// prompt is built when that answer is committed. Independent questions: every prompt is
// built now and stored as the item's request.
class RunPlanner
{
public:
    // Returns the new run's id.
    static Result<qint64> plan(ProjectFile &project, const SurveyPlan &plan);
};

} // namespace anthology
