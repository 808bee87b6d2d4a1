#pragma once

#include <QList>

#include <vector>

namespace anthology {

struct CodeMatrix;

// Cronbach's alpha over the questions (items): k/(k-1) * (1 - sum var_i / var_total), where
// var_total is the variance of the row sums. NaN for fewer than two items, fewer than two usable
// rows, or a zero total variance.
//
// Weighted (humans): weights act as frequency weights, var = sum w (x - mean_w)^2 / (W - 1), the
// definition PSPP and SPSS use under WEIGHT BY. In the listwise form every variance shares the
// same denominator, so alpha does not depend on the weights' scale (normalized or not).
// An empty weight vector means every row weighs 1.
class CronbachAlpha
{
public:
    // Listwise deletion: rows with any invalid code are dropped (METHOD.md section 8).
    static double listwise(const CodeMatrix &codes, const QList<int> &categoryCounts,
                           const std::vector<double> &weights = {});
    // Pairwise option: each item variance over the rows valid on that item, each covariance over
    // the rows valid on both, var_total = sum_i var_i + 2 sum_{i<j} cov_ij. Here the W - 1
    // denominators differ per pair, so weights are used at their given scale.
    static double pairwise(const CodeMatrix &codes, const QList<int> &categoryCounts,
                           const std::vector<double> &weights = {});
};

} // namespace anthology
