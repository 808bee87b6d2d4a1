#pragma once

#include <QChartView>

class QLineSeries;
class QValueAxis;

namespace anthology::ui {

// A live line of answers per second over the run's elapsed time, from the engine's progress
// ticks: each point is the answers committed since the previous tick over the time between.
class ThroughputChart final : public QChartView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ThroughputChart)

public:
    static constexpr int kWindowSeconds = 300; // the x axis shows the last five minutes

    explicit ThroughputChart(QWidget *parent = nullptr);

    void clear();
    // `answered` is done + failed so far; `seconds` the time since the run started here.
    void addSample(double seconds, qint64 answered);
    int pointCount() const;
    double lastRate() const { return m_lastRate; }

private:
    QLineSeries *m_series;
    QValueAxis *m_x;
    QValueAxis *m_y;
    double m_lastSeconds = -1.0;
    qint64 m_lastAnswered = 0;
    double m_lastRate = 0.0;
    double m_peak = 1.0;
};

} // namespace anthology::ui
