#include "charts/ChartLayout.h"

#include "charts/ChartStyle.h"

#include <qcustomplot.h>

namespace anthology::ui {

namespace {

constexpr double textStretch = 0.001;

} // namespace

void ChartLayout::reset(QCustomPlot *plot)
{
    plot->clearPlottables();
    plot->clearItems();
    qDeleteAll(plot->findChildren<QCPBarsGroup *>(Qt::FindDirectChildrenOnly));
    plot->plotLayout()->clear();
    plot->plotLayout()->simplify();
    plot->plotLayout()->setRowSpacing(2);
    plot->legend = new QCPLegend;
    plot->plotLayout()->addElement(0, 0, plot->legend);
    plot->legend->setVisible(false);
    ChartStyle::styleLegend(plot->legend);
}

void ChartLayout::append(QCustomPlot *plot, QCPLayoutElement *element, double stretch)
{
    QCPLayoutGrid *layout = plot->plotLayout();
    const int row = layout->rowCount();
    layout->addElement(row, 0, element);
    layout->setRowStretchFactor(row, stretch);
}

QCPTextElement *ChartLayout::addTitle(QCustomPlot *plot, const QString &title, const QString &subtitle)
{
    auto *head = new QCPTextElement(plot, title, ChartStyle::titleFont());
    head->setTextColor(Qt::black);
    append(plot, head, textStretch);
    if (!subtitle.isEmpty()) {
        auto *sub = new QCPTextElement(plot, ChartStyle::wrap(subtitle, 140), ChartStyle::smallFont());
        sub->setTextColor(QColor(0x30, 0x30, 0x30));
        append(plot, sub, textStretch);
    }
    return head;
}

QCPAxisRect *ChartLayout::newAxisRect(QCustomPlot *plot)
{
    auto *rect = new QCPAxisRect(plot, true);
    ChartStyle::styleAxisRect(rect);
    rect->setupFullAxesBox(false);
    rect->axis(QCPAxis::atTop)->setVisible(false);
    rect->axis(QCPAxis::atRight)->setVisible(false);
    return rect;
}

QCPAxisRect *ChartLayout::addAxisRect(QCustomPlot *plot)
{
    QCPAxisRect *rect = newAxisRect(plot);
    append(plot, rect, 1.0);
    return rect;
}

QCPLayoutGrid *ChartLayout::addGrid(QCustomPlot *plot)
{
    auto *grid = new QCPLayoutGrid;
    append(plot, grid, 1.0);
    grid->setColumnSpacing(12);
    grid->setRowSpacing(6);
    return grid;
}

void ChartLayout::addLegend(QCustomPlot *plot, int columns)
{
    QCPLegend *legend = plot->legend;
    QCPLayoutGrid *layout = plot->plotLayout();
    layout->take(legend);
    layout->simplify();
    legend->setVisible(true);
    // setWrap alone leaves the items already added in one row: the fill order, set after it,
    // lays them out again in rows of `columns`.
    legend->setWrap(columns);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    legend->setRowSpacing(2);
    legend->setColumnSpacing(12);
    append(plot, legend, textStretch);
    plot->plotLayout()->setMargins(QMargins(4, 4, 4, 4));
}

void ChartLayout::dropLegend(QCustomPlot *plot)
{
    if (!plot->legend)
        return;
    plot->plotLayout()->take(plot->legend);
    plot->plotLayout()->simplify();
    delete plot->legend; // its destructor tells the plot
}

void ChartLayout::addNote(QCustomPlot *plot, const QString &text)
{
    auto *note = new QCPTextElement(plot, ChartStyle::wrap(text, 150), ChartStyle::smallFont());
    note->setTextColor(QColor(0x55, 0x55, 0x55));
    append(plot, note, textStretch);
}

} // namespace anthology::ui
