#include "data/VariableSummary.h"

#include "analysis/WeightedDistribution.h"
#include "data/Dataset.h"
#include "data/QuestionnaireFromDataset.h"

#include <cmath>

namespace anthology {

VariableSummary VariableSummary::of(const Dataset &dataset, qsizetype column)
{
    const Variable &v = dataset.variable(column);
    VariableSummary out;
    out.name = v.name;
    out.label = v.label;
    Result<Question> q = QuestionnaireFromDataset::question(v);
    if (!q) {
        out.problem = q.error().message;
        return out;
    }
    out.label = q->body;
    out.choices = q->choices;
    const std::vector<double> &values = dataset.numericColumn(column);
    std::vector<int> codes(values.size());
    for (size_t r = 0; r < values.size(); ++r)
        codes[r] = std::isfinite(values[r]) && std::abs(values[r]) < 1e6 ? int(std::lround(values[r])) : -1;
    std::vector<double> weights = dataset.weights();
    for (double &w : weights)
        if (!std::isfinite(w) || w < 0.0)
            w = 0.0;
    const WeightedDistribution d = WeightedDistribution::fromCodes(codes, weights, int(out.choices.size()));
    if (!d.empty())
        out.shares = QList<double>(d.shares.begin(), d.shares.end());
    return out;
}

QList<VariableSummary> VariableSummary::all(const Dataset &dataset)
{
    QList<VariableSummary> out;
    for (qsizetype c = 0; c < dataset.variableCount(); ++c)
        if (dataset.variable(c).isNumeric() && dataset.variable(c).hasValueLabels())
            out.append(of(dataset, c));
    return out;
}

} // namespace anthology
