#pragma once

#include <QtGlobal>

class QJsonObject;

namespace anthology {
struct GenerateReport;
}

namespace anthology::cli {

class CliOutput;

// What `generate backstories` and `run resume`/`retry-failed` of a "generate" run print once
// its stories are backstories: the run's summary (driveRun's fields) with a "backstories"
// object in JSON, or two lines of text.
void printGenerateOutcome(CliOutput &out, qint64 runId, QJsonObject summary, const GenerateReport &report);

} // namespace anthology::cli
