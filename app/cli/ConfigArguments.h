#pragma once

#include "util/Result.h"

#include <QList>
#include <QStringList>

#include <optional>

namespace anthology {
class ResolvedConfig;
struct Error;
} // namespace anthology

namespace anthology::cli {

class CliOutput;
class CommandLine;

// The arguments every config-driven command shares: NAME [overrides...] and --config-dir.
void addConfigOptions(CommandLine &cl);
// Overrides are the positionals after the name unless given explicitly.
Result<ResolvedConfig> loadConfig(const CommandLine &cl, const std::optional<QStringList> &overrides = std::nullopt);
void printWarnings(CliOutput &out, const QList<Error> &warnings);

} // namespace anthology::cli
