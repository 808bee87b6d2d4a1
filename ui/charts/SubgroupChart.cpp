#include "charts/SubgroupChart.h"

#include "charts/ChartLayout.h"
#include "charts/ChartStyle.h"
#include "charts/FigureData.h"

using namespace Qt::StringLiterals;

namespace anthology::ui {

SubgroupChart::SubgroupChart(QWidget *parent) : QCustomPlot(parent)
{
    setObjectName(u"subgroupChart"_s);
    setMinimumSize(480, 360);
    ChartStyle::apply(this);
}

void SubgroupChart::showQuestion(const FigureData &data, qsizetype question)
{
    ChartLayout::reset(this);
    m_facets.clear();
    m_groups.clear();
    if (data.study.subgroups.isEmpty() || question < 0 || question >= data.study.questions.size()) {
        ChartLayout::addTitle(this, tr("Choose a subgroup variable to see one panel per group"), {});
        ChartLayout::dropLegend(this);
        replot();
        return;
    }
    const Question &q = data.study.questions[question];
    ChartLayout::addTitle(this, ChartStyle::wrap(tr("%1 by %2").arg(q.id, data.subgroupTitle), 110),
                          ChartStyle::wrap(q.body, 140));
    QCPLayoutGrid *grid = ChartLayout::addGrid(this);
    const qsizetype n = data.study.subgroups.size();
    const int columns = n <= 2 ? int(n) : (n <= 4 ? 2 : 3);
    const int labelWidth = std::max(8, 60 / (columns * int(q.choices.size() + 1)) + 4);
    auto *margins = new QCPMarginGroup(this);
    double top = 0.0;
    QList<QCPAxisRect *> rects;
    for (qsizetype g = 0; g < n; ++g) {
        const StudyTable &table = data.study.subgroups[g];
        auto *cell = new QCPLayoutGrid;
        grid->addElement(int(g / columns), int(g % columns), cell);
        auto *title = new QCPTextElement(
            this, tr("%1 (n = %L2)").arg(table.group.isEmpty() ? tr("(none)") : table.group).arg(table.humanRows),
            ChartStyle::labelFont());
        cell->addElement(0, 0, title);
        QCPAxisRect *rect = ChartLayout::newAxisRect(this);
        cell->addElement(1, 0, rect);
        cell->setRowStretchFactor(0, 0.001);
        cell->setRowSpacing(0);
        rect->setMarginGroup(QCP::msLeft | QCP::msBottom, margins);
        const DrawnBars drawn = DistributionBars::draw(rect, data, table, question, labelWidth, g == 0);
        if (drawn.humans) // each panel has its own n, in its title
            drawn.humans->setName(tr("Humans (weighted)"));
        top = std::max(top, drawn.maxValue);
        m_facets.append(drawn);
        m_groups.append(table.group);
        rects.append(rect);
        if (g % columns != 0)
            rect->axis(QCPAxis::atLeft)->setTickLabels(false);
    }
    for (QCPAxisRect *rect : rects)
        DistributionBars::setValueRange(rect, top);
    if (!rects.isEmpty())
        rects.first()->axis(QCPAxis::atLeft)->setLabel(tr("Share of answers"));
    ChartLayout::addLegend(this, 3);
    ChartLayout::addNote(this, tr("Humans grouped by their own value, personas by their matched or surveyed "
                                  "demographics. ") +
                                   DistributionBars::intervalNote());
    replot();
}

} // namespace anthology::ui
