#pragma once

#include "backstories/BackstoryFormat.h"
#include "util/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

#include <memory>
#include <optional>

namespace anthology {

// One backstory as read from an import file, before it reaches the project. Text fields
// stay UTF-8 (already validated) so 100k rows never round-trip through QString.
struct BackstoryRecord
{
    QByteArray uid;
    QByteArray text;
    std::optional<QByteArray> fullPassage;
    std::optional<qint64> tokenCount;
    std::optional<double> logprob;
    QByteArray model;      // null when absent
    QByteArray sampling;   // compact JSON object, null when absent
    QByteArray attributes; // compact JSON object of the other columns, null when none
    QString file;          // where the record came from, for error positions
    qint64 offset = 0;     // byte offset of the record in `file`
};

// The columns a backstory file may carry; anything else is kept as an attribute.
enum class BackstoryField { Uid, Backstory, FullPassage, TokenCount, Logprob, Model, Sampling, Attribute };

// Maps column names to fields. A canonical name (uid, backstory, full_passage, token_count,
// logprob, model, sampling) wins over its aliases (num_tokens, sum_logprobs, model_name, ...);
// a second column for a field already taken stays an attribute, so nothing is lost.
QList<BackstoryField> backstoryFieldsFor(const QStringList &names);
QString canonicalBackstoryColumn(BackstoryField field);

// A pull reader over one import source (CSV file, JSONL file, folder of .txt files).
class BackstoryRecordSource
{
public:
    virtual ~BackstoryRecordSource() = default;

    // true with the next record, false at the end; an Error (file, line, column) for a bad file.
    virtual Result<bool> next(BackstoryRecord &record) = 0;
    virtual qint64 bytesRead() const = 0;
    virtual qint64 bytesTotal() const = 0;

    static Result<std::unique_ptr<BackstoryRecordSource>> open(const QString &path, BackstoryFormat format);
};

} // namespace anthology
