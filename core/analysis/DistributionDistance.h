#pragma once

#include <vector>

namespace anthology {

// Distances between two distributions over the ordered choices 1..K (same K).
// Both return NaN when either side is empty (all zero) or the sizes differ.
class DistributionDistance
{
public:
    // 1-Wasserstein on positions 1..K: sum over k of |CDF_p(k) - CDF_q(k)|.
    static double emd(const std::vector<double> &p, const std::vector<double> &q);
    // Total variation: 0.5 * sum |p - q|.
    static double totalVariation(const std::vector<double> &p, const std::vector<double> &q);
};

} // namespace anthology
