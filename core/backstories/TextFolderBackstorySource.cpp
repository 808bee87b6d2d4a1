#include "backstories/TextFolderBackstorySource.h"

#include "backstories/TextPosition.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace anthology {

Result<std::unique_ptr<BackstoryRecordSource>> TextFolderBackstorySource::open(const QString &path)
{
    const QDir dir(path);
    if (!QFileInfo(path).isDir())
        return Error::user(u"not a folder of .txt backstories"_s).withFile(path);
    std::unique_ptr<TextFolderBackstorySource> source(new TextFolderBackstorySource);
    const QFileInfoList entries = dir.entryInfoList({u"*.txt"_s}, QDir::Files, QDir::Name);
    for (const QFileInfo &info : entries) {
        source->m_files.append(info.filePath());
        source->m_bytesTotal += info.size();
    }
    if (source->m_files.isEmpty())
        return Error::user(u"the folder holds no .txt files"_s).withFile(path);
    return std::unique_ptr<BackstoryRecordSource>(std::move(source));
}

Result<bool> TextFolderBackstorySource::next(BackstoryRecord &record)
{
    if (m_next >= m_files.size())
        return false;
    const QString path = m_files[m_next++];
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::user(u"cannot read the file: "_s + file.errorString()).withFile(path);
    const QByteArray text = file.readAll();
    m_bytesRead += text.size();
    if (const qsizetype bad = firstInvalidUtf8(text); bad >= 0) {
        const TextPosition pos = TextPosition::inBytes(text, bad);
        return Error::at(path, pos.line, pos.column,
                         text[bad] == 0 ? u"NUL character in text"_s : u"invalid UTF-8"_s);
    }
    record = BackstoryRecord();
    record.uid = QFileInfo(path).completeBaseName().toUtf8();
    if (record.uid.isEmpty())
        return Error::at(path, 1, 1, u"empty uid: the file name has nothing before “.txt”"_s);
    record.text = text;
    record.file = path;
    record.offset = 0;
    return true;
}

} // namespace anthology
