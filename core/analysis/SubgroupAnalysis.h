#pragma once

#include "analysis/SurveyMetrics.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace anthology {

struct SubgroupReport
{
    QString label;
    qsizetype humanRows = 0;
    qsizetype modelRows = 0;
    SurveyReport report;
};

// Every metric per value of a demographic variable: humans and matched personas are filtered
// alike by a group label per row (a persona carries its matched human's label). An empty label
// means "not in any group" and the row is left out. Groups come out sorted by label; a label
// present on one side only still gets a report (its distances are NaN).
class SubgroupAnalysis
{
public:
    static Result<QList<SubgroupReport>> compute(const SurveyData &data, const QStringList &humanGroups,
                                                 const QStringList &modelGroups,
                                                 const MetricsOptions &options = {});
};

} // namespace anthology
