#pragma once

#include "util/Result.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

class QThread;
class QTimer;

namespace anthology::ui {

// What a job running on the worker thread sees: where to report progress and whether to stop.
class JobProgress
{
public:
    void report(qint64 done, qint64 total)
    {
        m_done.store(done, std::memory_order_relaxed);
        m_total.store(total, std::memory_order_relaxed);
    }
    bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }
    const std::atomic_bool &cancelFlag() const { return m_cancelled; }

private:
    friend class BackgroundJob;
    std::atomic<qint64> m_done{0};
    std::atomic<qint64> m_total{0};
    std::atomic_bool m_cancelled{false};
};

// Runs one long piece of core work (an import, an export) on an owned thread so the window
// stays responsive; progress is polled a few times a second and delivered as signals on the
// GUI thread, and the result arrives as a queued signal.
class BackgroundJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackgroundJob)

public:
    using Work = std::function<Status(JobProgress &)>;

    explicit BackgroundJob(QObject *parent = nullptr);
    ~BackgroundJob() override;

    bool isRunning() const { return m_running; }
    // Starts `work` unless a job is already running; returns whether it started.
    bool start(const QString &title, Work work);
    QString title() const { return m_title; }

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void progressed(qint64 done, qint64 total);
    void finished(const QString &title, bool ok, const QString &errorText, bool cancelled);

private:
    void poll();

    std::unique_ptr<QThread> m_thread;
    std::shared_ptr<JobProgress> m_progress;
    QString m_title;
    bool m_running = false;
    QTimer *m_timer;
};

} // namespace anthology::ui
