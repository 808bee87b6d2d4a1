#pragma once

#include "charts/DistributionBars.h"

#include <qcustomplot.h>

namespace anthology::ui {

struct FigureData;

// Small multiples: one question's answer shares per value of the subgroup variable, each panel
// the question view's bars for that group (humans by their own value, personas by their
// group), on one shared vertical scale.
class SubgroupChart final : public QCustomPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SubgroupChart)

public:
    explicit SubgroupChart(QWidget *parent = nullptr);

    void showQuestion(const FigureData &data, qsizetype question);

    // One per group, in the study's group order.
    const QList<DrawnBars> &facets() const { return m_facets; }
    const QStringList &groups() const { return m_groups; }

private:
    QList<DrawnBars> m_facets;
    QStringList m_groups;
};

} // namespace anthology::ui
