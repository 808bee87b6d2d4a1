#include "data/SavWriter.h"

#include <QSaveFile>

#include <readstat.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <list>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

struct WriteContext
{
    QSaveFile *file = nullptr;
    QStringList messages;
};

ssize_t writeBytes(const void *data, size_t len, void *ctx)
{
    auto *c = static_cast<WriteContext *>(ctx);
    const qint64 n = c->file->write(static_cast<const char *>(data), static_cast<qint64>(len));
    return n == static_cast<qint64>(len) ? static_cast<ssize_t>(len) : -1;
}

void onError(const char *message, void *ctx)
{
    auto *c = static_cast<WriteContext *>(ctx);
    if (message && c->messages.size() < 5)
        c->messages.append(QString::fromUtf8(message).trimmed());
}

struct WriterDeleter
{
    void operator()(readstat_writer_t *w) const { readstat_writer_free(w); }
};

// The variable names each format accepts (ReadStat's checks, spelled out so we can say whose).
bool validName(const QString &name, DatasetFormat format)
{
    const QByteArray utf8 = name.toUtf8();
    if (utf8.isEmpty())
        return false;
    const qsizetype limit = format == DatasetFormat::Por ? 8 : format == DatasetFormat::Dta ? 32 : 64;
    if (utf8.size() > limit)
        return false;
    const auto first = static_cast<unsigned char>(utf8.front());
    if (!(std::isalpha(first) || first == '@' || first == '_' || first >= 0x80 ||
          (format != DatasetFormat::Dta && (first == '#' || first == '$'))))
        return false;
    for (char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        const bool ok = std::isalnum(c) || c == '_' || c >= 0x80 ||
                        (format != DatasetFormat::Dta && (c == '.' || c == '@' || c == '#' || c == '$'));
        if (!ok)
            return false;
    }
    return true;
}

bool allIntegral(const std::vector<double> &column)
{
    return std::all_of(column.begin(), column.end(),
                       [](double v) { return std::isnan(v) || (std::abs(v) < 1e15 && v == std::trunc(v)); });
}

size_t stringWidth(const QStringList &column)
{
    size_t width = 1;
    for (const QString &s : column)
        width = std::max<size_t>(width, static_cast<size_t>(s.toUtf8().size()));
    return width;
}

} // namespace

