#include "data/DatasetReader.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <readstat.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

// ReadStat pulls bytes through these handlers, so parsing never touches the file again.
struct MemoryIo
{
    const char *data = nullptr;
    qint64 size = 0;
    qint64 pos = 0;
};

int memOpen(const char *, void *)
{
    return 0;
}
int memClose(void *)
{
    return 0;
}

readstat_off_t memSeek(readstat_off_t offset, readstat_io_flags_t whence, void *ctx)
{
    auto *io = static_cast<MemoryIo *>(ctx);
    qint64 base = 0;
    if (whence == READSTAT_SEEK_CUR)
        base = io->pos;
    else if (whence == READSTAT_SEEK_END)
        base = io->size;
    const qint64 target = base + static_cast<qint64>(offset);
    if (target < 0 || target > io->size)
        return -1;
    io->pos = target;
    return static_cast<readstat_off_t>(target);
}

ssize_t memRead(void *buf, size_t nbyte, void *ctx)
{
    auto *io = static_cast<MemoryIo *>(ctx);
    const qint64 n = std::min<qint64>(static_cast<qint64>(nbyte), io->size - io->pos);
    if (n <= 0)
        return 0;
    std::memcpy(buf, io->data + io->pos, static_cast<size_t>(n));
    io->pos += n;
    return static_cast<ssize_t>(n);
}

readstat_error_t memUpdate(long, readstat_progress_handler, void *, void *)
{
    return READSTAT_OK;
}

struct ParseContext
{
    Dataset dataset;
    qint64 byteSize = 0;
    qsizetype capacity = 0;          // rows allocated in the columns
    qsizetype rows = 0;              // rows seen
    std::vector<qsizetype> columnOf; // ReadStat variable index -> our column
    QHash<QString, QList<ValueLabel>> labelSets;
    QList<std::pair<qsizetype, QString>> labelSetOf; // column -> label set name
    QStringList messages;
};

QString fromUtf8(const char *s)
{
    return s ? QString::fromUtf8(s) : QString();
}

double numericValue(readstat_value_t value)
{
    if (readstat_value_is_system_missing(value) || readstat_value_is_tagged_missing(value))
        return std::numeric_limits<double>::quiet_NaN();
    return readstat_double_value(value);
}

int onMetadata(readstat_metadata_t *metadata, void *ctx)
{
    auto *c = static_cast<ParseContext *>(ctx);
    c->dataset.setFileLabel(fromUtf8(readstat_get_file_label(metadata)).trimmed());
    c->dataset.setEncoding(fromUtf8(readstat_get_file_encoding(metadata)));
    const qint64 rows = readstat_get_row_count(metadata);
    const qint64 vars = std::max<qint64>(1, readstat_get_var_count(metadata));
    // The header's row count is a claim; never allocate beyond what the bytes could hold.
    if (rows > 0)
        c->capacity = static_cast<qsizetype>(std::min<qint64>(rows, c->byteSize / vars + 1));
    return READSTAT_HANDLER_OK;
}

int onVariable(int index, readstat_variable_t *variable, const char *valLabels, void *ctx)
{
    auto *c = static_cast<ParseContext *>(ctx);
    Variable v;
    v.name = fromUtf8(readstat_variable_get_name(variable));
    v.label = fromUtf8(readstat_variable_get_label(variable));
    v.format = fromUtf8(readstat_variable_get_format(variable));
    v.type = readstat_variable_get_type_class(variable) == READSTAT_TYPE_CLASS_STRING ? VariableType::String
                                                                                      : VariableType::Numeric;
    const int ranges = readstat_variable_get_missing_ranges_count(variable);
    for (int i = 0; i < ranges; ++i) {
        const readstat_value_t lo = readstat_variable_get_missing_range_lo(variable, i);
        const readstat_value_t hi = readstat_variable_get_missing_range_hi(variable, i);
        if (readstat_value_type_class(lo) == READSTAT_TYPE_CLASS_STRING) {
            v.missingStrings.append(fromUtf8(readstat_string_value(lo)));
            continue;
        }
        const double l = readstat_double_value(lo);
        const double h = readstat_double_value(hi);
        if (l == h)
            v.missingValues.append(l);
        else
            v.missingRanges.append({l, h});
    }
    if (index < 0)
        return READSTAT_HANDLER_ABORT;
    if (c->dataset.variableCount() == 0 && c->capacity > 0)
        c->dataset.setRowCount(c->capacity);
    const qsizetype column = c->dataset.addVariable(std::move(v));
    if (static_cast<size_t>(index) >= c->columnOf.size())
        c->columnOf.resize(static_cast<size_t>(index) + 1, -1);
    c->columnOf[static_cast<size_t>(index)] = column;
    if (valLabels && *valLabels)
        c->labelSetOf.append({column, QString::fromUtf8(valLabels)});
    return READSTAT_HANDLER_OK;
}

