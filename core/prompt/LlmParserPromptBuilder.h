#pragma once

#include "prompt/ChatMessage.h"
#include "survey/SurveyTypes.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace anthology {

// LLM-as-parser of METHOD.md section 6: a chat model reads the backstory as an "Essay"
// and answers the trait's llm_parser_question, whose "Prefer not to answer" becomes
// "Was not mentioned".
// Decisions: "(A), ... or (X)" is written out in full like the answer forcing
// ("(A), (B), or (C)"); the user message is essay.strip() + "\n\n" + question; every
// occurrence of the surveyor word in the backstory (case-sensitive) becomes "Essay".
class LlmParserPromptBuilder
{
public:
    explicit LlmParserPromptBuilder(RoleFormat roles = {});

    static const QString &systemPrompt(); // "Please select the best answer from the following choices:"
    static const QString &notMentioned(); // "Was not mentioned"
    // The seed does not use the parser for race, gender and religion.
    static bool seedUsesParserFor(const QString &traitKey);

    QStringList choices(const DemographicQuestion &trait) const;
    QString essay(const QString &backstory) const;
    QString question(const DemographicQuestion &trait) const;
    QList<ChatMessage> messages(const QString &backstory, const DemographicQuestion &trait) const;
    // True when the parsed option is an answer rather than "Was not mentioned".
    bool isMentioned(const DemographicQuestion &trait, int choiceIndex) const;

private:
    RoleFormat m_roles;
};

} // namespace anthology
