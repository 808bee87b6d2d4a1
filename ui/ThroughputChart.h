#pragma once

#include <QChartView>

#include <deque>
#include <utility>

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
    static constexpr double kSmoothingSeconds = 2.0; // each point: the rate over the last two seconds

    explicit ThroughputChart(QWidget *parent = nullptr);

    void clear();
    // `answered` is done + failed so far; `seconds` the time since the run started here. A point
    // is the answers per second since the sample about kSmoothingSeconds before (the engine's
    // ticks are a quarter second apart, too noisy to read one by one).
    void addSample(double seconds, qint64 answered);
    int pointCount() const;
    double lastRate() const { return m_lastRate; }

private:
    QLineSeries *m_series;
    QValueAxis *m_x;
    QValueAxis *m_y;
    std::deque<std::pair<double, qint64>> m_recent; // (seconds, answered) of the smoothing window
    double m_lastRate = 0.0;
    double m_peak = 1.0;
};

} // namespace anthology::ui
