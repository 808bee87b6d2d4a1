#include "analysis/SubgroupAnalysis.h"

#include <QSet>

#include <algorithm>

namespace anthology {
using namespace Qt::StringLiterals;

namespace {

std::vector<qsizetype> rowsWithLabel(const QStringList &labels, const QString &label)
{
    std::vector<qsizetype> rows;
    for (qsizetype i = 0; i < labels.size(); ++i)
        if (labels[i] == label)
            rows.push_back(i);
    return rows;
}

} // namespace

Result<QList<SubgroupReport>> SubgroupAnalysis::compute(const SurveyData &data,
                                                        const QStringList &humanGroups,
                                                        const QStringList &modelGroups,
                                                        const MetricsOptions &options)
{
    if (humanGroups.size() != data.humanCodes.rows || modelGroups.size() != data.modelAnswers.rows)
        return Error::user(
            u"expected one group label per row: %1 human and %2 model rows, got %3 and %4 labels"_s
                .arg(data.humanCodes.rows)
                .arg(data.modelAnswers.rows)
                .arg(humanGroups.size())
                .arg(modelGroups.size()));
    QSet<QString> seen;
    for (const QString &l : humanGroups)
        seen.insert(l);
    for (const QString &l : modelGroups)
        seen.insert(l);
    seen.remove(QString());
    QStringList labels(seen.begin(), seen.end());
    std::sort(labels.begin(), labels.end());

    QList<SubgroupReport> out;
    for (const QString &label : labels) {
        const auto humans = rowsWithLabel(humanGroups, label);
        const auto models = rowsWithLabel(modelGroups, label);
        SurveyData sub;
        sub.categoryCounts = data.categoryCounts;
        sub.humanCodes = data.humanCodes.selectRows(humans);
        sub.modelAnswers = data.modelAnswers.selectRows(models);
        for (qsizetype r : humans)
            sub.humanWeights.push_back(data.humanWeights[static_cast<size_t>(r)]);
        auto report = SurveyMetrics::compute(sub, options);
        if (!report)
            return report.error();
        out.append({label, static_cast<qsizetype>(humans.size()), static_cast<qsizetype>(models.size()),
                    std::move(report.value())});
    }
    return out;
}

} // namespace anthology
