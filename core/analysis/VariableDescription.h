#pragma once

#include "analysis/WeightedDistribution.h"
#include "data/Variable.h"
#include "util/Result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace anthology {

class Dataset;

// One answer category of a described variable: its code, label, respondents and weighted share.
struct CategoryShare
{
    int code = 0;
    QString label;
    qint64 count = 0;           // unweighted respondents
    double share = 0.0;         // weighted, over the valid rows
    double standardError = 0.0; // sqrt(p(1-p)/n), n = sum of weights
};

// What `anthology data describe` and the Data sets tab show for one variable: the dictionary
// (label, value labels, missing codes) and the weighted shares of its answer categories 1..K.
// The categories are the labelled codes 1..K when the variable reads as a question, else the
// whole positive codes below 90 that occur (with a note saying why).
struct VariableDescription
{
    Variable variable;
    QString weightVariable; // empty: unweighted
    QList<CategoryShare> categories;
    WeightedDistribution distribution;
    qint64 missing = 0;     // rows outside 1..K: user-missing, system-missing or unlabelled
    QString note;           // why the variable is not read as a question, when it is not
    std::vector<int> codes; // each row's code (-1 when not a whole number), for correlations

    int categoryCount() const { return int(categories.size()); }

    // Describes column `column` of `dataset` weighted by `weights` (one per row; non-finite or
    // negative weights count as 0). A string variable is an Error naming it.
    static Result<VariableDescription> describe(const Dataset &dataset, qsizetype column,
                                                const std::vector<double> &weights);
    // The data set's weights as describe() uses them: its weight variable, or 1 for every row.
    static std::vector<double> usableWeights(const Dataset &dataset);
};

} // namespace anthology
