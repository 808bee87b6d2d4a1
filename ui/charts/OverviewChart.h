#pragma once

#include <qcustomplot.h>

namespace anthology {
struct StudyTable;
}

namespace anthology::ui {

struct FigureData;

// The study overview: each run's mean distance to the humans (EMD or TV, the study's metric)
// with its bootstrap interval, best at the top, and the humans' split-half lower bound as a
// reference line with its interval shaded.
class OverviewChart final : public QCustomPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OverviewChart)

public:
    explicit OverviewChart(QWidget *parent = nullptr);

    void showStudy(const FigureData &data, const QString &group = {});

    // As drawn, top to bottom: one graph (a dot) per run with its whisker.
    const QList<QCPGraph *> &dots() const { return m_dots; }
    const QList<QCPErrorBars *> &whiskers() const { return m_whiskers; }
    QCPItemStraightLine *lowerBound() const { return m_bound; }

private:
    QList<QCPGraph *> m_dots;
    QList<QCPErrorBars *> m_whiskers;
    QCPItemStraightLine *m_bound = nullptr;
};

} // namespace anthology::ui
