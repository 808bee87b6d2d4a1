#include "charts/MatchChart.h"

#include "charts/ChartLayout.h"
#include "charts/ChartStyle.h"

#include "matching/MatchSummary.h"

using namespace Qt::StringLiterals;

namespace anthology::ui {

MatchChart::MatchChart(QWidget *parent) : QCustomPlot(parent)
{
    setObjectName(u"matchChart"_s);
    setMinimumSize(400, 200);
    ChartStyle::apply(this);
}

void MatchChart::clearChart(const QString &message)
{
    ChartLayout::reset(this);
    m_bins = nullptr;
    m_title = message;
    ChartLayout::addTitle(this, message, {});
    ChartLayout::dropLegend(this);
    replot();
}

void MatchChart::showMatch(const MatchWeights &match)
{
    ChartLayout::reset(this);
    m_title = tr("Match %1 (%2): %L3 of %L4 respondents of %5 matched to %L6 distinct personas")
                  .arg(match.name, match.method)
                  .arg(match.pairs)
                  .arg(match.datasetRows)
                  .arg(match.dataset)
                  .arg(match.distinctPersonas);
    ChartLayout::addTitle(this, m_title,
                          match.zeroWeight > 0 ? tr("%n pair(s) of weight 0 are not in the histogram.", nullptr,
                                                    int(match.zeroWeight))
                                               : QString());
    QCPAxisRect *rect = ChartLayout::addAxisRect(this);
    m_bins = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    m_bins->setBrush(ChartStyle::runColor(1));
    m_bins->setPen(QPen(Qt::white, 0.5));
    QVector<double> keys, values;
    double top = 0.0;
    for (size_t b = 0; b < match.counts.size(); ++b) {
        keys.append((match.binEdges[b] + match.binEdges[b + 1]) / 2.0);
        values.append(double(match.counts[b]));
        top = std::max(top, double(match.counts[b]));
    }
    m_bins->setData(keys, values, true);
    if (match.binEdges.size() > 1) {
        m_bins->setWidth(match.binEdges[1] - match.binEdges[0]);
        rect->axis(QCPAxis::atBottom)->setRange(match.binEdges.front(), match.binEdges.back());
    }
    rect->axis(QCPAxis::atLeft)->setRange(0.0, std::max(1.0, top * 1.08));
    rect->axis(QCPAxis::atBottom)->setLabel(tr("log10 of the pair weight w(h, v)"));
    rect->axis(QCPAxis::atLeft)->setLabel(tr("Matched pairs"));
    ChartLayout::dropLegend(this);
    replot();
}

} // namespace anthology::ui
