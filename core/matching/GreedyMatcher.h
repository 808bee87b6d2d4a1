#pragma once

#include "matching/MatchPair.h"

namespace anthology {

class EdgeWeights;

// Every human takes the persona of highest weight; a persona may serve several humans.
// Compared in log space, so products that underflow a double still rank correctly. Ties go to
// the lowest persona index, which makes the result independent of thread or platform.
class GreedyMatcher
{
public:
    static QList<MatchPair> match(const EdgeWeights &weights);
};

} // namespace anthology