Status SavWriter::write(const Dataset &dataset, const QString &path, const SavWriteOptions &options)
{
    const DatasetFormat format = options.format;
    const bool spss =
        format == DatasetFormat::Sav || format == DatasetFormat::Zsav || format == DatasetFormat::Por;
    if (format == DatasetFormat::Unknown)
        return Error::user(u"no output format chosen for the data file"_s).withFile(path);

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::user(u"cannot write the data file: %1"_s.arg(file.errorString())).withFile(path);

    WriteContext ctx{&file, {}};
    std::unique_ptr<readstat_writer_t, WriterDeleter> writer(readstat_writer_init());
    readstat_writer_t *w = writer.get();
    readstat_set_data_writer(w, writeBytes);
    readstat_writer_set_error_handler(w, onError);
    if (format == DatasetFormat::Sav)
        readstat_writer_set_compression(w, READSTAT_COMPRESS_ROWS);
    else if (format == DatasetFormat::Zsav)
        readstat_writer_set_compression(w, READSTAT_COMPRESS_BINARY);
    if (!dataset.fileLabel().isEmpty())
        readstat_writer_set_file_label(w, dataset.fileLabel().toUtf8().constData());

    // ReadStat keeps pointers to string missing codes until the file is written.
    std::list<QByteArray> keepAlive;
    const qsizetype count = dataset.variableCount();
    std::vector<readstat_variable_t *> handles(static_cast<size_t>(count), nullptr);
    for (qsizetype i = 0; i < count; ++i) {
        const Variable &v = dataset.variable(i);
        const QByteArray name = v.name.toUtf8();
        readstat_variable_t *rv = nullptr;
        if (v.isNumeric()) {
            rv = readstat_add_variable(w, name.constData(), READSTAT_TYPE_DOUBLE, 0);
            if (spss)
                readstat_variable_set_format(rv, allIntegral(dataset.numericColumn(i)) ? "F8.0" : "F10.4");
        } else {
            rv = readstat_add_variable(w, name.constData(), READSTAT_TYPE_STRING,
                                       stringWidth(dataset.stringColumn(i)));
        }
        if (!rv)
            return Error::user(u"ReadStat refused variable %1"_s.arg(v.name)).withFile(path).withKey(v.name);
        handles[static_cast<size_t>(i)] = rv;
        if (!v.label.isEmpty())
            readstat_variable_set_label(rv, v.label.toUtf8().constData());
        readstat_variable_set_measure(rv, v.hasValueLabels() || !v.isNumeric() ? READSTAT_MEASURE_NOMINAL
                                                                               : READSTAT_MEASURE_SCALE);
        if (v.hasValueLabels() && (v.isNumeric() || spss)) {
            const QByteArray setName = "labels" + QByteArray::number(i);
            readstat_label_set_t *set = readstat_add_label_set(
                w, v.isNumeric() ? READSTAT_TYPE_DOUBLE : READSTAT_TYPE_STRING, setName.constData());
            for (const ValueLabel &l : v.valueLabels) {
                if (v.isNumeric())
                    readstat_label_double_value(set, l.value, l.label.toUtf8().constData());
                else
                    readstat_label_string_value(set, l.stringValue.toUtf8().constData(),
                                                l.label.toUtf8().constData());
            }
            readstat_variable_set_label_set(rv, set);
        }
        if (!spss)
            continue;
        readstat_error_t rc = READSTAT_OK;
        for (const auto &[lo, hi] : v.missingRanges)
            if (rc == READSTAT_OK)
                rc = readstat_variable_add_missing_double_range(rv, lo, hi);
        for (double m : v.missingValues)
            if (rc == READSTAT_OK)
                rc = readstat_variable_add_missing_double_value(rv, m);
        for (const QString &m : v.missingStrings)
            if (rc == READSTAT_OK)
                rc = readstat_variable_add_missing_string_value(
                    rv, keepAlive.emplace_back(m.toUtf8()).constData());
        if (rc != READSTAT_OK)
            return Error::user(u"cannot declare the missing values of %1: %2"_s.arg(
                                   v.name, QString::fromUtf8(readstat_error_message(rc))))
                .withFile(path)
                .withKey(v.name);
    }

    readstat_error_t rc = READSTAT_OK;
    const long rows = static_cast<long>(dataset.rowCount());
    switch (format) {
    case DatasetFormat::Sav:
    case DatasetFormat::Zsav:
        rc = readstat_begin_writing_sav(w, &ctx, rows);
        break;
    case DatasetFormat::Por:
        rc = readstat_begin_writing_por(w, &ctx, rows);
        break;
    case DatasetFormat::Dta:
        readstat_writer_set_file_format_version(w, 118);
        rc = readstat_begin_writing_dta(w, &ctx, rows);
        break;
    case DatasetFormat::Unknown:
        break;
    }
    for (qsizetype r = 0; r < dataset.rowCount() && rc == READSTAT_OK; ++r) {
        rc = readstat_begin_row(w);
        for (qsizetype i = 0; i < count && rc == READSTAT_OK; ++i) {
            readstat_variable_t *rv = handles[static_cast<size_t>(i)];
            if (dataset.variable(i).isNumeric()) {
                const double value = dataset.numericColumn(i)[static_cast<size_t>(r)];
                rc = std::isnan(value) ? readstat_insert_missing_value(w, rv)
                                       : readstat_insert_double_value(w, rv, value);
            } else {
                const QByteArray s = dataset.stringColumn(i).at(r).toUtf8();
                rc = readstat_insert_string_value(w, rv, s.constData());
            }
        }
        if (rc == READSTAT_OK)
            rc = readstat_end_row(w);
    }
    if (rc == READSTAT_OK)
        rc = readstat_end_writing(w);

    if (rc != READSTAT_OK) {
        file.cancelWriting();
        // ReadStat says what is wrong with a name but not whose; find it by ReadStat's rules.
        for (qsizetype i = 0; i < count; ++i)
            if (!validName(dataset.variable(i).name, format))
                return Error::user(
                           u"cannot write variable %1: %2"_s.arg(
                               dataset.variable(i).name, QString::fromUtf8(readstat_error_message(rc))))
                    .withFile(path)
                    .withKey(dataset.variable(i).name);
        QString reason = QString::fromUtf8(readstat_error_message(rc));
        if (!ctx.messages.isEmpty())
            reason += u" ("_s + ctx.messages.join(u"; "_s) + u')';
        return Error::user(u"cannot write the data file: %1"_s.arg(reason)).withFile(path);
    }
    if (!file.commit())
        return Error::user(u"cannot write the data file: %1"_s.arg(file.errorString())).withFile(path);
    return {};
}

} // namespace anthology
