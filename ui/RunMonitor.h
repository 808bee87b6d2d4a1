#pragma once

#include "pipeline/RunController.h"

#include <QElapsedTimer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;

namespace anthology::ui {

class ThroughputChart;

// The live view of one run: progress, rate, ETA, tokens and cost so far, failures by cause
// with the latest error, and answers per second over time; Pause, Resume, Cancel and Retry
// failed ask the panel that owns the run (the buttons only emit).
class RunMonitor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunMonitor)

public:
    explicit RunMonitor(QWidget *parent = nullptr);

    // A new run to watch (clears the chart); `title` says what it is.
    void begin(qint64 runId, const QString &title);
    void showProgress(const RunProgress &progress);
    void showFailures(const QList<FailureGroup> &failures);
    void showOutcome(const RunOutcome &outcome);
    // Whether the buttons apply: a run live here, paused or not, or one that ended.
    void setLive(bool live, bool paused);

    qint64 runId() const { return m_runId; }
    QString stateText() const;
    ThroughputChart *chart() const { return m_chart; }
    QTreeWidget *failureTable() const { return m_failures; }

Q_SIGNALS:
    void pauseRequested();
    void resumeRequested();
    void cancelRequested();
    void retryFailedRequested();

private:
    QLabel *figure(const QString &objectName);

    qint64 m_runId = 0;
    QLabel *m_title;
    QLabel *m_state;
    QProgressBar *m_bar;
    QLabel *m_done;
    QLabel *m_failed;
    QLabel *m_inFlight;
    QLabel *m_rate;
    QLabel *m_eta;
    QLabel *m_tokens;
    QLabel *m_cost;
    QTreeWidget *m_failures;
    ThroughputChart *m_chart;
    QPushButton *m_pause;
    QPushButton *m_resume;
    QPushButton *m_cancel;
    QPushButton *m_retry;
    QElapsedTimer m_clock;
    qint64 m_failedCount = 0;
};

} // namespace anthology::ui
