#pragma once

#include <QStringView>

#include <optional>

namespace anthology {

// The token count of an edited text, estimated. A backstory's stored count is the number of
// tokens the model generated; an edit changes the text but no tokenizer of that model is at
// hand (a project may hold backstories of several models, served elsewhere). The estimate
// scales the model's exact count of an earlier revision by the ratio of pre-tokenizer pieces
// (the word/number/punctuation splits BPE tokenizers apply before merging), so it carries the
// model's own tokens-per-piece rate for this very text. It is always shown as an estimate.
class TokenEstimate final
{
public:
    // Pieces as a GPT-style pre-tokenizer splits them: English contractions, a letter run with
    // its leading space, digits in groups of up to three, a punctuation run with its leading
    // space, and runs of whitespace.
    static qsizetype pieces(QStringView text);

    // exactTokens scaled by pieces(text) / pieces(exactText); nothing when there is no exact
    // count to scale or the counted text has no pieces.
    static std::optional<qint64> scaled(QStringView text, QStringView exactText, std::optional<qint64> exactTokens);
};

} // namespace anthology
