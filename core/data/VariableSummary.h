#pragma once

#include "util/Result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace anthology {

class Dataset;

// One labelled variable as a question: its text and choices as `data questionnaire` makes them
// (QuestionnaireFromDataset) and the weighted human share of each choice as `data describe`
// computes it (WeightedDistribution over codes 1..K with the data set's weight).
struct VariableSummary
{
    QString name;
    QString label;
    QStringList choices;
    QList<double> shares; // per choice; empty when no row answers
    QString problem;      // why the variable cannot be a question, else empty

    bool usable() const { return problem.isEmpty(); }
    static VariableSummary of(const Dataset &dataset, qsizetype column);
    static QList<VariableSummary> all(const Dataset &dataset); // numeric variables, in file order
};

} // namespace anthology
