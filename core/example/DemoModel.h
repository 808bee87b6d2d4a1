#pragma once

#include <QString>

#include <optional>

namespace anthology {

// The scripted respondent behind the example project's study. It is not a language model and
// makes no claim to be one: its answers are a deterministic function of the prompt, the seed
// and the sample index, so the example shows real runs, tables and charts that are the same on
// every machine.
//
// To the last multiple-choice question of a prompt ("(A) ..." lines) it answers " (X) [scripted
// demo answer, not an LLM]" (the label travels into every export of the raw answers), where X
// comes from a leaning of the persona (the text before that question), a leaning of the
// question, and a little per-sample noise; about one sample in twenty-five names no option.
// "Prefer not to answer" is chosen rarely. Anything else gets a fixed sentence saying what it is.
class DemoModel
{
public:
    static QString modelName(); // the model id the demo server reports and runs record

    static QString answer(const QString &prompt, std::optional<qint64> seed, int sampleIndex);
};

} // namespace anthology
