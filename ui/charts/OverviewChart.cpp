#include "charts/OverviewChart.h"

#include "charts/ChartLayout.h"
#include "charts/ChartStyle.h"
#include "charts/FigureData.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology::ui {

OverviewChart::OverviewChart(QWidget *parent) : QCustomPlot(parent)
{
    setObjectName(u"overviewChart"_s);
    setMinimumSize(420, 260);
    ChartStyle::apply(this);
}

void OverviewChart::showStudy(const FigureData &data, const QString &group)
{
    ChartLayout::reset(this);
    m_dots.clear();
    m_whiskers.clear();
    m_bound = nullptr;
    const StudyTable *table = &data.study.overall;
    for (const StudyTable &t : data.study.subgroups)
        if (!group.isEmpty() && t.group == group)
            table = &t;
    const bool emd = data.study.metric == StudyMetric::Emd;
    const QString metric = emd ? tr("EMD") : tr("total variation");
    QString title = tr("Mean %1 to the humans over %n question(s)", nullptr, int(data.study.questions.size()))
                        .arg(metric);
    if (!group.isEmpty())
        title += u"  [%1 = %2]"_s.arg(data.subgroupTitle, group);
    ChartLayout::addTitle(this, title, tr("Data set %1; lower is closer. Sorted by the mean.").arg(data.dataset));
    QCPAxisRect *rect = ChartLayout::addAxisRect(this);
    QCPAxis *x = rect->axis(QCPAxis::atBottom);
    QCPAxis *y = rect->axis(QCPAxis::atLeft);

    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const StudyRow *human = nullptr;
    QList<const StudyRow *> rows;
    for (const StudyRow &r : table->rows) {
        if (r.human)
            human = &r;
        else
            rows.append(&r);
    }
    double top = 0.0;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const StudyRow &row = *rows[i];
        qint64 runId = 0;
        for (const FigureRun &run : data.runs)
            if (run.label == row.label)
                runId = run.runId;
        const Interval &ci = emd ? row.emd : row.totalVariation;
        const double key = double(i + 1);
        ticker->addTick(key, ChartStyle::wrap(row.label, 28));
        auto *dot = new QCPGraph(y, x); // key on the vertical axis: one row per run
        dot->setName(row.label);
        dot->setLineStyle(QCPGraph::lsNone);
        const QColor color = ChartStyle::runColor(runId);
        dot->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, color, 8));
        dot->setData({key}, {ci.estimate}, true);
        auto *whisker = new QCPErrorBars(y, x);
        whisker->setDataPlottable(dot);
        whisker->setData({std::isfinite(ci.lower) ? ci.estimate - ci.lower : 0.0},
                         {std::isfinite(ci.upper) ? ci.upper - ci.estimate : 0.0});
        whisker->setPen(QPen(color, 1.6));
        whisker->setWhiskerWidth(7);
        m_dots.append(dot);
        m_whiskers.append(whisker);
        for (double v : {ci.upper, ci.estimate})
            if (std::isfinite(v))
                top = std::max(top, v);
    }
    if (human) {
        const Interval &ci = emd ? human->emd : human->totalVariation;
        if (std::isfinite(ci.estimate)) {
            if (std::isfinite(ci.lower) && std::isfinite(ci.upper)) {
                auto *band = new QCPItemRect(this);
                band->setClipAxisRect(rect);
                band->topLeft->setAxes(x, y);
                band->bottomRight->setAxes(x, y);
                band->topLeft->setCoords(ci.lower, 0.0);
                band->bottomRight->setCoords(ci.upper, double(rows.size() + 1));
                band->setPen(Qt::NoPen);
                band->setBrush(QColor(0x59, 0x59, 0x59, 40));
            }
            m_bound = new QCPItemStraightLine(this);
            m_bound->setClipAxisRect(rect);
            m_bound->point1->setAxes(x, y);
            m_bound->point2->setAxes(x, y);
            m_bound->point1->setCoords(ci.estimate, 0);
            m_bound->point2->setCoords(ci.estimate, 1);
            m_bound->setPen(QPen(ChartStyle::humanColor(), 1.4, Qt::DashLine));
            auto *label = new QCPItemText(this);
            label->setClipAxisRect(rect);
            label->position->setAxes(x, y);
            label->position->setCoords(ci.estimate, 0.35);
            label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
            label->setPadding(QMargins(4, 0, 0, 0));
            label->setFont(ChartStyle::smallFont());
            label->setColor(ChartStyle::humanColor());
            label->setText(tr("Humans, split-half lower bound %1").arg(ci.estimate, 0, 'f', 3));
            top = std::max(top, std::isfinite(ci.upper) ? ci.upper : ci.estimate);
        }
    }
    y->setTicker(ticker);
    y->setRangeReversed(true);
    y->setRange(0.0, double(rows.size()) + 0.7);
    y->grid()->setVisible(false);
    x->setRange(0.0, std::max(0.05, top * 1.12));
    x->setLabel(tr("Mean %1 (95% bootstrap interval over questions)").arg(metric));
    // Dots carry the run colours already; a legend would repeat the tick labels.
    ChartLayout::dropLegend(this);
    ChartLayout::addNote(this, tr("Dashed line: the humans' split-half lower bound (two random halves of the "
                                  "respondents compared with each other), shaded: its interval."));
    replot();
}

} // namespace anthology::ui