int onValue(int obsIndex, readstat_variable_t *variable, readstat_value_t value, void *ctx)
{
    auto *c = static_cast<ParseContext *>(ctx);
    const int index = readstat_variable_get_index(variable);
    if (obsIndex < 0 || index < 0 || static_cast<size_t>(index) >= c->columnOf.size())
        return READSTAT_HANDLER_OK;
    const qsizetype column = c->columnOf[static_cast<size_t>(index)];
    if (column < 0)
        return READSTAT_HANDLER_OK;
    if (obsIndex >= c->capacity) {
        c->capacity = std::max<qsizetype>(obsIndex + 1, c->capacity * 2);
        c->dataset.setRowCount(c->capacity);
    }
    c->rows = std::max<qsizetype>(c->rows, obsIndex + 1);
    const bool isString = readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING;
    if (c->dataset.variable(column).isNumeric()) {
        if (!isString)
            c->dataset.numericColumnRef(column)[static_cast<size_t>(obsIndex)] = numericValue(value);
    } else if (isString) {
        c->dataset.stringColumnRef(column)[obsIndex] = fromUtf8(readstat_string_value(value));
    }
    return READSTAT_HANDLER_OK;
}

int onValueLabel(const char *valLabels, readstat_value_t value, const char *label, void *ctx)
{
    auto *c = static_cast<ParseContext *>(ctx);
    if (!valLabels || readstat_value_is_tagged_missing(value))
        return READSTAT_HANDLER_OK;
    ValueLabel l;
    l.label = fromUtf8(label);
    if (readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING)
        l.stringValue = fromUtf8(readstat_string_value(value));
    else
        l.value = numericValue(value);
    c->labelSets[QString::fromUtf8(valLabels)].append(l);
    return READSTAT_HANDLER_OK;
}

void onError(const char *message, void *ctx)
{
    auto *c = static_cast<ParseContext *>(ctx);
    if (message && c->messages.size() < 5)
        c->messages.append(QString::fromUtf8(message).trimmed());
}

// ReadStat builds its byte -> character map from the portable file's 256-byte translation
// table with later positions overriding earlier ones. PSPP (1.6) fills unused positions of
// the table with digits, so ReadStat decodes '8' as a superscript and rejects the file. The
// first occurrence of a byte in the printable part (positions 64..255) is the one meant; later
// duplicates are pointed at the '0' byte, which ReadStat maps explicitly after its loop.
QByteArray repairPortableTranslationTable(QByteArray bytes)
{
    constexpr int lineLength = 80;
    constexpr qsizetype tableStart = 200; // after five 40-byte splash strings
    std::vector<qsizetype> physical;      // table position -> byte offset in the file
    qsizetype logical = 0;
    int column = 0;
    for (qsizetype i = 0; i < bytes.size() && logical < tableStart + 256; ++i) {
        const char c = bytes.at(i);
        if (c == '\r')
            continue;
        if (c == '\n') {
            logical += lineLength - column; // short lines are padded to full width
            column = 0;
            continue;
        }
        if (column == lineLength)
            return bytes; // not laid out as ReadStat expects; let it report the problem
        if (logical >= tableStart)
            physical.push_back(i);
        ++logical;
        ++column;
    }
    if (physical.size() < 256)
        return bytes;
    bool seen[256] = {};
    const char zero = bytes.at(physical[64]);
    for (size_t pos = 64; pos < 256; ++pos) {
        const auto b = static_cast<unsigned char>(bytes.at(physical[pos]));
        if (seen[b] && pos > 64)
            bytes[physical[pos]] = zero;
        seen[b] = true;
    }
    return bytes;
}

QString describe(DatasetFormat format)
{
    switch (format) {
    case DatasetFormat::Sav:
        return u"an SPSS system file (.sav)"_s;
    case DatasetFormat::Zsav:
        return u"a compressed SPSS system file (.zsav)"_s;
    case DatasetFormat::Por:
        return u"an SPSS portable file (.por)"_s;
    case DatasetFormat::Dta:
        return u"a Stata file (.dta)"_s;
    case DatasetFormat::Unknown:
        break;
    }
    return u"a data file"_s;
}

} // namespace

QString DatasetReader::formatName(DatasetFormat format)
{
    switch (format) {
    case DatasetFormat::Sav:
        return u"sav"_s;
    case DatasetFormat::Zsav:
        return u"zsav"_s;
    case DatasetFormat::Por:
        return u"por"_s;
    case DatasetFormat::Dta:
        return u"dta"_s;
    case DatasetFormat::Unknown:
        break;
    }
    return u"unknown"_s;
}

