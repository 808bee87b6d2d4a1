#pragma once

#include <QList>

namespace anthology {

// One matched (human, persona) pair; indices are rows of the matching problem.
struct MatchPair
{
    qsizetype human = 0;
    qsizetype persona = 0;
    double weight = 0.0;    // w(h, v); may underflow to 0 for very unlikely pairs
    double logWeight = 0.0; // log w(h, v), exact where weight underflows; -inf for w = 0

    friend bool operator==(const MatchPair &, const MatchPair &) = default;
};

} // namespace anthology
