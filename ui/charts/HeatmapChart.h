#pragma once

#include <qcustomplot.h>

namespace anthology {
class CorrelationMatrix;
}

namespace anthology::ui {

struct FigureData;

// Question-by-question correlations side by side: the weighted humans, one run, and the run
// minus the humans, on one shared diverging colour scale (-1 .. 1) with each value written in
// its cell.
class HeatmapChart final : public QCustomPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeatmapChart)

public:
    explicit HeatmapChart(QWidget *parent = nullptr);

    // `run` indexes data.runs.
    void showRun(const FigureData &data, qsizetype run);

    // Humans, run, difference.
    const QList<QCPColorMap *> &maps() const { return m_maps; }
    QCPColorScale *scale() const { return m_scale; }

private:
    QCPColorMap *panel(QCPAxisRect *rect, const CorrelationMatrix &m, const QStringList &labels, bool yLabels);

    QList<QCPColorMap *> m_maps;
    QCPColorScale *m_scale = nullptr;
};

} // namespace anthology::ui
