#pragma once

#include <QtGlobal>

#include <vector>

namespace anthology {

// The distribution of one question's answers over choices 1..K (shares[k-1] for choice k).
// Humans: weighted shares of valid codes, renormalized over the valid rows; model: plain shares of
// compliant answers. A question without any valid (or positively weighted) answer is `empty()`:
// shares are all 0, standard errors NaN, and every distance involving it is NaN.
struct WeightedDistribution
{
    std::vector<double> shares;
    std::vector<double> standardErrors; // sqrt(p(1-p)/n) with n = sumWeights (the seed's choice)
    double sumWeights = 0.0;            // over valid rows only
    double effectiveSize = 0.0;         // Kish: (sum w)^2 / sum w^2 over valid rows
    long long validCount = 0;           // valid rows, whatever their weight

    bool empty() const { return !(sumWeights > 0.0); }

    // The normal-approximation interval share +- z * SE of choice index k (0-based), clamped to
    // [0, 1]; the seed's error bars. NaN ends when the SE is undefined.
    static constexpr double z95 = 1.959963984540054;
    double lower(size_t k, double z = z95) const;
    double upper(size_t k, double z = z95) const;

    // weights.size() must equal codes.size(); non-finite or negative weights count as 0.
    static WeightedDistribution fromCodes(const std::vector<int> &codes, const std::vector<double> &weights,
                                          int categoryCount);
    // Every row weighs 1: the model side, where a non-compliant answer is any code outside 1..K.
    static WeightedDistribution fromAnswers(const std::vector<int> &answers, int categoryCount);
    // The same over a subset of rows (used by split halves without copying the column).
    static WeightedDistribution fromRows(const std::vector<int> &codes, const std::vector<double> &weights,
                                         const qsizetype *rows, qsizetype count, int categoryCount);
};

} // namespace anthology
