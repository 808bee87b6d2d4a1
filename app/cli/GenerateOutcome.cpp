#include "GenerateOutcome.h"

#include "CliOutput.h"

#include "pipeline/GenerateStep.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace anthology::cli {

void printGenerateOutcome(CliOutput &out, qint64 runId, QJsonObject summary, const GenerateReport &report)
{
    if (out.json()) {
        summary.insert(u"backstories"_s, QJsonObject{{u"stories"_s, double(report.stories)},
                                                     {u"stored"_s, double(report.stored)},
                                                     {u"imported"_s, double(report.imported)},
                                                     {u"dropped_short"_s, double(report.droppedShort)},
                                                     {u"preamble_refused"_s, double(report.preambleRefused)},
                                                     {u"unfinished"_s, double(report.unfinished)}});
        out.printJson(summary);
        return;
    }
    out.out() << "Run " << runId << ": " << summary.value(u"status"_s).toString() << " ("
              << summary.value(u"done"_s).toInteger() << " of " << summary.value(u"total"_s).toInteger()
              << " items done, " << summary.value(u"failed"_s).toInteger() << " failed)" << Qt::endl;
    out.out() << "Backstories of run " << runId << ": " << report.stored << " stored (" << report.imported
              << " new), " << report.droppedShort << " dropped as 40 tokens or fewer, "
              << report.preambleRefused << " never said yes to the preamble, " << report.unfinished
              << " unfinished" << Qt::endl;
}

} // namespace anthology::cli
