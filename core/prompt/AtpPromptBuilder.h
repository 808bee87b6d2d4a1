#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace anthology {

struct AtpPromptOptions
{
    QString consistencyPrompt; // special_prompt.consistency_prompt; empty for none
    bool includeAnswerForcing = true;
    bool inSeries = true;
    bool noConditioning = false; // the prompt_style "nothing" baseline
};

// ATP opinion questions of METHOD.md section 4:
// "{consistency}\nQuestion: {body}\n{choices}\n{forcing}\nAnswer:", stripped at both ends.
// Choices and forcing always use "(A) text" markers here, whatever format/mcq_symbol says.
class AtpPromptBuilder
{
public:
    explicit AtpPromptBuilder(AtpPromptOptions options);

    // The consistency sentence for the question asked at position askedIndex (0-based, in
    // asked order): always, except in the nothing baseline where it is left out of the
    // first question, and out of every question when they are not asked in series.
    QString consistencyFor(int askedIndex) const;

    // Completion text for choices already in shown order.
    QString question(const QString &body, const QStringList &shownChoices, int askedIndex) const;
    // Chat user turn: the same text without the trailing "Answer:" cue (the assistant turn
    // takes its place), stripped again.
    QString chatQuestion(const QString &body, const QStringList &shownChoices, int askedIndex) const;

    // Completion stops ["\n", "Question:"].
    static QStringList stops();

    // The order questions are asked in: file order, or a permutation drawn from
    // SeededRandom::derive(seed, "questions/<personaKey>") when randomize is on and the
    // questions are asked in series (independent questions are never reordered).
    static QList<int> questionOrder(int count, bool inSeries, bool randomize, std::uint64_t seed,
                                    const QString &personaKey);

private:
    AtpPromptOptions m_options;
};

} // namespace anthology
