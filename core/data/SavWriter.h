#pragma once

#include "data/Dataset.h"
#include "util/Result.h"

#include <QString>

namespace anthology {

struct SavWriteOptions
{
    // Sav (row-compressed), Zsav (zlib) or, for interchange, Por and Dta (Stata 118: no
    // user-missing codes or string value labels, which Stata cannot hold).
    DatasetFormat format = DatasetFormat::Sav;
};

// Writes a Dataset through ReadStat's writer with its variable labels, value labels,
// user-missing codes and file label, so PSPP, SPSS and R open it. The file is replaced
// atomically: a failed write leaves any previous file untouched.
class SavWriter
{
public:
    static Status write(const Dataset &dataset, const QString &path, const SavWriteOptions &options = {});
};

} // namespace anthology
