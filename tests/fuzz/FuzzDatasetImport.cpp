// Mutated SPSS/Stata bytes through the whole import path, parsed from memory through
// ReadStat's I/O handlers (no temporary files). Seeds: tests/fuzz/corpus/dataset_import plus
// PSPP's example .sav files; see tests/fuzz/README-dataset-import.md.

#include "data/DatasetReader.h"
#include "data/DemographicMetadata.h"
#include "data/QuestionnaireFromDataset.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>

using namespace anthology;
using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    DatasetFormat format = DatasetReader::detectFormat(bytes);
    if (format == DatasetFormat::Unknown && size > 0) {
        // Let every parser see arbitrary bytes, not only those that start with a magic number.
        static const DatasetFormat any[] = {DatasetFormat::Sav, DatasetFormat::Por, DatasetFormat::Dta};
        format = any[data[0] % 3];
    }
    const Result<Dataset> ds = DatasetReader::readBytes(bytes, u"fuzz-input"_s, format);
    if (!ds.ok())
        return 0;
    // Everything downstream of import must cope with whatever the file declared.
    (void)DemographicMetadata::detect(*ds);
    for (const Variable &v : ds->variables())
        (void)QuestionnaireFromDataset::question(v);
    (void)ds->weights();
    return 0;
}
