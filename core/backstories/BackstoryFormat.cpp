#include "backstories/BackstoryFormat.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace anthology {

std::optional<BackstoryFormat> backstoryFormatForPath(const QString &path)
{
    const QFileInfo info(path);
    if (info.isDir() || path.endsWith(u'/'))
        return BackstoryFormat::TextFolder;
    const QString suffix = info.suffix().toLower();
    if (suffix == u"csv"_s)
        return BackstoryFormat::Csv;
    if (suffix == u"jsonl"_s || suffix == u"ndjson"_s)
        return BackstoryFormat::Jsonl;
    return std::nullopt;
}

} // namespace anthology
