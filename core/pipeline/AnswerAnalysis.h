#pragma once

#include "analysis/ComparisonReport.h"
#include "util/Result.h"

#include <QString>
#include <QStringList>

namespace anthology {

class ProjectFile;

// What `anthology analyze` compares: a data set of the project against either a survey run of
// the project (its final answers, sample 0) or a model answers CSV (persona, question, option
// and optionally group).
struct AnswerAnalysisOptions
{
    QString dataset;
    qint64 runId = 0;         // > 0: the run's answers
    QString answersFile;      // else: this CSV
    QStringList questions;    // empty: every question of the answers
    QString subgroupVariable; // a run's personas take their linked humans' values
    MetricsOptions metrics;
};

// The chain behind `anthology analyze --run/--answers`: loads the answers and the compared
// columns of the data set, groups a run's personas by their linked humans for a subgroup
// variable, and computes the ComparisonReport.
struct AnswerAnalysis
{
    QString dataset;
    QString weightVariable; // empty: unweighted
    qsizetype humanRows = 0;
    qsizetype personas = 0;
    ComparisonReport comparison;

    static Result<AnswerAnalysis> compute(ProjectFile &project, const AnswerAnalysisOptions &options);
};

} // namespace anthology
