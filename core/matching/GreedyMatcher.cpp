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
    for (qsizetype h = 0; h < weights.humanCount(); ++h) {
        const double *row = weights.logRow(h);
        qsizetype best = 0;
        for (qsizetype v = 1; v < V; ++v)
            if (row[v] > row[best]) // strict: the first of equal weights stays
                best = v;
        out.append({h, best, std::exp(row[best]), row[best]});
    }
    return out;
}

} // namespace anthology
