#pragma once

namespace anthology {

class CorrelationMatrix;

// Distances between two correlation matrices of the same size, over the entries defined (finite)
// in both: a constant column's NaN entries are left out rather than poisoning the sum. NaN when
// the sizes differ or no entry is defined in both.
class MatrixDistance
{
public:
    // Correlation-based similarity distance: 1 - tr(A B) / (|A|_F |B|_F), with A, B symmetric.
    static double cbs(const CorrelationMatrix &a, const CorrelationMatrix &b);
    static double frobenius(const CorrelationMatrix &a, const CorrelationMatrix &b);
    static double l1(const CorrelationMatrix &a, const CorrelationMatrix &b);
};

} // namespace anthology
