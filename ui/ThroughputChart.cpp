#include "ThroughputChart.h"

#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

namespace anthology::ui {

ThroughputChart::ThroughputChart(QWidget *parent)
    : QChartView(parent), m_series(new QLineSeries), m_x(new QValueAxis), m_y(new QValueAxis)
{
    setObjectName(QStringLiteral("throughputChart"));
    auto *chart = new QChart;
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    chart->addSeries(m_series);
    m_x->setTitleText(tr("seconds"));
    m_x->setLabelFormat(QStringLiteral("%d"));
    m_y->setTitleText(tr("answers/s"));
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_x->setLabelsFont(small);
    m_y->setLabelsFont(small);
    m_x->setTitleFont(small);
    m_y->setTitleFont(small);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    m_series->attachAxis(m_x);
    m_series->attachAxis(m_y);
    QPen pen(palette().color(QPalette::Highlight));
    pen.setWidthF(1.5);
    m_series->setPen(pen);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(140);
    clear();
}

void ThroughputChart::clear()
{
    m_series->clear();
    m_recent.clear();
    m_lastRate = 0.0;
    m_peak = 1.0;
    m_x->setRange(0, 60);
    m_y->setRange(0, 1);
}

void ThroughputChart::addSample(double seconds, qint64 answered)
{
    if (!m_recent.empty() && seconds <= m_recent.back().first)
        return;
    m_recent.emplace_back(seconds, answered);
    while (m_recent.size() > 2 && m_recent[1].first <= seconds - kSmoothingSeconds)
        m_recent.pop_front();
    if (m_recent.size() < 2)
        return;
    const auto &[then, answeredThen] = m_recent.front();
    m_lastRate = double(answered - answeredThen) / (seconds - then);
    m_series->append(seconds, m_lastRate);
    // Keep only the visible window, so a long run costs the chart nothing more.
    while (m_series->count() > 2 && m_series->at(0).x() < seconds - kWindowSeconds)
        m_series->remove(0);
    m_peak = qMax(m_peak, m_lastRate);
    m_x->setRange(qMax(0.0, seconds - kWindowSeconds), qMax(60.0, seconds));
    m_y->setRange(0, m_peak * 1.15);
    m_y->applyNiceNumbers();
}

int ThroughputChart::pointCount() const
{
    return m_series->count();
}

} // namespace anthology::ui
