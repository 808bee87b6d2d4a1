#include "run/DemographicsPrompts.h"

#include "prompt/DemographicPromptBuilder.h"
#include "prompt/LlmParserPromptBuilder.h"

namespace anthology {

namespace {

PromptText fromMessages(const QList<ChatMessage> &messages)
{
    PromptText text;
    for (const ChatMessage &m : messages)
        text.messages.append({m.role, m.content});
    return text;
}

} // namespace

PromptText DemographicsPrompts::prompt(const QString &passage, const DemographicQuestion &trait) const
{
    if (m_plan.parser)
        return fromMessages(LlmParserPromptBuilder(m_plan.format.roles).messages(passage, trait));
    const DemographicPromptBuilder builder(m_plan.format, m_plan.includeAnswerForcing,
                                           m_plan.usePreferNotToAnswer);
    if (m_plan.llm.chat)
        return fromMessages(builder.messages(m_plan.llm.systemPrompt, passage, trait));
    PromptText text;
    text.prompt = builder.prompt(passage, trait);
    return text;
}

QStringList DemographicsPrompts::stops() const
{
    return DemographicPromptBuilder(m_plan.format, m_plan.includeAnswerForcing, m_plan.usePreferNotToAnswer)
        .stops();
}

QStringList DemographicsPrompts::shownChoices(const DemographicQuestion &trait) const
{
    if (m_plan.parser)
        return LlmParserPromptBuilder(m_plan.format.roles).choices(trait);
    return DemographicPromptBuilder(m_plan.format, m_plan.includeAnswerForcing, m_plan.usePreferNotToAnswer)
        .shownChoices(trait);
}

bool DemographicsPrompts::isMentioned(const DemographicQuestion &trait, int choiceIndex) const
{
    return LlmParserPromptBuilder(m_plan.format.roles).isMentioned(trait, choiceIndex);
}

bool DemographicsPrompts::seedUsesParserFor(const QString &traitKey)
{
    return LlmParserPromptBuilder::seedUsesParserFor(traitKey);
}

} // namespace anthology
