#pragma once

#include <QList>
#include <QString>

class QCPAxisRect;
class QCPBars;
class QCPErrorBars;

namespace anthology {
struct StudyTable;
}

namespace anthology::ui {

struct FigureData;

// The bars of one question in one axis rect, as drawn: kept so views and tests can read the
// plotted values back.
struct DrawnBars
{
    QCPBars *humans = nullptr;
    QCPErrorBars *humanErrors = nullptr;
    QList<QCPBars *> runs; // one per FigureData run, nullptr when the run is absent from the table
    QList<QCPErrorBars *> runErrors;
    QList<QCPBars *> expected;     // logprob expectation per run, nullptr when none was stored
    QList<QCPBars *> nonCompliant; // the share without a valid answer, apart on the right
    double maxValue = 0.0;         // the highest bar or interval end
};

// Grouped bars of answer shares for one question: the weighted humans, then each run (and
// beside it what its logprobs expect), with 95% intervals share +- 1.96 SE, option labels
// wrapped under the groups, and each run's non-compliant share apart after a separator.
class DistributionBars final
{
public:
    // Keys 1..K are the options; the non-compliant group sits at nonCompliantKey(K).
    static DrawnBars draw(QCPAxisRect *rect, const FigureData &data, const StudyTable &table,
                          qsizetype question, int labelWidth, bool legend);
    static double nonCompliantKey(int optionCount) { return optionCount + 1.25; }
    // Fixes the value range of every given rect to [0, top] (shared scales across facets).
    static void setValueRange(QCPAxisRect *rect, double top);
    static QString intervalNote();
};

} // namespace anthology::ui
