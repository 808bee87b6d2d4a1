#pragma once

#include <QStringList>

namespace anthology::cli {

class CliOutput;

// `survey demographics --config-dir D NAME key=value ... --project P`: a subcommand of the
// `survey` group.
int surveyDemographicsCommand(const QStringList &args, CliOutput &out);

} // namespace anthology::cli
