#pragma once

#include "backstories/BackstoryRecordSource.h"

#include <QStringList>

namespace anthology {

// Reads a folder of .txt files, one backstory each: the uid is the file's base name, the
// text its whole content, byte for byte. Files are read in name order; sub-folders are not.
class TextFolderBackstorySource final : public BackstoryRecordSource
{
public:
    static Result<std::unique_ptr<BackstoryRecordSource>> open(const QString &path);

    Result<bool> next(BackstoryRecord &record) override;
    qint64 bytesRead() const override { return m_bytesRead; }
    qint64 bytesTotal() const override { return m_bytesTotal; }

private:
    QStringList m_files;
    qsizetype m_next = 0;
    qint64 m_bytesRead = 0;
    qint64 m_bytesTotal = 0;
};

} // namespace anthology
