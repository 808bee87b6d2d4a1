#pragma once

#include "backstories/BackstoryRecordSource.h"

#include <QFile>

namespace anthology {

// Streams backstories from JSON Lines: one object per line with the same keys as the CSV
// columns; blank lines are skipped. Other keys are kept as attributes with their JSON value.
class JsonlBackstorySource final : public BackstoryRecordSource
{
public:
    static Result<std::unique_ptr<BackstoryRecordSource>> open(const QString &path);

    Result<bool> next(BackstoryRecord &record) override;
    qint64 bytesRead() const override { return m_bytesRead; }
    qint64 bytesTotal() const override { return m_bytesTotal; }

private:
    explicit JsonlBackstorySource(const QString &path);
    Error errorAt(const QByteArray &line, qsizetype byte, const QString &message) const;
    Error keyError(const QByteArray &line, const QString &key, const QString &message) const;

    QString m_path;
    QFile m_file;
    qint64 m_bytesRead = 0;
    qint64 m_bytesTotal = 0;
    int m_line = 0;
    qint64 m_lineOffset = 0;
};

} // namespace anthology
