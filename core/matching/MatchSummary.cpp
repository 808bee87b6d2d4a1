#include "matching/MatchSummary.h"

#include "data/DatasetStore.h"
#include "matching/MatchStore.h"
#include "project/ProjectFile.h"

#include <QSet>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

Result<MatchWeights> MatchSummary::compute(const ProjectFile &project, qint64 matchId, int bins)
{
    Result<MatchRecord> match = MatchStore(project).load(matchId);
    if (!match)
        return match.error();
    MatchWeights out;
    out.name = match->name;
    out.method = match->method;
    out.dataset = match->datasetName;
    out.pairs = match->pairs.size();
    if (Result<DatasetInfo> info = DatasetStore(const_cast<ProjectFile &>(project)).info(match->datasetName); info)
        out.datasetRows = info->rowCount;
    QSet<QString> personas;
    std::vector<double> logs;
    for (const StoredMatchPair &p : match->pairs) {
        personas.insert(p.backstoryUid);
        if (std::isfinite(p.logWeight))
            logs.push_back(p.logWeight / std::log(10.0));
        else
            ++out.zeroWeight;
    }
    out.distinctPersonas = personas.size();
    bins = std::max(1, bins);
    if (logs.empty())
        return out;
    const auto [lo, hi] = std::minmax_element(logs.begin(), logs.end());
    // A match of equal weights still gets one bin of width 1 around them.
    const double low = *hi - *lo > 0 ? *lo : *lo - 0.5;
    const double width = *hi - *lo > 0 ? (*hi - *lo) / bins : 1.0 / bins;
    for (int b = 0; b <= bins; ++b)
        out.binEdges.push_back(low + b * width);
    out.counts.assign(size_t(bins), 0);
    for (double v : logs)
        ++out.counts[size_t(std::clamp(int((v - low) / width), 0, bins - 1))];
    return out;
}

} // namespace anthology
