#pragma once

#include "prompt/OptionOrder.h"
#include "survey/SurveyTypes.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <memory>

namespace anthology {

struct AnswerParserOptions
{
    SymbolSet symbols = SymbolSet::Uppercase;
    Behaviour textRule = Behaviour::Ours;   // seed: overlapping labels make the text unknown
    Behaviour labelMatch = Behaviour::Ours; // seed: labels are regular expressions
};

// The outcome of parsing one answer. Indices are -1 when unknown.
struct ParsedAnswer
{
    int option = -1;           // original (unrandomized) option index when compliant
    int shown = -1;            // the same option in shown order
    QStringList symbols;       // distinct option symbols the letter rule counted, in order of appearance
    int letter = -1;           // shown index of the letter when exactly one symbol counts and is in range
    bool letterBeyond = false; // exactly one symbol counts but it names no option
    QList<int> labels;         // shown indices of the labels the text rule counts
    int text = -1;             // shown index when exactly one label counts
    bool compliant = false;
    QString reason; // why not compliant; empty when compliant
};

// Reads which option an answer names (METHOD.md section 5).
//
// Letter rule, uppercase symbols: a capital A-Z preceded by start, '[', '(', '"', '\'' or a
// space, followed by end, ']', ')', '"', '\'', '.', ',' or a space, and not followed by
// " great", " lot", " little", " good" or " bad". Our generalization:
// - lowercase symbols: the same rule over a-z (only lowercase letters count, so the
//   pronoun "I" does not compete; the article "a" does when it stands before another word),
//   except that an apostrophe inside a word opens nothing ("I'd say b)" is b, not d);
// - number symbols: a maximal run of digits under the same boundaries, except that a '.'
//   followed by a digit does not end it ("2.5" is no symbol); any value counts, and a value
//   of 0 or above the number of options is "beyond" like a letter past the last option; the
//   in-word apostrophe exception applies here too.
// Only the plain space is a boundary, as in the rule; the completion stops at newlines.
// Text rule: case-insensitive occurrence of an option label. Seed: each label is a regular
// expression (an invalid one never matches) and any two matching labels make the text
// unknown. Ours: literal match, and a matched label contained in a longer matched label
// does not count.
class AnswerParser
{
public:
    AnswerParser(QStringList shownChoices, AnswerParserOptions options = {},
                 OptionOrder order = OptionOrder());
    ~AnswerParser();
    AnswerParser(const AnswerParser &) = delete;
    AnswerParser &operator=(const AnswerParser &) = delete;

    ParsedAnswer parse(QStringView answer) const;

    // The distinct symbols the letter rule counts in the answer, as written.
    static QStringList countedSymbols(QStringView answer, SymbolSet symbols);

private:
    struct SeedPatterns;

    QList<int> matchingLabels(QStringView answer) const;
    int symbolIndex(const QString &symbol) const;

    QStringList m_choices;
    AnswerParserOptions m_options;
    OptionOrder m_order;
    std::unique_ptr<SeedPatterns> m_patterns;
};

} // namespace anthology
