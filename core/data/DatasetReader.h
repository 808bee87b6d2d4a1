#pragma once

#include "data/Dataset.h"
#include "util/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace anthology {

struct DatasetReadOptions
{
    // Empty: WEIGHT_W<wave> when `wave` > 0, else the first WEIGHT_W<n>; none when absent.
    // Named: must exist, or the read fails.
    QString weightVariable;
    int wave = 0;
    // Empty: QKEY when present. Named: must exist.
    QString keyVariable;
};

// Imports SPSS .sav/.zsav/.por and Stata .dta through ReadStat into a columnar Dataset.
// Files are read into memory first and parsed from there, so a damaged file can only ever
// produce an Error naming the file and ReadStat's reason.
class DatasetReader
{
public:
    static Result<Dataset> read(const QString &path, const DatasetReadOptions &options = {});
    // Parses bytes already in memory; `displayName` names the source in errors and is used
    // for the extension fallback of format detection when `format` is Unknown.
    static Result<Dataset> readBytes(const QByteArray &bytes, const QString &displayName,
                                     DatasetFormat format = DatasetFormat::Unknown,
                                     const DatasetReadOptions &options = {});

    // From the content's magic bytes, falling back to the file name's extension.
    static DatasetFormat detectFormat(QByteArrayView head, const QString &fileName = {});
    static QString formatName(DatasetFormat format);
};

} // namespace anthology
