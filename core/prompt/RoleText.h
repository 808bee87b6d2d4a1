#pragma once

#include <QString>
#include <QStringList>

namespace anthology {

struct RoleFormat;

// The surveyor/respondent role words of a text turn ("Question: ...", "Answer:").
class RoleText
{
public:
    // "{S}{C} {text}"; with an empty surveyor or connector the text has no role prefix
    // (METHOD.md section 4), as for multiturn_chat where turns are messages instead.
    static QString ask(const RoleFormat &roles, const QString &text);
    // "{R}{C}", the cue the completion continues after; empty for multiturn_chat.
    static QString answerCue(const RoleFormat &roles);
    // Completion stops ["\n", S]; an empty surveyor word is left out (it would stop at once).
    static QStringList newlineAndSurveyorStops(const RoleFormat &roles);
};

} // namespace anthology
