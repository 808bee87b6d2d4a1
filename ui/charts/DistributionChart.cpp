#include "charts/DistributionChart.h"

#include "charts/ChartStyle.h"
#include "charts/ChartLayout.h"
#include "charts/FigureData.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

QString number(double v)
{
    return std::isfinite(v) ? QString::number(v, 'f', 3) : QObject::tr("n/a");
}

} // namespace

DistributionChart::DistributionChart(QWidget *parent) : QCustomPlot(parent)
{
    setObjectName(u"distributionChart"_s);
    setMinimumSize(420, 320);
    ChartStyle::apply(this);
}

QString DistributionChart::titleText() const
{
    return m_title ? m_title->text() : QString();
}

void DistributionChart::clearChart(const QString &message)
{
    ChartLayout::reset(this);
    m_drawn = {};
    m_title = ChartLayout::addTitle(this, message, {});
    replot();
}

void DistributionChart::showQuestion(const FigureData &data, qsizetype question, const QString &group)
{
    const StudyTable *table = &data.study.overall;
    for (const StudyTable &t : data.study.subgroups)
        if (!group.isEmpty() && t.group == group)
            table = &t;
    if (question < 0 || question >= data.study.questions.size()) {
        clearChart(tr("No question to show"));
        return;
    }
    ChartLayout::reset(this);
    const Question &q = data.study.questions[question];
    QString heading = q.id;
    if (!q.body.isEmpty())
        heading += u": "_s + q.body;
    if (!group.isEmpty())
        heading += u"  [%1 = %2]"_s.arg(data.subgroupTitle, group);
    QStringList distances;
    const QList<const StudyRow *> rows = data.runRows(*table);
    for (qsizetype r = 0; r < rows.size(); ++r) {
        if (!rows[r] || !rows[r]->report)
            continue;
        const QuestionMetrics &m = rows[r]->report->questions[question];
        distances.append(tr("%1: EMD %2, TV %3").arg(data.runs[r].label, number(m.emd), number(m.totalVariation)));
    }
    m_title = ChartLayout::addTitle(this, ChartStyle::wrap(heading, 110),
                                    tr("Distance to the humans \u2014 ") + distances.join(u"; "_s));
    QCPAxisRect *rect = ChartLayout::addAxisRect(this);
    m_drawn = DistributionBars::draw(rect, data, *table, question, std::max(10, 80 / int(q.choices.size() + 1)),
                                     true);
    rect->axis(QCPAxis::atLeft)->setLabel(tr("Share of answers"));
    rect->axis(QCPAxis::atBottom)->setLabel(tr("Answer option"));
    ChartLayout::addLegend(this, 2);
    ChartLayout::addNote(this, DistributionBars::intervalNote());
    replot();
}

} // namespace anthology::ui
