#pragma once

#include "survey/SurveyTypes.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace anthology {

// What to send to a completions endpoint, besides the model.
struct CompletionSpec
{
    QString prompt;
    QStringList stops;
    double temperature = 1.0;
    double topP = 1.0;
    int maxTokens = 256;
    std::optional<int> logprobs;
};

// Natural ("self-generated") backstory prompts of METHOD.md section 3.
// Decisions where METHOD.md is open:
// - With empty surveyor or connector (multiturn_chat roles) a turn has no role prefix and
//   the answer cue is empty, as in RoleText; an empty surveyor word is left out of stops.
// - Without the preamble, the story prompt starts at its own turn (no leading "\n\n").
// - The preamble is sampled at temperature 1.0, top_p 1.0 like the story, and retried at
//   most maxPreambleAttempts times.
class BackstoryPromptBuilder
{
public:
    static constexpr int maxPreambleAttempts = 10;
    static constexpr int minimumTokens = 41; // stories of 40 generated tokens or fewer are dropped on load

    explicit BackstoryPromptBuilder(RoleFormat roles = {});

    static const QString &citizenQuestion();   // "Are you a US citizen?"
    static const QString &backstoryQuestion(); // "Tell me about yourself. ..."

    // "{S}{C} Are you a US citizen?\n\n{R}{C}", max_tokens 100, stop ["\n", S].
    CompletionSpec preamble() const;
    // The preamble answer contains "yes", case-insensitively.
    static bool preambleAccepted(const QString &answer);
    // "\n\n{S}{C} Tell me about yourself...\n\n{R}{C}" after the preamble turn and its
    // answer (the answer as sampled), or the bare turn without a preamble; temperature 1.0,
    // top_p 1.0, max_tokens 1500, stop [S, "Q:", "Interview"], logprobs 1.
    CompletionSpec story(const std::optional<QString> &preambleAnswer = std::nullopt) const;
    // "{S}{C} {question}\n\n{R}{C}" + text.
    QString fullPassage(const QString &text) const;
    static bool keepOnLoad(int generatedTokens) { return generatedTokens >= minimumTokens; }

private:
    QString turn(const QString &question) const;

    RoleFormat m_roles;
};

} // namespace anthology
