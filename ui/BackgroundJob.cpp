#include "BackgroundJob.h"

#include <QThread>
#include <QTimer>

namespace anthology::ui {

BackgroundJob::BackgroundJob(QObject *parent) : QObject(parent), m_timer(new QTimer(this))
{
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &BackgroundJob::poll);
}

BackgroundJob::~BackgroundJob()
{
    if (m_thread) {
        cancel();
        m_thread->wait();
    }
}

bool BackgroundJob::start(const QString &title, Work work)
{
    if (m_running)
        return false;
    if (m_thread)
        m_thread->wait();
    m_title = title;
    m_running = true;
    m_progress = std::make_shared<JobProgress>();
    auto progress = m_progress;
    m_thread.reset(QThread::create([this, progress, work = std::move(work), title]() {
        const Status status = work(*progress);
        const bool cancelled = progress->isCancelled();
        const QString errorText = status.ok() ? QString() : status.error().toString();
        QMetaObject::invokeMethod(
            this,
            [this, title, ok = status.ok(), errorText, cancelled]() {
                m_running = false;
                m_timer->stop();
                poll();
                Q_EMIT finished(title, ok, errorText, cancelled);
            },
            Qt::QueuedConnection);
    }));
    m_thread->start();
    m_timer->start();
    return true;
}

void BackgroundJob::cancel()
{
    if (m_progress)
        m_progress->m_cancelled.store(true);
}

void BackgroundJob::poll()
{
    if (m_progress)
        Q_EMIT progressed(m_progress->m_done.load(), m_progress->m_total.load());
}

} // namespace anthology::ui
