#pragma once

#include "util/Result.h"

namespace anthology {

class ProjectFile;
struct SurveyPlan;

// Turns a survey plan into a stored run: every work item (persona, question, sample) is
// written in one transaction before the first request, with the backstory revision it
// will read. Questions in series: item i depends on item i-1 of the same chain, and its
// prompt is built when that answer is committed. Independent questions: the engine builds each
// prompt when it sends the item (RunItemBuilder::independentRequest), from the stored plan and
// the recorded revision, and stores it with the answer; a plan stores no prompt.
class RunPlanner
{
public:
    // Returns the new run's id.
    static Result<qint64> plan(ProjectFile &project, const SurveyPlan &plan);
};

} // namespace anthology
