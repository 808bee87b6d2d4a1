#include "analysis/SplitHalfBound.h"

#include "analysis/CodeMatrix.h"
#include "analysis/CorrelationMatrix.h"
#include "analysis/DistributionDistance.h"
#include "analysis/MatrixDistance.h"
#include "analysis/WeightedDistribution.h"
#include "util/SeededRandom.h"

#include <cmath>
#include <limits>
#include <numeric>

namespace anthology {
namespace {

class RunningMean
{
public:
    void add(double v)
    {
        if (std::isfinite(v)) {
            m_sum += v;
            ++m_n;
        }
    }
    double value() const { return m_n ? m_sum / m_n : std::numeric_limits<double>::quiet_NaN(); }

private:
    double m_sum = 0.0;
    int m_n = 0;
};

} // namespace

SplitHalfResult SplitHalfBound::compute(const CodeMatrix &codes, const std::vector<double> &weights,
                                        const QList<int> &categoryCounts, int iterations, std::uint64_t seed,
                                        bool withCorrelations)
{
    const auto q = static_cast<size_t>(codes.cols);
    SplitHalfResult out;
    out.iterations = std::max(iterations, 0);
    std::vector<RunningMean> emd(q), tv(q);
    RunningMean cbs, frob, l1;

    std::vector<std::vector<int>> columns(q);
    for (size_t c = 0; c < q; ++c)
        columns[c] = codes.column(static_cast<qsizetype>(c));
    std::vector<double> w = weights;
    w.resize(static_cast<size_t>(codes.rows), 0.0);

    QList<qsizetype> order(codes.rows);
    std::iota(order.begin(), order.end(), qsizetype(0));
    SeededRandom random = SeededRandom::derive(seed, "split-half");
    const qsizetype half = codes.rows / 2;
    for (int it = 0; it < out.iterations; ++it) {
        random.shuffle(order);
        const qsizetype *first = order.constData();
        const qsizetype *second = first + half;
        for (size_t c = 0; c < q; ++c) {
            const int k = categoryCounts.value(static_cast<qsizetype>(c));
            const auto a = WeightedDistribution::fromRows(columns[c], w, first, half, k);
            const auto b = WeightedDistribution::fromRows(columns[c], w, second, codes.rows - half, k);
            emd[c].add(DistributionDistance::emd(a.shares, b.shares));
            tv[c].add(DistributionDistance::totalVariation(a.shares, b.shares));
        }
        if (withCorrelations) {
            const auto a = CorrelationMatrix::weighted(codes, w, categoryCounts, first, half);
            const auto b = CorrelationMatrix::weighted(codes, w, categoryCounts, second, codes.rows - half);
            cbs.add(MatrixDistance::cbs(a, b));
            frob.add(MatrixDistance::frobenius(a, b));
            l1.add(MatrixDistance::l1(a, b));
        }
    }
    for (size_t c = 0; c < q; ++c) {
        out.emd.push_back(emd[c].value());
        out.totalVariation.push_back(tv[c].value());
    }
    out.cbs = cbs.value();
    out.frobenius = frob.value();
    out.l1 = l1.value();
    return out;
}

} // namespace anthology
