#pragma once

#include "analysis/CorrelationMatrix.h"
#include "analysis/VariableDescription.h"
#include "util/Result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <limits>

namespace anthology {

class Dataset;
class ProjectFile;

// What `anthology data describe` and the Data sets tab show for variables of a stored data set:
// each variable's categories and weighted shares (VariableDescription) under one weight and,
// for two or more variables, their weighted correlation matrix (listwise) and Cronbach's alpha.
struct DatasetDescription
{
    QString dataset;
    QString weightVariable;               // empty: unweighted
    QList<VariableDescription> variables; // in the order asked for
    CorrelationMatrix correlation;        // empty below two variables
    double alpha = std::numeric_limits<double>::quiet_NaN();

    bool hasCorrelation() const { return variables.size() >= 2; }

    // Loads `variables` of the data set `dataset` and describes them. `weight` empty: the data
    // set's own weight; "none" (any case): unweighted; else the variable to weight by, which
    // must be numeric. A string variable or an unknown name is an Error naming it.
    static Result<DatasetDescription> compute(ProjectFile &project, const QString &dataset,
                                              const QStringList &variables, const QString &weight = {});
    // The same over a data set already loaded, weighted by its weight variable.
    static Result<DatasetDescription> compute(const Dataset &dataset, const QStringList &variables);
    // True when `weight` asks for no weighting.
    static bool isUnweighted(const QString &weight);
};

} // namespace anthology
