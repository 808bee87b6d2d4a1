#include "prompt/RoleText.h"

#include "survey/SurveyTypes.h"

using namespace Qt::StringLiterals;

namespace anthology {

QString RoleText::ask(const RoleFormat &roles, const QString &text)
{
    if (roles.surveyor.isEmpty() || roles.connector.isEmpty())
        return text;
    return roles.surveyor + roles.connector + u' ' + text;
}

QString RoleText::answerCue(const RoleFormat &roles)
{
    return roles.respondent + roles.connector;
}

QStringList RoleText::newlineAndSurveyorStops(const RoleFormat &roles)
{
    QStringList stops{u"\n"_s};
    if (!roles.surveyor.isEmpty())
        stops << roles.surveyor;
    return stops;
}

} // namespace anthology
