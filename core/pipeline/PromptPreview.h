#pragma once

#include "config/SurveyConfig.h"
#include "pipeline/GenerateStep.h"
#include "run/SurveyItemBuilder.h"
#include "util/Result.h"

#include <QList>
#include <QString>

namespace anthology {

class ProjectFile;

// Every prompt a run of a config sends one persona, byte for byte and in asked order, built
// by the run's own code (SurveyItemBuilder for opinion questionnaires, DemographicsPrompts for
// demographic ones) from the plan the step would make: what `prompt preview` prints and the
// composer's live preview shows.
class PromptPreview
{
public:
    struct Request
    {
        QString persona = QStringLiteral("preview"); // seeds the question and option order
        QString passage;
        // Stands in for each answer in series; {id} is the question id.
        QString answerTemplate = QStringLiteral(" <answer to {id}>");
        bool noConditioning = false; // a respondents set of prompt_style "nothing"
    };

    static Result<QList<PreviewPrompt>> prompts(const SurveyConfig &config, const Request &request);
    // The prompts of a generate run's first story (GenerateStep's plan: the preamble, then the
    // story; a demographics-primed story carries the first respondent's prefix).
    static Result<QList<PreviewPrompt>> story(ProjectFile &project, const SurveyConfig &config,
                                              const GenerateOptions &options, const QString &answerTemplate);
    // The request for one persona of a project as the run would ask it: a backstory (no
    // `personaSet`), or a member of the persona set with its passage and conditioning.
    static Result<Request> forPersona(ProjectFile &project, const QString &personaSet, const QString &persona);
    // The first `limit` personas the run would ask, in its order.
    static Result<QStringList> personas(ProjectFile &project, const QString &personaSet, int limit);
    // The prompt as text: the completion prompt, or the chat messages as indented JSON.
    static QString text(const PreviewPrompt &prompt);
};

} // namespace anthology
