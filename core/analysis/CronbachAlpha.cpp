#include "analysis/CronbachAlpha.h"

#include "analysis/CodeMatrix.h"

#include <cmath>
#include <limits>

namespace anthology {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double rowWeight(const std::vector<double> &weights, qsizetype r)
{
    if (weights.empty())
        return 1.0;
    const double w = static_cast<size_t>(r) < weights.size() ? weights[static_cast<size_t>(r)] : 0.0;
    return std::isfinite(w) && w > 0.0 ? w : 0.0;
}

// Weighted covariance of items i and j over the rows where both are valid (i == j: variance).
double covariance(const CodeMatrix &codes, const QList<int> &k, const std::vector<double> &weights,
                  qsizetype i, qsizetype j)
{
    double sw = 0.0, sx = 0.0, sy = 0.0;
    for (qsizetype r = 0; r < codes.rows; ++r) {
        const int x = codes.at(r, i), y = codes.at(r, j);
        const double w = rowWeight(weights, r);
        if (w > 0.0 && isValidCode(x, k.value(i)) && isValidCode(y, k.value(j))) {
            sw += w;
            sx += w * x;
            sy += w * y;
        }
    }
    if (!(sw > 1.0))
        return kNaN;
    const double mx = sx / sw, my = sy / sw;
    double s = 0.0;
    for (qsizetype r = 0; r < codes.rows; ++r) {
        const int x = codes.at(r, i), y = codes.at(r, j);
        const double w = rowWeight(weights, r);
        if (w > 0.0 && isValidCode(x, k.value(i)) && isValidCode(y, k.value(j)))
            s += w * (x - mx) * (y - my);
    }
    return s / (sw - 1.0);
}

double alphaFrom(qsizetype items, double sumItemVariances, double totalVariance)
{
    if (items < 2 || !std::isfinite(sumItemVariances) || !std::isfinite(totalVariance) ||
        !(totalVariance > 0.0))
        return kNaN;
    const double k = double(items);
    return k / (k - 1.0) * (1.0 - sumItemVariances / totalVariance);
}

} // namespace

double CronbachAlpha::listwise(const CodeMatrix &codes, const QList<int> &categoryCounts,
                               const std::vector<double> &weights)
{
    const qsizetype q = codes.cols;
    if (q < 2)
        return kNaN;
    // Means first, then centred sums: items and the row total share one pass each.
    std::vector<double> mean(static_cast<size_t>(q), 0.0);
    std::vector<char> keep(static_cast<size_t>(codes.rows), 0);
    double sw = 0.0, meanTotal = 0.0;
    for (qsizetype r = 0; r < codes.rows; ++r) {
        const double w = rowWeight(weights, r);
        bool valid = w > 0.0;
        for (qsizetype c = 0; c < q && valid; ++c)
            valid = isValidCode(codes.at(r, c), categoryCounts.value(c));
        if (!valid)
            continue;
        keep[static_cast<size_t>(r)] = 1;
        sw += w;
        for (qsizetype c = 0; c < q; ++c)
            mean[static_cast<size_t>(c)] += w * codes.at(r, c);
    }
    if (!(sw > 0.0))
        return kNaN;
    // All items constant: the total variance is 0 exactly, however the weighted means round.
    bool anyVaries = false;
    for (qsizetype c = 0; c < q && !anyVaries; ++c) {
        int first = 0;
        bool seen = false;
        for (qsizetype r = 0; r < codes.rows && !anyVaries; ++r) {
            if (!keep[static_cast<size_t>(r)])
                continue;
            if (seen && codes.at(r, c) != first)
                anyVaries = true;
            first = codes.at(r, c);
            seen = true;
        }
    }
    if (!anyVaries)
        return kNaN;
    for (double &m : mean) {
        m /= sw;
        meanTotal += m;
    }
    std::vector<double> ss(static_cast<size_t>(q), 0.0);
    double ssTotal = 0.0;
    for (qsizetype r = 0; r < codes.rows; ++r) {
        if (!keep[static_cast<size_t>(r)])
            continue;
        const double w = rowWeight(weights, r);
        double total = 0.0;
        for (qsizetype c = 0; c < q; ++c) {
            const double d = codes.at(r, c) - mean[static_cast<size_t>(c)];
            ss[static_cast<size_t>(c)] += w * d * d;
            total += d;
        }
        ssTotal += w * total * total;
    }
    // The common 1/(W-1) cancels in the ratio.
    double sumItems = 0.0;
    for (double s : ss)
        sumItems += s;
    return alphaFrom(q, sumItems, ssTotal);
}

double CronbachAlpha::pairwise(const CodeMatrix &codes, const QList<int> &categoryCounts,
                               const std::vector<double> &weights)
{
    const qsizetype q = codes.cols;
    if (q < 2)
        return kNaN;
    double sumItems = 0.0, total = 0.0;
    for (qsizetype i = 0; i < q; ++i) {
        const double v = covariance(codes, categoryCounts, weights, i, i);
        sumItems += v;
        total += v;
        for (qsizetype j = i + 1; j < q; ++j)
            total += 2.0 * covariance(codes, categoryCounts, weights, i, j);
    }
    return alphaFrom(q, sumItems, total);
}

} // namespace anthology
