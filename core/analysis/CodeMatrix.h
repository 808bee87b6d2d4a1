#pragma once

#include <QtGlobal>

#include <vector>

namespace anthology {

// Answer codes, one row per respondent (human or persona), one column per question, row-major.
// Human rows carry ATP codes (valid 1..K; e.g. 99 Refused is missing); model rows carry the parsed
// choice 1..K or anything else (0, -1) for a non-compliant answer.
struct CodeMatrix
{
    qsizetype rows = 0;
    qsizetype cols = 0;
    std::vector<int> codes;

    CodeMatrix() = default;
    CodeMatrix(qsizetype r, qsizetype c, int fill = 0)
        : rows(r), cols(c), codes(static_cast<size_t>(r * c), fill)
    {
    }

    int at(qsizetype r, qsizetype c) const { return codes[static_cast<size_t>(r * cols + c)]; }
    int &at(qsizetype r, qsizetype c) { return codes[static_cast<size_t>(r * cols + c)]; }
    std::vector<int> column(qsizetype c) const;
    // The rows whose index is listed, in that order.
    CodeMatrix selectRows(const std::vector<qsizetype> &rowIndices) const;
};

// The one validity rule of METHOD.md section 8: a code counts iff it is a choice 1..K. Codes < 0
// or > 90 are the survey's missing codes; anything else outside 1..K (0, K+1..90) cannot be a
// choice either and is treated as missing too.
inline bool isValidCode(int code, int categoryCount)
{
    return code >= 1 && code <= categoryCount;
}

} // namespace anthology
