#pragma once

#include <QList>

#include <cstdint>
#include <vector>

namespace anthology {

struct CodeMatrix;

// The human lower bound: how far two random halves of the same human sample are from each other.
struct SplitHalfResult
{
    int iterations = 0;
    std::vector<double> emd; // per question, mean over the splits where both halves have data
    std::vector<double> totalVariation;
    double cbs = 0.0; // correlation-matrix distances between the halves, mean over splits
    double frobenius = 0.0;
    double l1 = 0.0;
};

// Each split shuffles all human rows (SeededRandom::derive(seed, "split-half"), one stream for
// every split) and cuts them into the first floor(n/2) and the rest; the same split serves
// every question and the correlation matrices, so the bounds are those of one resampling scheme.
// Distances undefined in a split (an empty half, a constant column) are left out of its mean.
class SplitHalfBound
{
public:
    static SplitHalfResult compute(const CodeMatrix &codes, const std::vector<double> &weights,
                                   const QList<int> &categoryCounts, int iterations, std::uint64_t seed,
                                   bool withCorrelations = true);
};

} // namespace anthology
