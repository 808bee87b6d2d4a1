#pragma once

#include <QString>

namespace anthology {

class ConfigNode;

// Block-style YAML for a ConfigNode tree, quoting only where a plain scalar would read differently.
class YamlWriter
{
public:
    static QString write(const ConfigNode &root);
    static QString quoteIfNeeded(const QString &text, bool wasQuoted);
};

} // namespace anthology
