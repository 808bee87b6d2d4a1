#pragma once

#include <QColor>
#include <QFont>
#include <QString>

class QCPAxis;
class QCPAxisRect;
class QCPLegend;
class QCustomPlot;

namespace anthology::ui {

// The look every figure shares: white background, Okabe-Ito colours (colour-blind safe), humans
// always in the same grey, each run in the colour of its id in every view, and fonts sized for
// a figure one column wide in a paper.
class ChartStyle final
{
public:
    static QColor humanColor();
    // Stable per run id, so run 7 is the same colour in bars, dots and exports.
    static QColor runColor(qint64 runId);
    static QColor gridColor();

    static QFont titleFont();
    static QFont labelFont();
    static QFont tickFont();
    static QFont smallFont();

    // White background, fonts, light grid, no top/right frame.
    static void apply(QCustomPlot *plot);
    static void styleAxisRect(QCPAxisRect *rect);
    static void styleLegend(QCPLegend *legend);
    // Tick labels as percentages of a share 0..1, about `ticks` of them.
    static void percentTicks(QCPAxis *axis, int ticks = 5);

    // Breaks `text` at spaces into lines of at most about `width` characters.
    static QString wrap(const QString &text, int width);

    // The default export size of a figure, in pixels at 96 dpi (one column, 4:3-ish).
    static constexpr int exportWidth = 900;
    static constexpr int exportHeight = 600;
};

} // namespace anthology::ui
