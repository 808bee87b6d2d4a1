#include "matching/RandomMatcher.h"

#include "matching/EdgeWeights.h"
#include "util/SeededRandom.h"

#include <limits>
#include <numeric>

namespace anthology {

QList<MatchPair> RandomMatcher::match(qsizetype humans, qsizetype personas, std::uint64_t seed,
                                      const EdgeWeights *weights)
{
    QList<MatchPair> out;
    if (humans <= 0 || personas <= 0)
        return out;
    SeededRandom random = SeededRandom::derive(seed, "random-matching");
    QList<qsizetype> order(personas);
    qsizetype next = personas;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (qsizetype h = 0; h < humans; ++h) {
        if (next == personas) {
            std::iota(order.begin(), order.end(), qsizetype(0));
            random.shuffle(order);
            next = 0;
        }
        const qsizetype v = order[next++];
        const bool known = weights && h < weights->humanCount() && v < weights->personaCount();
        out.append({h, v, known ? weights->weight(h, v) : nan, known ? weights->logWeight(h, v) : nan});
    }
    return out;
}

} // namespace anthology
