#pragma once

#include <QAbstractEventDispatcher>

#include <memory>

namespace anthology {

// An event dispatcher on Linux epoll (level-triggered) for threads that hold hundreds of sockets.
// Qt's Unix dispatcher rebuilds and polls the whole set of socket notifiers on every wake-up, so
// a wake-up costs O(open sockets); here the kernel keeps the set and reports only the ready ones,
// and timers sit in a deadline-ordered set, so a wake-up costs O(ready + due * log timers).
// Timers are precise to the microsecond whatever their Qt::TimerType (no coarse slack).
// Linux only: the build leaves this file out elsewhere and callers keep Qt's dispatcher.
class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // The dispatcher for a thread about to start (QThread::setEventDispatcher), or nullptr for
    // Qt's own when the environment asks for it (ANTHOLOGY_EVENT_DISPATCHER=qt, to compare them).
    static QAbstractEventDispatcher *forNewThread();

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    struct State;
    std::unique_ptr<State> d;

    int wait(qint64 timeoutNs, bool sockets);
    bool activateSockets(int ready);
    bool activateTimers();
};

} // namespace anthology
