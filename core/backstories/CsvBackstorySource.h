#pragma once

#include "backstories/BackstoryRecordSource.h"

#include <QFile>

#include <deque>

struct csv_parser;

namespace anthology {

// Streams backstories from an RFC 4180 CSV file through libcsv (strict mode: a stray quote
// or an unterminated quoted field is an error). The first row names the columns.
//
// libcsv reports fields and rows through callbacks but not where they are. To name the
// line and column of a bad field, the input is fed to libcsv in segments that each end at
// a comma, CR or LF: every callback then fires on the last byte of a segment, so the byte
// offset where each field begins is known exactly and turned into a line and column only
// when an error is reported.
class CsvBackstorySource final : public BackstoryRecordSource
{
public:
    static Result<std::unique_ptr<BackstoryRecordSource>> open(const QString &path);
    ~CsvBackstorySource() override;

    Result<bool> next(BackstoryRecord &record) override;
    qint64 bytesRead() const override { return m_bytesRead; }
    qint64 bytesTotal() const override { return m_bytesTotal; }

private:
    struct Row
    {
        QList<QByteArray> fields;
        QList<qint64> offsets; // where each field starts (its opening quote if quoted)
        QList<bool> quoted;
    };

    explicit CsvBackstorySource(const QString &path);
    Result<bool> readRow(Row &row);
    Status feed(const QByteArray &block, qsizetype from);
    Status readHeader();
    Result<bool> convert(const Row &row, BackstoryRecord &record);
    Error errorAt(qint64 offset, const QString &message) const;
    Error fieldError(const Row &row, qsizetype field, const QString &message) const;

    static void onField(void *data, size_t size, void *self);
    static void onRow(int terminator, void *self);

    QString m_path;
    QFile m_file;
    std::unique_ptr<csv_parser> m_parser;
    qint64 m_bytesRead = 0;
    qint64 m_bytesTotal = 0;
    bool m_finished = false;

    // Parser callback state.
    Row m_current;
    std::deque<Row> m_rows;
    qint64 m_fieldStart = -1; // -1: the next byte that is not CR/LF
    bool m_fieldQuoted = false;
    qint64 m_segmentEnd = 0;

    QStringList m_names;
    QList<BackstoryField> m_fields;
    qint64 m_rowNumber = 0;
};

} // namespace anthology
