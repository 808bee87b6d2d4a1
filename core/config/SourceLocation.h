#pragma once

#include <QString>

namespace anthology {

// Where a config value came from: a YAML file position (1-based) or "command line, argument N".
struct SourceLocation
{
    QString file;
    int line = 0;
    int column = 0;

    bool isKnown() const { return !file.isEmpty(); }
    bool operator==(const SourceLocation &) const = default;
};

} // namespace anthology
