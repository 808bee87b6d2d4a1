#pragma once

#include "run/PersonaSetStore.h"
#include "survey/SurveyTypes.h"
#include "util/Result.h"

#include <QString>
#include <QStringList>

namespace anthology {

class ProjectFile;

// A baseline persona set from a data set's respondents (METHOD.md sections 3 and 4):
// prompt_style qa, qa_freeform, bio or portray conditions each persona on one respondent's
// demographic prefix (traits in a seeded order per respondent, refused ones skipped);
// "nothing" conditions on nothing but keeps the respondent link for weights and subgroups.
struct BaselineRequest
{
    QString dataset;
    QString style = QStringLiteral("qa");
    int numUsers = -1;            // the first N respondents in file order; -1: all
    QStringList traitsOfInterest; // trait keys or short names (age, income, ...); empty: the map's traits
    qint64 seed = 42;
    int wave = 0;            // 0: the data set's
    QString categoryMapPath; // a file instead of the wave's map
    QStringList configDirs;
    DemographicQuestionnaire demographics;
    QString setName; // empty: defaultName()
};

class BaselinePersonaSet
{
public:
    static QStringList styles(); // qa, qa_freeform, bio, portray, nothing
    static QString defaultName(const QString &dataset, const QString &style);

    // The set as the request describes it (not stored).
    static Result<PersonaSet> build(ProjectFile &project, const BaselineRequest &request);
    // Reuses the set of that name when it was built from the same request; builds and stores
    // it otherwise. A set of that name built differently is an Error (choose another name).
    static Result<PersonaSet> ensure(ProjectFile &project, const BaselineRequest &request);
};

} // namespace anthology
