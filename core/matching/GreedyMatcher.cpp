#include "matching/GreedyMatcher.h"

#include "matching/EdgeWeights.h"

#include <cmath>

namespace anthology {

QList<MatchPair> GreedyMatcher::match(const EdgeWeights &weights)
{
    QList<MatchPair> out;
    const qsizetype V = weights.personaCount();
    if (V == 0)
        return out;
    out.reserve(weights.humanCount());
    // EdgeWeights found each human's first persona of highest weight while it computed them.
    for (qsizetype h = 0; h < weights.humanCount(); ++h) {
        const double best = weights.bestLogWeight(h);
        out.append({h, weights.bestPersona(h), std::exp(best), best});
    }
    return out;
}

} // namespace anthology
