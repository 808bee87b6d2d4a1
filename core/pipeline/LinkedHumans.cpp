#include "pipeline/LinkedHumans.h"

#include "analysis/ComparisonBuilder.h"
#include "analysis/ModelAnswers.h"
#include "data/Dataset.h"
#include "pipeline/RespondentTraits.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "run/PersonaSetStore.h"
#include "run/SurveyPlan.h"

#include <QHash>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

Result<qint64> personaSetOf(const ProjectFile &project, qint64 runId)
{
    Statement s = project.prepare("SELECT config FROM runs WHERE id = ?1");
    s.bind(1, runId);
    Result<bool> row = s.step();
    if (!row)
        return row.error();
    if (!*row)
        return Error::user(u"no run %1 in this project (see 'anthology run list')"_s.arg(runId));
    Result<SurveyPlan> plan = SurveyPlan::fromJson(QJsonDocument::fromJson(s.columnUtf8(0)).object());
    return plan ? plan->personaSetId : qint64(0);
}

} // namespace

Result<bool> LinkedHumans::isLinked(const ProjectFile &project, qint64 runId)
{
    Result<qint64> set = personaSetOf(project, runId);
    if (!set)
        return set.error();
    if (*set <= 0)
        return false;
    Result<PersonaSet> loaded = PersonaSetStore(project).load(*set);
    if (!loaded)
        return loaded.error();
    return loaded->kind != u"backstories"_s;
}

Status LinkedHumans::assignGroups(const ProjectFile &project, qint64 runId, const Dataset &dataset,
                                  const QString &variable, ModelAnswers &answers)
{
    Result<qint64> setId = personaSetOf(project, runId);
    if (!setId)
        return setId.error();
    if (*setId <= 0)
        return Error::user(
            u"run %1 was not asked of a persona set linked to respondents, so its personas have "
            "no human to group by"_s.arg(runId));
    Result<PersonaSet> set = PersonaSetStore(project).load(*setId);
    if (!set)
        return set.error();
    const qsizetype column = dataset.indexOf(variable);
    if (column < 0)
        return Error::user(u"the data set has no variable %1 to form subgroups"_s.arg(variable))
            .withKey(variable);
    QHash<QString, qsizetype> rowOf;
    for (qsizetype r = 0; r < dataset.rowCount(); ++r)
        rowOf.insert(RespondentTraits::humanKeyOf(dataset, r), r);
    QHash<QString, QString> humanOf;
    for (const PersonaSetMember &m : std::as_const(set->members))
        humanOf.insert(m.personaKey, m.humanKey);
    for (qsizetype p = 0; p < answers.personas().size(); ++p) {
        const auto row = rowOf.constFind(humanOf.value(answers.personas()[p]));
        answers.setGroup(p, row == rowOf.constEnd() ? QString()
                                                    : ComparisonBuilder::groupLabel(dataset, column, *row));
    }
    return {};
}

} // namespace anthology
