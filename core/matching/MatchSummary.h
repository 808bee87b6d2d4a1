#pragma once

#include "util/Result.h"

#include <QString>

#include <vector>

namespace anthology {

class ProjectFile;

// How a stored match came out: how many respondents were matched to how many distinct personas,
// and the distribution of the pair weights w(h, v) as a histogram of log10 w.
struct MatchWeights
{
    QString name;
    QString method;
    QString dataset;
    qsizetype pairs = 0;
    qsizetype distinctPersonas = 0;
    qsizetype datasetRows = 0;
    qsizetype zeroWeight = 0;      // pairs whose weight is 0 (log weight -inf): not in the bins
    std::vector<double> binEdges;  // bins + 1 ascending edges over log10 w
    std::vector<qsizetype> counts; // pairs per bin; the last bin includes its upper edge
};

class MatchSummary
{
public:
    static Result<MatchWeights> compute(const ProjectFile &project, qint64 matchId, int bins = 20);
};

} // namespace anthology
