#pragma once

#include "config/ConfigNode.h"
#include "util/Result.h"

#include <QString>

namespace anthology {

// One command-line override: `key=value`, `+key=value`, `++key=value`, `~key[=value]`, where key is
// a dotted path (`a.b.c`) or a defaults group (`group/sub`).
struct ConfigOverride
{
    enum class Action { Set, Add, Force, Delete };

    Action action = Action::Set;
    QString key;
    bool hasValue = false;
    ConfigNode value; // parsed as a YAML scalar or flow collection
    SourceLocation source;
    QString text; // the argument as given

    // `index` is the 1-based position among the overrides; it names the source in errors.
    static Result<ConfigOverride> parse(const QString &argument, int index);
    static QString sourceName(int index);
};

} // namespace anthology
