#pragma once

#include "config/ConfigNode.h"
#include "util/Result.h"

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
};

} // namespace anthology
