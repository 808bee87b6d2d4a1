#include "analysis/CorrelationMatrix.h"

#include "analysis/CodeMatrix.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace anthology {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double correlationFrom(double sxy, double sxx, double syy)
{
    if (!(sxx > 0.0) || !(syy > 0.0))
        return kNaN;
    double r = sxy / std::sqrt(sxx * syy);
    // Rounding can carry |r| a hair past 1.
    return std::clamp(r, -1.0, 1.0);
}

} // namespace

CorrelationMatrix::CorrelationMatrix(qsizetype size)
    : m_size(size), m_values(static_cast<size_t>(size * size), kNaN)
{
}

void CorrelationMatrix::set(qsizetype i, qsizetype j, double value)
{
    m_values[static_cast<size_t>(i * m_size + j)] = value;
    m_values[static_cast<size_t>(j * m_size + i)] = value;
}

CorrelationMatrix CorrelationMatrix::weighted(const CodeMatrix &codes, const std::vector<double> &weights,
                                              const QList<int> &categoryCounts)
{
    std::vector<qsizetype> all(static_cast<size_t>(codes.rows));
    std::iota(all.begin(), all.end(), qsizetype(0));
    return weighted(codes, weights, categoryCounts, all.data(), codes.rows);
}

CorrelationMatrix CorrelationMatrix::weighted(const CodeMatrix &codes, const std::vector<double> &weights,
                                              const QList<int> &categoryCounts, const qsizetype *rows,
                                              qsizetype count)
{
    const qsizetype q = codes.cols;
    CorrelationMatrix out(q);

    // Listwise: keep the rows valid on every question and with a positive weight.
    std::vector<qsizetype> kept;
    kept.reserve(static_cast<size_t>(count));
    double total = 0.0;
    for (qsizetype i = 0; i < count; ++i) {
        const qsizetype r = rows[i];
        const double w = static_cast<size_t>(r) < weights.size() ? weights[static_cast<size_t>(r)] : 0.0;
        if (!std::isfinite(w) || !(w > 0.0))
            continue;
        bool valid = true;
        for (qsizetype c = 0; c < q && valid; ++c)
            valid = isValidCode(codes.at(r, c), categoryCounts.value(c));
        if (valid) {
            kept.push_back(r);
            total += w;
        }
    }
    out.m_rowsUsed = static_cast<qsizetype>(kept.size());
    if (kept.size() < 2 || !(total > 0.0))
        return out;

    // A constant column must come out NaN, not as rounding noise around its weighted mean, so
    // constancy is decided on the codes themselves.
    std::vector<char> varies(static_cast<size_t>(q), 0);
    for (qsizetype c = 0; c < q; ++c)
        for (qsizetype r : kept)
            if (codes.at(r, c) != codes.at(kept.front(), c)) {
                varies[static_cast<size_t>(c)] = 1;
                break;
            }

    // Two passes (means, then centred cross products) keep the sums accurate.
    std::vector<double> mean(static_cast<size_t>(q), 0.0);
    for (qsizetype r : kept) {
        const double w = weights[static_cast<size_t>(r)] / total;
        for (qsizetype c = 0; c < q; ++c)
            mean[static_cast<size_t>(c)] += w * codes.at(r, c);
    }
    std::vector<double> cross(static_cast<size_t>(q * q), 0.0);
    std::vector<double> d(static_cast<size_t>(q));
    for (qsizetype r : kept) {
        const double w = weights[static_cast<size_t>(r)] / total;
        for (qsizetype c = 0; c < q; ++c)
            d[static_cast<size_t>(c)] = codes.at(r, c) - mean[static_cast<size_t>(c)];
        for (qsizetype i = 0; i < q; ++i) {
            const double wi = w * d[static_cast<size_t>(i)];
            double *row = &cross[static_cast<size_t>(i * q)];
            for (qsizetype j = i; j < q; ++j)
                row[j] += wi * d[static_cast<size_t>(j)];
        }
    }
    for (qsizetype i = 0; i < q; ++i)
        for (qsizetype j = i; j < q; ++j)
            if (varies[static_cast<size_t>(i)] && varies[static_cast<size_t>(j)])
                out.set(i, j,
                        i == j ? 1.0
                               : correlationFrom(cross[static_cast<size_t>(i * q + j)],
                                                 cross[static_cast<size_t>(i * q + i)],
                                                 cross[static_cast<size_t>(j * q + j)]));
    return out;
}

CorrelationMatrix CorrelationMatrix::pairwise(const CodeMatrix &answers, const QList<int> &categoryCounts)
{
    const qsizetype q = answers.cols;
    CorrelationMatrix out(q);
    qsizetype smallest = q > 0 ? answers.rows : 0;
    for (qsizetype i = 0; i < q; ++i) {
        for (qsizetype j = i; j < q; ++j) {
            const int ki = categoryCounts.value(i), kj = categoryCounts.value(j);
            double sx = 0.0, sy = 0.0;
            qsizetype n = 0;
            for (qsizetype r = 0; r < answers.rows; ++r) {
                const int x = answers.at(r, i), y = answers.at(r, j);
                if (isValidCode(x, ki) && isValidCode(y, kj)) {
                    sx += x;
                    sy += y;
                    ++n;
                }
            }
            smallest = std::min(smallest, n);
            if (n < 2)
                continue;
            const double mx = sx / double(n), my = sy / double(n);
            double sxy = 0.0, sxx = 0.0, syy = 0.0;
            for (qsizetype r = 0; r < answers.rows; ++r) {
                const int x = answers.at(r, i), y = answers.at(r, j);
                if (isValidCode(x, ki) && isValidCode(y, kj)) {
                    sxy += (x - mx) * (y - my);
                    sxx += (x - mx) * (x - mx);
                    syy += (y - my) * (y - my);
                }
            }
            out.set(i, j, i == j ? (sxx > 0.0 ? 1.0 : kNaN) : correlationFrom(sxy, sxx, syy));
        }
    }
    out.m_rowsUsed = smallest;
    return out;
}

CorrelationMatrix CorrelationMatrix::difference(const CorrelationMatrix &a, const CorrelationMatrix &b)
{
    if (a.size() != b.size())
        return {};
    CorrelationMatrix d(a.size());
    d.m_rowsUsed = std::min(a.rowsUsed(), b.rowsUsed());
    for (size_t i = 0; i < d.m_values.size(); ++i)
        d.m_values[i] = a.m_values[i] - b.m_values[i];
    return d;
}

} // namespace anthology