DatasetFormat DatasetReader::detectFormat(QByteArrayView head, const QString &fileName)
{
    if (head.startsWith("$FL2"))
        return DatasetFormat::Sav;
    if (head.startsWith("$FL3"))
        return DatasetFormat::Zsav;
    if (head.startsWith("<stata_dta>"))
        return DatasetFormat::Dta;
    // Stata 104-115: release byte, byte order (1 = big, 2 = little endian), file type 1.
    if (head.size() >= 4 && static_cast<unsigned char>(head[0]) >= 104 &&
        static_cast<unsigned char>(head[0]) <= 115 && (head[1] == 1 || head[1] == 2) && head[2] == 1)
        return DatasetFormat::Dta;
    // Portable files open with a 200-byte splash and a 256-byte character table, then the tag.
    if (head.first(std::min<qsizetype>(head.size(), 600)).indexOf("SPSSPORT") >= 0)
        return DatasetFormat::Por;
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (suffix == "sav"_L1)
        return DatasetFormat::Sav;
    if (suffix == "zsav"_L1)
        return DatasetFormat::Zsav;
    if (suffix == "por"_L1)
        return DatasetFormat::Por;
    if (suffix == "dta"_L1)
        return DatasetFormat::Dta;
    return DatasetFormat::Unknown;
}

Result<Dataset> DatasetReader::read(const QString &path, const DatasetReadOptions &options)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::user(u"cannot open the data file: %1"_s.arg(file.errorString())).withFile(path);
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return Error::user(u"cannot read the data file: %1"_s.arg(file.errorString())).withFile(path);
    return readBytes(bytes, path, DatasetFormat::Unknown, options);
}

Result<Dataset> DatasetReader::readBytes(const QByteArray &bytes, const QString &displayName,
                                         DatasetFormat format, const DatasetReadOptions &options)
{
    if (bytes.isEmpty())
        return Error::user(
                   u"the data file is empty (0 bytes); expected an SPSS .sav/.zsav/.por or Stata .dta file"_s)
            .withFile(displayName);
    if (format == DatasetFormat::Unknown)
        format = detectFormat(bytes, displayName);
    if (format == DatasetFormat::Unknown)
        return Error::user(
                   u"not a recognised data file: expected an SPSS .sav/.zsav/.por or Stata .dta file"_s)
            .withFile(displayName);

    const QByteArray input = format == DatasetFormat::Por ? repairPortableTranslationTable(bytes) : bytes;
    MemoryIo io{input.constData(), input.size(), 0};
    ParseContext ctx;
    ctx.byteSize = bytes.size();

    readstat_parser_t *parser = readstat_parser_init();
    if (!parser)
        return Error::internal(u"ReadStat could not allocate a parser"_s).withFile(displayName);
    readstat_set_open_handler(parser, memOpen);
    readstat_set_close_handler(parser, memClose);
    readstat_set_seek_handler(parser, memSeek);
    readstat_set_read_handler(parser, memRead);
    readstat_set_update_handler(parser, memUpdate);
    readstat_set_io_ctx(parser, &io);
    readstat_set_metadata_handler(parser, onMetadata);
    readstat_set_variable_handler(parser, onVariable);
    readstat_set_value_handler(parser, onValue);
    readstat_set_value_label_handler(parser, onValueLabel);
    readstat_set_error_handler(parser, onError);

    const QByteArray name = displayName.toUtf8();
    readstat_error_t rc = READSTAT_OK;
    switch (format) {
    case DatasetFormat::Sav:
    case DatasetFormat::Zsav:
        rc = readstat_parse_sav(parser, name.constData(), &ctx);
        break;
    case DatasetFormat::Por:
        rc = readstat_parse_por(parser, name.constData(), &ctx);
        break;
    case DatasetFormat::Dta:
        rc = readstat_parse_dta(parser, name.constData(), &ctx);
        break;
    case DatasetFormat::Unknown:
        break;
    }
    readstat_parser_free(parser);

    if (rc != READSTAT_OK) {
        QString reason = QString::fromUtf8(readstat_error_message(rc));
        if (!ctx.messages.isEmpty())
            reason += u" ("_s + ctx.messages.join(u"; "_s) + u')';
        return Error::user(u"cannot read %1: %2"_s.arg(describe(format), reason)).withFile(displayName);
    }

    Dataset dataset = std::move(ctx.dataset);
    dataset.setRowCount(ctx.rows);
    dataset.setSourcePath(displayName);
    dataset.setFormat(format);
    for (const auto &[column, setName] : std::as_const(ctx.labelSetOf))
        dataset.variableRef(column).valueLabels = ctx.labelSets.value(setName);

    const QString weight = options.weightVariable.isEmpty()
                               ? Dataset::defaultWeightName(dataset.variableNames(), options.wave)
                               : options.weightVariable;
    if (Status s = dataset.setWeightVariable(weight); !s)
        return Error(s.error()).withFile(displayName);
    QString key = options.keyVariable;
    if (key.isEmpty() && dataset.contains(u"QKEY"_s))
        key = u"QKEY"_s;
    if (Status s = dataset.setKeyVariable(key); !s)
        return Error(s.error()).withFile(displayName);
    return dataset;
}

} // namespace anthology
