#include "analysis/WeightedDistribution.h"

#include "analysis/CodeMatrix.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace anthology {
namespace {

double usableWeight(double w)
{
    return std::isfinite(w) && w > 0.0 ? w : 0.0;
}

class Accumulator
{
public:
    explicit Accumulator(int k) : m_k(k), m_sums(static_cast<size_t>(k > 0 ? k : 0), 0.0) {}

    void add(int code, double w)
    {
        if (!isValidCode(code, m_k))
            return;
        ++m_valid;
        w = usableWeight(w);
        m_sums[static_cast<size_t>(code - 1)] += w;
        m_sum += w;
        m_sumSquares += w * w;
    }

    WeightedDistribution finish() const
    {
        WeightedDistribution d;
        d.shares.assign(m_sums.size(), 0.0);
        d.standardErrors.assign(m_sums.size(), std::numeric_limits<double>::quiet_NaN());
        d.sumWeights = m_sum;
        d.validCount = m_valid;
        d.effectiveSize = m_sumSquares > 0.0 ? m_sum * m_sum / m_sumSquares : 0.0;
        if (!(m_sum > 0.0))
            return d;
        for (size_t k = 0; k < m_sums.size(); ++k) {
            const double p = m_sums[k] / m_sum;
            d.shares[k] = p;
            d.standardErrors[k] = std::sqrt(p * (1.0 - p) / m_sum);
        }
        return d;
    }

private:
    int m_k;
    std::vector<double> m_sums;
    double m_sum = 0.0;
    double m_sumSquares = 0.0;
    long long m_valid = 0;
};

} // namespace

WeightedDistribution WeightedDistribution::fromCodes(const std::vector<int> &codes,
                                                     const std::vector<double> &weights, int categoryCount)
{
    Accumulator acc(categoryCount);
    for (size_t i = 0; i < codes.size(); ++i)
        acc.add(codes[i], i < weights.size() ? weights[i] : 0.0);
    return acc.finish();
}

WeightedDistribution WeightedDistribution::fromAnswers(const std::vector<int> &answers, int categoryCount)
{
    Accumulator acc(categoryCount);
    for (int a : answers)
        acc.add(a, 1.0);
    return acc.finish();
}

WeightedDistribution WeightedDistribution::fromRows(const std::vector<int> &codes,
                                                    const std::vector<double> &weights, const qsizetype *rows,
                                                    qsizetype count, int categoryCount)
{
    Accumulator acc(categoryCount);
    for (qsizetype i = 0; i < count; ++i) {
        const auto r = static_cast<size_t>(rows[i]);
        acc.add(codes[r], weights[r]);
    }
    return acc.finish();
}

double WeightedDistribution::lower(size_t k, double z) const
{
    const double v = shares.at(k) - z * standardErrors.at(k);
    return std::isnan(v) ? v : std::max(0.0, v);
}

double WeightedDistribution::upper(size_t k, double z) const
{
    const double v = shares.at(k) + z * standardErrors.at(k);
    return std::isnan(v) ? v : std::min(1.0, v);
}

} // namespace anthology
