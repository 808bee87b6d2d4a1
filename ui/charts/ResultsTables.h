#pragma once

class QStandardItemModel;
class QObject;

#include <QtGlobal>

namespace anthology::ui {

struct FigureData;

// The tables beside the figures, filled from core's numbers (nothing recomputed): shown in the
// Results tab and exported as TSV, CSV and LaTeX.
class ResultsTables final
{
public:
    // Every row of the study table (overall, then each group when a subgroup variable is set):
    // mean EMD and TV with their intervals, representativeness, CBS, Frobenius, alpha, compliance, n.
    static QStandardItemModel *overview(const FigureData &data, QObject *parent);
    // One question by group: respondents per group and each run's EMD and TV to that group.
    static QStandardItemModel *subgroups(const FigureData &data, qsizetype question, QObject *parent);
};

} // namespace anthology::ui
