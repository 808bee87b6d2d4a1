#include "charts/HeatmapChart.h"

#include "charts/ChartLayout.h"
#include "charts/ChartStyle.h"
#include "charts/FigureData.h"

#include "analysis/CorrelationMatrix.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

// Blue - white - red (ColorBrewer RdBu ends), readable by the common colour-vision deficiencies.
QCPColorGradient diverging()
{
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(0x21, 0x66, 0xAC));
    g.setColorStopAt(0.25, QColor(0x92, 0xC5, 0xDE));
    g.setColorStopAt(0.5, QColor(0xF7, 0xF7, 0xF7));
    g.setColorStopAt(0.75, QColor(0xF4, 0xA5, 0x82));
    g.setColorStopAt(1.0, QColor(0xB2, 0x18, 0x2B));
    g.setNanHandling(QCPColorGradient::nhNanColor);
    g.setNanColor(QColor(0xD9, 0xD9, 0xD9));
    return g;
}

} // namespace

HeatmapChart::HeatmapChart(QWidget *parent) : QCustomPlot(parent)
{
    setObjectName(u"heatmapChart"_s);
    setMinimumSize(600, 300);
    ChartStyle::apply(this);
}

QCPColorMap *HeatmapChart::panel(QCPAxisRect *rect, const CorrelationMatrix &m, const QStringList &labels,
                                 bool yLabels)
{
    QCPAxis *x = rect->axis(QCPAxis::atBottom);
    QCPAxis *y = rect->axis(QCPAxis::atLeft);
    const int n = int(m.size());
    auto *map = new QCPColorMap(x, y);
    map->data()->setSize(n, n);
    map->data()->setRange(QCPRange(0, std::max(1, n - 1)), QCPRange(0, std::max(1, n - 1)));
    const bool dense = n > 12;
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            const double v = m.at(i, j);
            map->data()->setCell(j, i, v);
            if (dense)
                continue;
            auto *text = new QCPItemText(this);
            text->setClipAxisRect(rect);
            text->position->setAxes(x, y);
            text->position->setCoords(j, i);
            text->setFont(ChartStyle::smallFont());
            // Two decimals without a "-0.00" for values that round to zero.
            text->setText(std::isfinite(v) ? QString::number(std::abs(v) < 0.005 ? 0.0 : v, 'f', 2) : u"\u2013"_s);
            text->setColor(std::isfinite(v) && std::abs(v) > 0.6 ? Qt::white : Qt::black);
        }
    map->setInterpolate(false);
    map->setTightBoundary(false);
    map->setGradient(diverging());
    map->setDataRange(QCPRange(-1.0, 1.0));
    map->setColorScale(m_scale);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < n; ++i)
        ticker->addTick(i, labels.value(i));
    x->setTicker(ticker);
    y->setTicker(ticker);
    x->setTickLabelRotation(45);
    y->setTickLabels(yLabels);
    y->setRangeReversed(true);
    x->setRange(-0.5, n - 0.5);
    y->setRange(-0.5, n - 0.5);
    x->grid()->setVisible(false);
    y->grid()->setVisible(false);
    return map;
}

void HeatmapChart::showRun(const FigureData &data, qsizetype run)
{
    ChartLayout::reset(this);
    m_maps.clear();
    m_scale = nullptr;
    const StudyRow *human = StudyReport::humanRowOf(data.study.overall);
    const QList<const StudyRow *> rows = data.runRows(data.study.overall);
    if (!human || run < 0 || run >= rows.size() || !rows[run] || !rows[run]->report) {
        ChartLayout::addTitle(this, tr("No run to show"), {});
        ChartLayout::dropLegend(this);
        replot();
        return;
    }
    const SurveyReport &report = *rows[run]->report;
    QStringList labels;
    for (const Question &q : data.study.questions)
        labels.append(q.id);
    ChartLayout::addTitle(this, tr("Correlations between questions: humans and %1").arg(data.runs[run].label),
                          tr("Pearson r (humans weighted, listwise; run pairwise). CBS %1, Frobenius %2.")
                              .arg(report.cbs, 0, 'f', 3)
                              .arg(report.frobenius, 0, 'f', 3));
    QCPLayoutGrid *grid = ChartLayout::addGrid(this);
    m_scale = new QCPColorScale(this);
    m_scale->setType(QCPAxis::atRight);
    m_scale->setDataRange(QCPRange(-1.0, 1.0));
    m_scale->setGradient(diverging());
    m_scale->axis()->setLabel(tr("Correlation r; difference run \u2212 humans"));
    m_scale->axis()->setLabelFont(ChartStyle::labelFont());
    m_scale->axis()->setTickLabelFont(ChartStyle::tickFont());
    m_scale->setBarWidth(12);
    const QStringList titles{tr("Humans"), data.runs[run].label, tr("Difference (run \u2212 humans)")};
    const CorrelationMatrix difference =
        CorrelationMatrix::difference(report.modelCorrelation, report.humanCorrelation);
    const CorrelationMatrix *matrices[] = {&report.humanCorrelation, &report.modelCorrelation, &difference};
    auto *margins = new QCPMarginGroup(this);
    for (int p = 0; p < 3; ++p) {
        auto *title = new QCPTextElement(this, titles[p], ChartStyle::labelFont());
        QCPAxisRect *rect = ChartLayout::newAxisRect(this);
        grid->addElement(0, p, title);
        grid->addElement(1, p, rect);
        rect->setMarginGroup(QCP::msLeft | QCP::msTop | QCP::msBottom, margins);
        m_maps.append(panel(rect, *matrices[p], labels, p == 0));
    }
    grid->addElement(1, 3, m_scale);
    m_scale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    grid->setRowStretchFactor(0, 0.001);
    grid->setColumnStretchFactor(3, 0.001);
    ChartLayout::dropLegend(this);
    ChartLayout::addNote(this, tr("Grey cells: undefined (a question without variation). One colour scale "
                                  "for all three panels, blue negative, red positive; differences beyond \u00b11 "
                                  "take the end colours."));
    replot();
}

} // namespace anthology::ui
