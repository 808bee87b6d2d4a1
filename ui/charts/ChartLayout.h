#pragma once

#include <QString>

class QCPAxisRect;
class QCPLayoutElement;
class QCPLayoutGrid;
class QCPTextElement;
class QCustomPlot;

namespace anthology::ui {

// The stacked layout every figure uses: title, subtitle, the plot(s), the legend below them (never
// over the data), and a small note on how to read the figure. Rows are appended top to bottom;
// text rows take their natural height and the plots take the rest.
class ChartLayout final
{
public:
    // Removes everything drawn and starts an empty layout with a fresh legend (held aside until
    // addLegend places it, so plottables created meanwhile enter it).
    static void reset(QCustomPlot *plot);
    static QCPTextElement *addTitle(QCustomPlot *plot, const QString &title, const QString &subtitle);
    static QCPAxisRect *addAxisRect(QCustomPlot *plot);
    // A grid row for small multiples or side-by-side panels.
    static QCPLayoutGrid *addGrid(QCustomPlot *plot);
    static QCPAxisRect *newAxisRect(QCustomPlot *plot);
    static void addLegend(QCustomPlot *plot, int columns);
    // For figures whose marks are labelled on an axis.
    static void dropLegend(QCustomPlot *plot);
    static void addNote(QCustomPlot *plot, const QString &text);

private:
    static void append(QCustomPlot *plot, QCPLayoutElement *element, double stretch);
};

} // namespace anthology::ui
