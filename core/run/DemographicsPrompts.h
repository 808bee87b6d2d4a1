#pragma once

#include "run/DemographicsPlan.h"
#include "run/SurveyChain.h"

#include <QStringList>

namespace anthology {

// The prompts of a demographics plan as PromptText (kept in their own file so the prompt
// layer's ChatMessage never meets the LLM layer's): the trait question after the backstory
// (DemographicPromptBuilder), or the LLM-as-parser question (LlmParserPromptBuilder).
class DemographicsPrompts
{
public:
    explicit DemographicsPrompts(const DemographicsPlan &plan) : m_plan(plan) {}

    PromptText prompt(const QString &passage, const DemographicQuestion &trait) const;
    // Completion stops of a sampling request: ["\n", S].
    QStringList stops() const;
    // The choices as shown, in shown order (parser: the last one is "Was not mentioned").
    QStringList shownChoices(const DemographicQuestion &trait) const;
    // Parser pass: the chosen option names an answer rather than "Was not mentioned".
    bool isMentioned(const DemographicQuestion &trait, int choiceIndex) const;
    // The seed leaves race, gender and religion to sampling.
    static bool seedUsesParserFor(const QString &traitKey);

private:
    const DemographicsPlan &m_plan;
};

} // namespace anthology
