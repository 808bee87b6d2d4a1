#pragma once

#include <QByteArrayView>
#include <QList>

#include <cstdint>
#include <utility>

namespace anthology {

// A deterministic random source whose streams are identical on every platform and
// standard library (std::uniform_int_distribution and std::shuffle are not), so a seed
// recorded with a run replays the same option orders, shuffles and samples anywhere.
// xoshiro256** seeded through splitmix64.
class SeededRandom
{
public:
    explicit SeededRandom(std::uint64_t seed);

    // An independent stream for one keyed purpose, e.g. derive(seed, "options/<persona>/<question>").
    static SeededRandom derive(std::uint64_t seed, QByteArrayView key);

    std::uint64_t next();
    // Uniform in [0, bound); bound > 0. Unbiased (Lemire's method with rejection).
    std::uint64_t below(std::uint64_t bound);
    // Uniform in [0, 1) with 53 random bits.
    double uniform();

    // Fisher-Yates from the back, as below() draws: the same permutation everywhere.
    template <typename T> void shuffle(QList<T> &list)
    {
        for (qsizetype i = list.size() - 1; i > 0; --i)
            std::swap(list[i], list[static_cast<qsizetype>(below(static_cast<std::uint64_t>(i) + 1))]);
    }

private:
    std::uint64_t m_state[4];
};

} // namespace anthology
