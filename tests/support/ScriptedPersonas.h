#pragma once

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace anthology::test {

struct ScriptedPersonasOptions
{
    int noOneIn = 3;           // about one in noOneIn citizenship answers is "No" (per seed)
    int shortOneIn = 5;        // about one in shortOneIn stories has 40 tokens or fewer
    int noncompliantOneIn = 6; // about one in noncompliantOneIn multiple-choice samples names no option
    int notMentionedOneIn = 3; // about one in notMentionedOneIn parser answers is "Was not mentioned"
};

// A FakeLlmServerConfig::answer hook that plays personas:
// - to "Are you a US citizen?" (the last question asked) it says " Yes" or, for some seeds, " No";
// - to "Tell me about yourself..." it tells a story, " I am persona <hex of the seed>. ..."
//   of 60 to 99 tokens, or of 20 for some seeds;
// - to a multiple-choice question ("(A) ..." lines) it answers " (X)" where the letter is a
//   deterministic function of the text before the question (the backstory) and the
//   question, whatever the seed; some samples (by seed and sample index) answer "hard to say";
// - to the LLM-as-parser question (a choice "Was not mentioned") it names that choice for
//   some (backstory, question) pairs and otherwise the letter of the rule above.
std::function<std::optional<QStringList>(const QString &, std::optional<qint64>, int, int)>
scriptedPersonas(ScriptedPersonasOptions options = {});

// The letter index the scripted personas choose for a backstory and a question with k choices.
int scriptedChoice(const QString &backstory, const QString &question, int choiceCount);
// Whether the scripted story for a seed has 40 tokens or fewer.
bool scriptedStoryIsShort(qint64 seed, const ScriptedPersonasOptions &options = {});

} // namespace anthology::test
