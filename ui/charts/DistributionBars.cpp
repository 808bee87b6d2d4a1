#include "charts/DistributionBars.h"

#include "charts/ChartStyle.h"
#include "charts/FigureData.h"

#include <qcustomplot.h>

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

struct Series
{
    QCPBars *bars = nullptr;
    QCPErrorBars *errors = nullptr;
};

double orZero(double v)
{
    return std::isfinite(v) ? v : 0.0;
}

QCPBars *makeBars(QCPAxisRect *rect, const QString &name, const QBrush &brush, const QPen &pen)
{
    auto *bars = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    bars->setName(name);
    bars->setBrush(brush);
    bars->setPen(pen);
    bars->setAntialiased(false);
    return bars;
}

// Bars of one distribution with its interval, or without one when `withErrors` is false.
Series distribution(QCPAxisRect *rect, const QString &name, const QColor &color,
                    const WeightedDistribution &d, bool withErrors, double &maxValue)
{
    Series s;
    s.bars = makeBars(rect, name, color, QPen(color.darker(115), 0.8));
    QVector<double> keys, values, minus, plus;
    for (size_t k = 0; k < d.shares.size(); ++k) {
        keys.append(double(k + 1));
        values.append(d.shares[k]);
        const double low = d.lower(k), high = d.upper(k);
        minus.append(orZero(d.shares[k] - low));
        plus.append(orZero(high - d.shares[k]));
        maxValue = std::max({maxValue, d.shares[k], std::isfinite(high) ? high : 0.0});
    }
    s.bars->setData(keys, values, true);
    if (withErrors && !d.empty()) {
        s.errors = new QCPErrorBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        s.errors->removeFromLegend();
        s.errors->setDataPlottable(s.bars);
        s.errors->setData(minus, plus);
        s.errors->setPen(QPen(QColor(0x20, 0x20, 0x20), 1.0));
        s.errors->setWhiskerWidth(4);
    }
    return s;
}

} // namespace

QString DistributionBars::intervalNote()
{
    return QObject::tr("Bars: share of answers. Whiskers: 95% interval, share \u00b1 1.96 SE "
                       "(normal approximation; humans with survey weights). Hatched: expected from logprobs.");
}

DrawnBars DistributionBars::draw(QCPAxisRect *rect, const FigureData &data, const StudyTable &table,
                                 qsizetype question, int labelWidth, bool legend)
{
    DrawnBars drawn;
    const StudyRow *human = StudyReport::humanRowOf(table);
    if (!human || !human->report || question < 0 || question >= human->report->questions.size())
        return drawn;
    const Question &q = data.study.questions.value(question);
    const int optionCount = int(q.choices.size());
    const QList<const StudyRow *> rows = data.runRows(table);

    int seriesCount = 1;
    for (qsizetype r = 0; r < data.runs.size(); ++r)
        seriesCount += (rows[r] ? 1 : 0) + (data.runs[r].expected.contains(q.id) && rows[r] ? 1 : 0);
    const double width = 0.84 / seriesCount;

    auto *group = new QCPBarsGroup(rect->parentPlot());
    group->setSpacingType(QCPBarsGroup::stAbsolute);
    group->setSpacing(0);
    const Series h = distribution(rect, QObject::tr("Humans (weighted, n = %L1)").arg(table.humanRows),
                                  ChartStyle::humanColor(), human->report->questions[question].human, true,
                                  drawn.maxValue);
    drawn.humans = h.bars;
    drawn.humanErrors = h.errors;
    h.bars->setWidth(width);
    h.bars->setBarsGroup(group);

    auto *apart = new QCPBarsGroup(rect->parentPlot());
    apart->setSpacingType(QCPBarsGroup::stAbsolute);
    apart->setSpacing(0);
    const double apartWidth = std::min(0.84 / std::max<qsizetype>(1, data.runs.size()), 0.3);
    for (qsizetype r = 0; r < data.runs.size(); ++r) {
        const FigureRun &run = data.runs[r];
        const StudyRow *row = rows[r];
        if (!row || !row->report) {
            drawn.runs.append(nullptr);
            drawn.runErrors.append(nullptr);
            drawn.expected.append(nullptr);
            drawn.nonCompliant.append(nullptr);
            continue;
        }
        const QColor color = ChartStyle::runColor(run.runId);
        const QuestionMetrics &m = row->report->questions[question];
        const Series s = distribution(rect, run.label, color, m.model, true, drawn.maxValue);
        s.bars->setWidth(width);
        s.bars->setBarsGroup(group);
        drawn.runs.append(s.bars);
        drawn.runErrors.append(s.errors);

        QCPBars *expected = nullptr;
        if (auto it = run.expected.constFind(q.id); it != run.expected.cend()) {
            expected = makeBars(rect, QObject::tr("%1, expected from logprobs").arg(run.label),
                                QBrush(color, Qt::BDiagPattern), QPen(color, 1.2));
            QVector<double> keys, values;
            for (size_t k = 0; k < it->shares.size(); ++k) {
                keys.append(double(k + 1));
                values.append(it->shares[k]);
                drawn.maxValue = std::max(drawn.maxValue, it->shares[k]);
            }
            expected->setData(keys, values, true);
            expected->setWidth(width);
            expected->setBarsGroup(group);
        }
        drawn.expected.append(expected);

        auto *nc = makeBars(rect, QString(), QBrush(color), QPen(color.darker(115), 0.8));
        const double share = std::isfinite(m.compliance) ? 1.0 - m.compliance : 0.0;
        nc->setData({nonCompliantKey(optionCount)}, {share}, true);
        nc->setWidth(apartWidth);
        nc->setBarsGroup(apart);
        nc->removeFromLegend();
        drawn.maxValue = std::max(drawn.maxValue, share);
        drawn.nonCompliant.append(nc);
    }
    if (!legend)
        for (QCPBars *b : rect->parentPlot()->findChildren<QCPBars *>())
            if (b->keyAxis()->axisRect() == rect)
                b->removeFromLegend();

    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int k = 0; k < optionCount; ++k)
        ticker->addTick(k + 1, ChartStyle::wrap(q.choices[k], labelWidth));
    QCPAxis *x = rect->axis(QCPAxis::atBottom);
    if (!data.runs.isEmpty()) {
        ticker->addTick(nonCompliantKey(optionCount), QObject::tr("No valid\nanswer"));
        auto *separator = new QCPItemStraightLine(rect->parentPlot());
        separator->setClipAxisRect(rect);
        separator->point1->setAxes(x, rect->axis(QCPAxis::atLeft));
        separator->point2->setAxes(x, rect->axis(QCPAxis::atLeft));
        separator->point1->setCoords(optionCount + 0.62, 0);
        separator->point2->setCoords(optionCount + 0.62, 1);
        separator->setPen(QPen(QColor(0x90, 0x90, 0x90), 1, Qt::DashLine));
    }
    x->setTicker(ticker);
    x->setTickLabelRotation(optionCount > 7 ? 35 : 0); // long scales: slanted rather than crowded
    x->grid()->setVisible(false);
    x->setRange(0.45, data.runs.isEmpty() ? optionCount + 0.55 : nonCompliantKey(optionCount) + 0.45);
    QCPAxis *y = rect->axis(QCPAxis::atLeft);
    ChartStyle::percentTicks(y);
    setValueRange(rect, drawn.maxValue);
    return drawn;
}

void DistributionBars::setValueRange(QCPAxisRect *rect, double top)
{
    rect->axis(QCPAxis::atLeft)->setRange(0.0, std::max(0.1, top * 1.08));
}

} // namespace anthology::ui
