#include "analysis/MatrixDistance.h"

#include "analysis/CorrelationMatrix.h"

#include <cmath>
#include <limits>

namespace anthology {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Visits the entry pairs that are finite in both matrices; returns how many of them are off the
// diagonal. The diagonal is 1 in every correlation matrix, so a model whose correlations are all
// undefined (too few compliant answers) would otherwise look identical to the humans: with no
// defined off-diagonal pair the distances are NaN.
template <typename F> qsizetype forDefined(const CorrelationMatrix &a, const CorrelationMatrix &b, F &&f)
{
    if (a.size() != b.size())
        return 0;
    qsizetype offDiagonal = 0;
    const auto &x = a.values();
    const auto &y = b.values();
    const size_t k = size_t(a.size());
    for (size_t i = 0; i < x.size(); ++i) {
        if (std::isfinite(x[i]) && std::isfinite(y[i])) {
            f(x[i], y[i]);
            if (k == 0 || i / k != i % k)
                ++offDiagonal;
        }
    }
    return offDiagonal;
}

} // namespace

double MatrixDistance::cbs(const CorrelationMatrix &a, const CorrelationMatrix &b)
{
    // For symmetric A, B: tr(A B) = sum_ij A_ij B_ij.
    double dot = 0.0, aa = 0.0, bb = 0.0;
    const qsizetype n = forDefined(a, b, [&](double x, double y) {
        dot += x * y;
        aa += x * x;
        bb += y * y;
    });
    if (n == 0 || !(aa > 0.0) || !(bb > 0.0))
        return kNaN;
    return 1.0 - dot / (std::sqrt(aa) * std::sqrt(bb));
}

double MatrixDistance::frobenius(const CorrelationMatrix &a, const CorrelationMatrix &b)
{
    double sum = 0.0;
    const qsizetype n = forDefined(a, b, [&](double x, double y) { sum += (x - y) * (x - y); });
    return n == 0 ? kNaN : std::sqrt(sum);
}

double MatrixDistance::l1(const CorrelationMatrix &a, const CorrelationMatrix &b)
{
    double sum = 0.0;
    const qsizetype n = forDefined(a, b, [&](double x, double y) { sum += std::abs(x - y); });
    return n == 0 ? kNaN : sum;
}

} // namespace anthology
