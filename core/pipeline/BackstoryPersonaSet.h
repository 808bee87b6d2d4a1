#pragma once

#include "run/PersonaSetStore.h"
#include "util/Result.h"

#include <QString>
#include <QStringList>

namespace anthology {

class ProjectFile;

// Persona sets made of stored backstories (kind "backstories"), as a study needs them: the
// natural backstories, which go through the demographic survey and matching, and the stories
// of one demographics-primed generate run, each linked to the respondent that primed it
// (attributes qkey and weight) so analysis can weight and group them like the respondents.
class BackstoryPersonaSet
{
public:
    // Backstories not primed by a respondent (no qkey attribute), in project order.
    static Result<QStringList> naturalBackstories(const ProjectFile &project);

    // The stories of a generate run as a set: reused when a set of that name exists with the
    // same members, stored otherwise. An empty run (nothing materialised yet) is an Error.
    static Result<PersonaSet> ensureForGenerateRun(ProjectFile &project, qint64 runId, const QString &setName);
};

} // namespace anthology
