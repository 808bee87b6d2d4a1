#pragma once

#include "config/ConfigNode.h"
#include "util/Result.h"

#include <QList>
#include <QString>

namespace anthology {

// Reads YAML text into a ConfigNode tree with 1-based positions; yaml-cpp stays behind this wall
// and none of its exceptions escape.
class YamlReader
{
public:
    // `sourceName` is what positions and errors name (a file path, or "command line, argument 3").
    static Result<ConfigNode> parse(const QByteArray &text, const QString &sourceName);
    static Result<ConfigNode> parseFile(const QString &path);

    // The `# @package X` header among the leading comment lines, or an empty string.
    static QString packageHeader(const QByteArray &text);
    // A double-quoted value left open swallows the lines after it (YAML folds them into the
    // value): one warning for each quoted value that runs on over a line looking like
    // `key: value`, naming the line it opened on and that line.
    static QList<Error> openQuoteWarnings(const QByteArray &text, const QString &sourceName);
};

} // namespace anthology
