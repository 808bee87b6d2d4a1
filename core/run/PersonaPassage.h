#pragma once

#include "util/Result.h"

#include <QList>
#include <QPair>
#include <QString>

namespace anthology {

class BackstoryStore;
class ProjectFile;
struct SurveyPlan;

// Where a survey plan's personas and their passages come from: the project's backstories
// (all, or the plan's list), or the members of the plan's persona set. The one place the run
// planner and the engine ask, so persona sets need no change elsewhere in the engine.
class PersonaPassage
{
public:
    // Every persona the plan asks, in order, with the revision its items record.
    static Result<QList<QPair<QString, int>>> personas(ProjectFile &project, const SurveyPlan &plan);
    // The passage of one persona at the revision its items recorded: a set member's
    // beforeText + backstory passage (stripped) + afterText, or beforeText alone.
    static Result<QString> passage(const BackstoryStore &store, const SurveyPlan &plan,
                                   const QString &persona, int revision);
};

} // namespace anthology
