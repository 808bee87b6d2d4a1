#include "analysis/CodeMatrix.h"

namespace anthology {

std::vector<int> CodeMatrix::column(qsizetype c) const
{
    std::vector<int> out(static_cast<size_t>(rows));
    for (qsizetype r = 0; r < rows; ++r)
        out[static_cast<size_t>(r)] = at(r, c);
    return out;
}

CodeMatrix CodeMatrix::selectRows(const std::vector<qsizetype> &rowIndices) const
{
    CodeMatrix out(static_cast<qsizetype>(rowIndices.size()), cols);
    for (size_t i = 0; i < rowIndices.size(); ++i)
        for (qsizetype c = 0; c < cols; ++c)
            out.at(static_cast<qsizetype>(i), c) = at(rowIndices[i], c);
    return out;
}

} // namespace anthology
