#pragma once

#include "survey/SurveyTypes.h"

#include <QString>
#include <QStringList>

namespace anthology {

// Multiple-choice text of METHOD.md section 4: option symbols, choice lines and the
// answer-forcing sentence, for one symbol set and bracket style.
class McqFormatter
{
public:
    explicit McqFormatter(SymbolSet symbols = SymbolSet::Uppercase, ChoiceFormat brackets = {},
                          Behaviour forcing = Behaviour::Ours);
    explicit McqFormatter(const McqFormat &format);

    // Symbol of the 0-based option i: "A", "a" or "1" (numbers go past 9: "10", "11", ...).
    static QString symbol(SymbolSet symbols, int i);
    QString symbol(int i) const { return symbol(m_symbols, i); }

    // "{left}{symbol}{right}", e.g. "(A)", "[b]", "3.", "D".
    QString marker(int i) const;
    // "{left}{symbol}{right} {choice}".
    QString choiceLine(int i, const QString &choice) const;
    // Choice lines joined by "\n" (no trailing newline).
    QString choiceLines(const QStringList &choices) const;

    // "Answer with (A), (B), or (C)." for k options; "Answer with (A), or (B)." for two and
    // "Answer with (A)." for one. Seed behaviour always writes "(A)"-style uppercase
    // markers; ours uses this formatter's own markers ("Answer with a., b., or c.").
    QString forcingLine(int k) const; // a dot marker ends the sentence itself: "a., b., or c."
    // The forcing enumeration alone, "(A), (B), or (C)", as used by the LLM-parser prompt.
    QString markerEnumeration(int k) const;

private:
    SymbolSet m_symbols;
    ChoiceFormat m_brackets;
    Behaviour m_forcing;
};

} // namespace anthology
