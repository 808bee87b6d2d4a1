#pragma once

#include <optional>

namespace anthology {

// The code a wide table or an SPSS file gives a non-compliant answer (declared user-missing in
// the .sav, labelled "Non-compliant"); a question not asked (pending, failed) is left empty /
// system-missing instead, so the two never mix.
inline constexpr int nonCompliantCode = 99;

struct AnswerExportOptions
{
    // Wide CSV and .sav: which sample's final answers (after compliance forcing). Unset: wide
    // CSV writes one row per persona and sample, .sav writes sample 0.
    std::optional<int> sample;
};

} // namespace anthology
