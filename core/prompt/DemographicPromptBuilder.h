#pragma once

#include "prompt/ChatMessage.h"
#include "survey/SurveyTypes.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace anthology {

// Demographic survey prompts of METHOD.md sections 4 and 6: a trait's question,
// formatted in any symbol set, bracket style and turn style, asked after a backstory.
class DemographicPromptBuilder
{
public:
    explicit DemographicPromptBuilder(McqFormat format, bool includeAnswerForcing = true,
                                      bool usePreferNotToAnswer = true);

    static const QString &preferNotToAnswer(); // "Prefer not to answer"

    // The choices the model sees: all of them, or without "Prefer not to answer" when
    // use_prefer_not_to_answer is off (matched case-insensitively, wherever it stands).
    QStringList shownChoices(const DemographicQuestion &trait) const;

    // "{S}{C} {question}\n{choices}\n{forcing}\n{R}{C}". Empty S or C: no role prefix.
    // Empty R: the trailing role is dropped and the text stripped. Without answer
    // forcing the forcing line stays empty.
    QString question(const DemographicQuestion &trait) const;
    // backstory.strip() + "\n\n" + question (completions endpoint).
    QString prompt(const QString &backstory, const DemographicQuestion &trait) const;
    // Chat models: an optional system message, then one user message holding the same
    // text as prompt() (with multiturn_chat roles it carries no role words).
    QList<ChatMessage> messages(const QString &systemPrompt, const QString &backstory,
                                const DemographicQuestion &trait) const;
    // ["\n", S].
    QStringList stops() const;

private:
    McqFormat m_format;
    bool m_forcing;
    bool m_preferNot;
};

} // namespace anthology
