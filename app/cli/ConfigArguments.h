#pragma once

#include "config/ResolvedConfig.h"
#include "config/SurveyConfig.h"
#include "pipeline/StepRequests.h"
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
Result<ResolvedConfig> loadConfig(const CommandLine &cl,
                                  const std::optional<QStringList> &overrides = std::nullopt);
void printWarnings(CliOutput &out, const QList<Error> &warnings);

// A pipeline step's config (generate backstories, survey demographics): the resolved config,
// for keys the schema does not type, and its survey schema, whose warnings are printed. With
// --profile (when the command has it) the schema's llm endpoint is that URL or provider.
using StepConfig = StepRequests::StepConfig;
Result<StepConfig> loadStepConfig(const CommandLine &cl, CliOutput &out);

} // namespace anthology::cli
