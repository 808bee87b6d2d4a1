#pragma once

#include <QList>

#include <vector>

namespace anthology {

struct CodeMatrix;

// A symmetric question-by-question correlation matrix, row-major. An entry is NaN when it is
// undefined: a constant column (zero variance) or fewer than two usable rows; the diagonal is 1
// where the column varies and NaN where it does not.
class CorrelationMatrix
{
public:
    CorrelationMatrix() = default;
    explicit CorrelationMatrix(qsizetype size);

    qsizetype size() const { return m_size; }
    double at(qsizetype i, qsizetype j) const { return m_values[static_cast<size_t>(i * m_size + j)]; }
    const std::vector<double> &values() const { return m_values; }
    // Rows that entered the computation (listwise); for pairwise, the smallest pair's count.
    qsizetype rowsUsed() const { return m_rowsUsed; }

    // Humans: rows with any invalid code (outside 1..K of its question) are dropped (listwise),
    // weights are normalized, and the covariance is numpy's cov(aweights=w); its normalizing
    // factor cancels in the correlation. Rows with zero (or invalid) weight contribute nothing.
    static CorrelationMatrix weighted(const CodeMatrix &codes, const std::vector<double> &weights,
                                      const QList<int> &categoryCounts);
    // The same over a subset of rows (split halves).
    static CorrelationMatrix weighted(const CodeMatrix &codes, const std::vector<double> &weights,
                                      const QList<int> &categoryCounts, const qsizetype *rows,
                                      qsizetype count);
    // Model answers: unweighted Pearson, per pair over the rows where both answers are compliant.
    static CorrelationMatrix pairwise(const CodeMatrix &answers, const QList<int> &categoryCounts);
    // a - b entry by entry (NaN where either is); empty when the sizes differ.
    static CorrelationMatrix difference(const CorrelationMatrix &a, const CorrelationMatrix &b);

private:
    void set(qsizetype i, qsizetype j, double value);

    qsizetype m_size = 0;
    qsizetype m_rowsUsed = 0;
    std::vector<double> m_values;
};

} // namespace anthology
