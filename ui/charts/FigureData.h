#pragma once

#include "analysis/StudyReport.h"
#include "run/ExpectedShares.h"

#include <QHash>
#include <QList>
#include <QString>

namespace anthology::ui {

// One run of a figure: its id (which fixes its colour), its row label in the study tables and,
// when its items stored logprobs, what they expect per question.
struct FigureRun
{
    qint64 runId = 0;
    QString label;
    QHash<QString, ExpectedDistribution> expected;
};

// Everything the Results figures draw, all of it computed by core (RunComparison, SurveyMetrics,
// SubgroupAnalysis, ExpectedShares): the charts only read it.
struct FigureData
{
    QString dataset;
    QList<FigureRun> runs; // in the order asked for
    StudyResult study;
    QString subgroupTitle; // the subgroup variable's label in words, or its name

    // The rows of `table` for the runs (in `runs` order; nullptr for a run absent there).
    QList<const StudyRow *> runRows(const StudyTable &table) const;
};

} // namespace anthology::ui
