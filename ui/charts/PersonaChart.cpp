#include "charts/PersonaChart.h"

#include "charts/ChartLayout.h"
#include "charts/ChartStyle.h"

#include "pipeline/PersonaComposition.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

QCPBars *bars(QCPAxisRect *rect, QCPBarsGroup *group, const QString &name, const QBrush &brush, const QColor &pen,
              const std::vector<double> &values, double width, double &top)
{
    auto *b = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    b->setName(name);
    b->setBrush(brush);
    b->setPen(QPen(pen, 0.8));
    b->setWidth(width);
    b->setBarsGroup(group);
    QVector<double> keys, v;
    for (size_t i = 0; i < values.size(); ++i) {
        keys.append(double(i + 1));
        v.append(values[i]);
        top = std::max(top, values[i]);
    }
    b->setData(keys, v, true);
    return b;
}

} // namespace

PersonaChart::PersonaChart(QWidget *parent) : QCustomPlot(parent)
{
    setObjectName(u"personaChart"_s);
    setMinimumSize(480, 360);
    ChartStyle::apply(this);
}

void PersonaChart::clearChart(const QString &message)
{
    ChartLayout::reset(this);
    m_panels.clear();
    ChartLayout::addTitle(this, message, {});
    ChartLayout::dropLegend(this);
    replot();
}

void PersonaChart::showComposition(const QList<TraitComposition> &traits, qint64 runId, const QString &runLabel,
                                   const QString &dataset)
{
    ChartLayout::reset(this);
    m_panels.clear();
    ChartLayout::addTitle(this, tr("Who the personas are: %1 against the respondents of %2").arg(runLabel, dataset),
                          tr("Shares per trait in the wave's matching categories; personas' answers without "
                             "prefer-not and non-compliant, renormalized."));
    QCPLayoutGrid *grid = ChartLayout::addGrid(this);
    // Long category lists need the width of a half row.
    const bool longLists = std::any_of(traits.begin(), traits.end(),
                                       [](const TraitComposition &t) { return t.categories.size() > 6; });
    const int columns = traits.size() <= 4 || longLists ? 2 : 3;
    const QColor color = ChartStyle::runColor(runId);
    auto *margins = new QCPMarginGroup(this);
    for (qsizetype i = 0; i < traits.size(); ++i) {
        const TraitComposition &t = traits[i];
        auto *cell = new QCPLayoutGrid;
        grid->addElement(int(i / columns), int(i % columns), cell);
        cell->addElement(0, 0, new QCPTextElement(this, t.humanVariable.isEmpty() ? t.trait
                                                                                    : u"%1 (%2)"_s.arg(t.trait, t.humanVariable),
                                                  ChartStyle::labelFont()));
        QCPAxisRect *rect = ChartLayout::newAxisRect(this);
        cell->addElement(1, 0, rect);
        cell->setRowStretchFactor(0, 0.001);
        rect->setMarginGroup(QCP::msLeft, margins);
        auto *group = new QCPBarsGroup(this);
        group->setSpacingType(QCPBarsGroup::stAbsolute);
        group->setSpacing(0);
        const int series = t.expected.empty() ? 2 : 3;
        const double width = 0.84 / series;
        double top = 0.0;
        Panel p;
        p.humans = bars(rect, group, tr("Respondents (weighted)"), ChartStyle::humanColor(), ChartStyle::humanColor(),
                        t.humans, width, top);
        p.sampled = bars(rect, group, tr("Personas, sampled"), color, color.darker(115), t.sampled, width, top);
        if (!t.expected.empty())
            p.expected = bars(rect, group, tr("Personas, expected from logprobs"), QBrush(color, Qt::BDiagPattern),
                              color, t.expected, width, top);
        if (i > 0)
            for (QCPBars *b : {p.humans, p.sampled, p.expected})
                if (b)
                    b->removeFromLegend();
        m_panels.append(p);
        // Many categories (income brackets, religions) get narrower lines and a smaller font.
        const bool many = t.categories.size() > 8;
        auto ticker = QSharedPointer<QCPAxisTickerText>::create();
        for (qsizetype c = 0; c < t.categories.size(); ++c)
            ticker->addTick(double(c + 1), ChartStyle::wrap(t.categories[c], many ? 9 : 12));
        rect->axis(QCPAxis::atBottom)->setTicker(ticker);
        if (many)
            rect->axis(QCPAxis::atBottom)->setTickLabelFont(ChartStyle::smallFont());
        rect->axis(QCPAxis::atBottom)->grid()->setVisible(false);
        rect->axis(QCPAxis::atBottom)->setRange(0.45, t.categories.size() + 0.55);
        ChartStyle::percentTicks(rect->axis(QCPAxis::atLeft), 3); // small panels: few ticks
        rect->axis(QCPAxis::atLeft)->setRange(0.0, std::max(0.1, top * 1.08));
    }
    ChartLayout::addLegend(this, 3);
    replot();
}

} // namespace anthology::ui
