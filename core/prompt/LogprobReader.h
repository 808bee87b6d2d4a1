#pragma once

#include "survey/SurveyTypes.h"

#include <QList>
#include <QString>
#include <QStringView>

namespace anthology {

struct TopLogprob
{
    QString token;
    double logprob = 0.0;
};

// One generated position: the sampled token and the alternatives the server returned.
struct TokenLogprobs
{
    QString token;
    double logprob = 0.0;
    QList<TopLogprob> top;
};

struct OptionDistribution
{
    int position = -1;           // the answer position in the list; -1 when none
    QList<double> probabilities; // per option in shown order, normalized; all 0 when nothing recognized
    double recognizedMass = 0.0; // sum of exp(logprob) of the recognized tokens
    double unassignedMass = 1.0; // 1 - recognizedMass, clamped at 0
    bool ok() const { return recognizedMass > 0.0; }
};

// The logprob route of METHOD.md section 5: the probabilities of the option symbols at the
// answer position.
// - The answer position is the first position whose sampled token, stripped of whitespace
//   and of the brackets ()[], is non-empty: a leading " (" or " " token is skipped so the
//   symbol itself is read.
// - A token names option i when, stripped of whitespace, leading "(" / "[" and trailing
//   ")", "]", ".", ",", it is the option's symbol: letters case-insensitively whatever the
//   symbol set (" A", "A", "(A", "A)", " (A", "a"), numbers "1".."K" as whole tokens (a
//   tokenizer splitting "12" into "1" "2" gives the mass to option 1).
// - The sampled token counts among the alternatives when the server listed it separately;
//   a token listed twice counts once. Several variants of one symbol add up.
class LogprobReader
{
public:
    LogprobReader(SymbolSet symbols, int optionCount);

    static int answerPosition(const QList<TokenLogprobs> &positions);
    // Option index the token names, or -1.
    int optionOf(QStringView token) const;
    OptionDistribution read(const QList<TokenLogprobs> &positions) const;

private:
    SymbolSet m_symbols;
    int m_count;
};

} // namespace anthology
