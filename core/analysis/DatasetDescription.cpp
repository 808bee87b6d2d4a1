#include "analysis/DatasetDescription.h"

#include "analysis/CodeMatrix.h"
#include "analysis/CronbachAlpha.h"
#include "data/Dataset.h"
#include "data/DatasetStore.h"

using namespace Qt::StringLiterals;

namespace anthology {

bool DatasetDescription::isUnweighted(const QString &weight)
{
    return weight.compare(u"none"_s, Qt::CaseInsensitive) == 0;
}

Result<DatasetDescription> DatasetDescription::compute(ProjectFile &project, const QString &dataset,
                                                       const QStringList &variables, const QString &weight)
{
    const bool unweighted = isUnweighted(weight);
    QStringList toLoad = variables;
    if (!weight.isEmpty() && !unweighted)
        toLoad.append(weight);
    Result<Dataset> data = DatasetStore(project).load(dataset, toLoad);
    if (!data)
        return data.error();
    if (unweighted)
        (void)data->setWeightVariable({});
    else if (!weight.isEmpty())
        if (Status s = data->setWeightVariable(weight); !s)
            return s.error();
    Result<DatasetDescription> described = compute(*data, variables);
    if (described)
        described->dataset = dataset;
    return described;
}

Result<DatasetDescription> DatasetDescription::compute(const Dataset &dataset, const QStringList &variables)
{
    DatasetDescription d;
    d.weightVariable = dataset.weightVariable();
    const std::vector<double> weights = VariableDescription::usableWeights(dataset);
    QList<int> counts;
    CodeMatrix codes(dataset.rowCount(), variables.size());
    for (qsizetype i = 0; i < variables.size(); ++i) {
        const qsizetype column = dataset.indexOf(variables[i]);
        if (column < 0)
            return Error::user(u"data set has no variable %1"_s.arg(variables[i])).withKey(variables[i]);
        Result<VariableDescription> described = VariableDescription::describe(dataset, column, weights);
        if (!described)
            return described.error();
        counts.append(described->categoryCount());
        for (qsizetype r = 0; r < dataset.rowCount(); ++r)
            codes.at(r, i) = described->codes[static_cast<size_t>(r)];
        d.variables.append(std::move(*described));
    }
    if (d.hasCorrelation()) {
        d.correlation = CorrelationMatrix::weighted(codes, weights, counts);
        d.alpha = CronbachAlpha::listwise(codes, counts, weights);
    }
    return d;
}

} // namespace anthology
