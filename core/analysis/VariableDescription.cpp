#include "analysis/VariableDescription.h"

#include "analysis/CodeMatrix.h"
#include "data/Dataset.h"
#include "data/QuestionnaireFromDataset.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

std::vector<double> VariableDescription::usableWeights(const Dataset &dataset)
{
    std::vector<double> weights = dataset.weights();
    for (double &w : weights)
        if (!std::isfinite(w) || w < 0.0)
            w = 0.0;
    return weights;
}

Result<VariableDescription> VariableDescription::describe(const Dataset &dataset, qsizetype column,
                                                          const std::vector<double> &weights)
{
    VariableDescription d;
    d.variable = dataset.variable(column);
    d.weightVariable = dataset.weightVariable();
    const Variable &v = d.variable;
    if (!v.isNumeric())
        return Error::user(u"variable %1 is a string variable; describe needs numeric codes"_s.arg(v.name))
            .withKey(v.name);

    const std::vector<double> &values = dataset.numericColumn(column);
    QStringList labels;
    int count = 0;
    if (auto q = QuestionnaireFromDataset::question(v)) {
        labels = q->choices;
        count = int(labels.size());
    } else {
        d.note = q.error().message + u"; counting the whole codes 1..K that occur"_s;
        for (double x : values)
            if (std::isfinite(x) && x >= 1 && x < 90 && x == std::floor(x))
                count = std::max(count, int(x));
        for (int k = 1; k <= count; ++k)
            labels.append(v.labelFor(double(k)));
    }

    d.codes.resize(values.size());
    QList<qint64> frequencies(count, 0);
    for (size_t r = 0; r < values.size(); ++r) {
        const double x = values[r];
        const int code = std::isfinite(x) && std::abs(x) < 1e6 ? int(std::lround(x)) : -1;
        d.codes[r] = code;
        if (isValidCode(code, count))
            ++frequencies[code - 1];
        else
            ++d.missing;
    }
    d.distribution = WeightedDistribution::fromCodes(d.codes, weights, count);
    for (int k = 0; k < count; ++k)
        d.categories.append({k + 1, labels.value(k), frequencies[k], d.distribution.shares[size_t(k)],
                             d.distribution.standardErrors[size_t(k)]});
    return d;
}

} // namespace anthology
