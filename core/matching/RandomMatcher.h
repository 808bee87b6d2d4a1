#pragma once

#include "matching/MatchPair.h"

#include <cstdint>

namespace anthology {

class EdgeWeights;

// The random baseline: each human gets a persona drawn from a seeded shuffle
// (SeededRandom::derive(seed, "random-matching")), distinct personas while they last; with
// fewer personas than humans a fresh shuffle continues. Weights are filled from `weights`
// when given, NaN otherwise.
class RandomMatcher
{
public:
    static QList<MatchPair> match(qsizetype humans, qsizetype personas, std::uint64_t seed,
                                  const EdgeWeights *weights = nullptr);
};

} // namespace anthology
