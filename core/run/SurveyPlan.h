#pragma once

#include "survey/SurveyTypes.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QStringList>

namespace anthology {

// Everything a survey run needs to plan its items and to rebuild any prompt later: stored
// with the run (as JSON) so a resumed run asks exactly what the first session would have.
struct SurveyPlan
{
    QString name;
    QStringList personas; // backstory uids; empty: every backstory of the project
    // A persona set (PersonaSetStore) instead: its members, their passages and human links.
    qint64 personaSetId = 0; // 0: none
    QString personaSetName;
    bool noConditioning = false; // the prompt_style "nothing" baseline (AtpPromptOptions)
    Questionnaire questionnaire;
    McqFormat format;
    RunOptions options; // seed, in_series, randomization, forcing, consistency prompt
    LlmParameters llm;
    int samples = 1;           // independent answers (chains, in series) per persona and question
    bool freshSamples = false; // never answer from the request cache

    QJsonObject toJson() const;
    static Result<SurveyPlan> fromJson(const QJsonObject &json);
};

} // namespace anthology
