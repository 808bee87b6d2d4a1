#include "EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QHash>
#include <QSocketNotifier>
#include <QThread>
#include <QTimerEvent>

#include <sys/epoll.h>
#include <sys/eventfd.h>

#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>
#include <set>
#include <utility>
#include <vector>

namespace anthology {

namespace {

constexpr int kMaxReadyPerPass = 256; // more stay ready (level-triggered) for the next pass
constexpr qint64 kNsPerMs = 1000000;

qint64 nowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// For poll and epoll_wait: -1 (forever) stays, the rest rounds up, as waking early would only
// spin until the deadline.
int timeoutMs(qint64 timeoutNs)
{
    return timeoutNs < 0 ? -1 : int(qMin<qint64>((timeoutNs + kNsPerMs - 1) / kNsPerMs, INT_MAX));
}

} // namespace

struct EpollEventDispatcher::State
{
    int epoll = -1;
    int wakeFd = -1;
    // Set by the first wakeUp() after a pass began, so a burst of posted events costs one write.
    std::atomic<bool> wakePending{false};
    std::atomic<bool> interrupted{false};
    // The thread that runs the passes, and whether it is past this pass's wait, activating: a
    // post from that thread then is sent by the next pass before it waits, so it needs no write
    // (a pass answering sockets posts to itself, and the write, the wake-up it causes and its
    // read cost the worker more than reading an answer). Anything it posts before the wait
    // (while sending, which leaves new posts to the next sending, or on aboutToBlock) and any
    // other thread's post still writes.
    std::atomic<Qt::HANDLE> owner{nullptr};
    bool activating = false; // read and written only by the owner
    bool pwait2 = true; // epoll_pwait2 (ns timeouts) until the kernel says ENOSYS

    struct Watch
    {
        QSocketNotifier *notifiers[3] = {nullptr, nullptr, nullptr}; // by QSocketNotifier::Type
        quint32 events = 0;                                          // as the epoll set has them
    };
    QHash<int, Watch> watches;
    // The activations of this pass and of the passes it runs in (a handler may run a nested loop);
    // unregistering a notifier blanks its entries in all of them, so a notifier deleted
    // by an earlier handler of the same pass is never touched.
    std::vector<std::vector<QSocketNotifier *> *> activations;
    std::vector<QSocketNotifier *> spareActivations; // reused by the outermost pass
    std::vector<epoll_event> ready = std::vector<epoll_event>(kMaxReadyPerPass);

    struct Timer
    {
        QObject *object = nullptr;
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        qint64 deadlineNs = 0;
        quint64 serial = 0;   // tells a timer from a later one that reuses its id
        bool running = false; // in its handler: a nested loop does not fire it again
    };
    QHash<int, Timer> timers;
    QMultiHash<QObject *, int> timersOf;
    std::set<std::pair<qint64, int>> queue; // (deadline, id), earliest first
    quint64 nextSerial = 1;
    std::vector<std::pair<int, quint64>> spareDue;

    // The earliest deadline of a timer that may fire, or -1.
    qint64 nextDeadline() const
    {
        for (const auto &[deadline, id] : queue)
            if (!timers.value(id).running)
                return deadline;
        return -1;
    }

    void control(int fd, Watch &watch, bool force = false);
    void schedule(int id, Timer &timer, qint64 deadlineNs)
    {
        queue.erase({timer.deadlineNs, id});
        timer.deadlineNs = deadlineNs;
        queue.insert({deadlineNs, id});
    }
};

// Brings the epoll set in line with the notifiers of one descriptor. A descriptor closed while
// registered has left the set by itself (and its number may be back, for another socket), so the
// set and our map can disagree: ENOENT on MOD means add, EEXIST on ADD means modify.
// `force`: a new registration, whose descriptor may be a reused number the set no longer has.
void EpollEventDispatcher::State::control(int fd, Watch &watch, bool force)
{
    quint32 wanted = 0;
    if (watch.notifiers[QSocketNotifier::Read])
        wanted |= EPOLLIN;
    if (watch.notifiers[QSocketNotifier::Write])
        wanted |= EPOLLOUT;
    if (watch.notifiers[QSocketNotifier::Exception])
        wanted |= EPOLLPRI;
    if (wanted == watch.events && !force)
        return;
    if (wanted == 0) {
        if (epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nullptr) != 0 && errno != EBADF && errno != ENOENT)
            qWarning("EpollEventDispatcher: removing descriptor %d: %s", fd, strerror(errno));
        watches.remove(fd);
        return;
    }
    epoll_event event{};
    event.events = wanted;
    event.data.fd = fd;
    int op = watch.events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (epoll_ctl(epoll, op, fd, &event) != 0) {
        if ((op == EPOLL_CTL_MOD && errno == ENOENT) || (op == EPOLL_CTL_ADD && errno == EEXIST)) {
            op = op == EPOLL_CTL_MOD ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
            if (epoll_ctl(epoll, op, fd, &event) == 0) {
                watch.events = wanted;
                return;
            }
        }
        qWarning("EpollEventDispatcher: watching descriptor %d: %s", fd, strerror(errno));
        return;
    }
    watch.events = wanted;
}

EpollEventDispatcher::EpollEventDispatcher(QObject *parent) : QAbstractEventDispatcher(parent), d(new State)
{
    d->epoll = epoll_create1(EPOLL_CLOEXEC);
    d->wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (d->epoll < 0 || d->wakeFd < 0)
        qFatal("EpollEventDispatcher: epoll/eventfd: %s", strerror(errno));
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = d->wakeFd;
    if (epoll_ctl(d->epoll, EPOLL_CTL_ADD, d->wakeFd, &event) != 0)
        qFatal("EpollEventDispatcher: epoll_ctl: %s", strerror(errno));
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(d->wakeFd);
    ::close(d->epoll);
}

QAbstractEventDispatcher *EpollEventDispatcher::forNewThread()
{
    if (qgetenv("ANTHOLOGY_EVENT_DISPATCHER") == "qt")
        return nullptr;
    return new EpollEventDispatcher;
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    // Cleared before the posted events are sent: a post from now on writes the eventfd again, so
    // a post that this pass does not deliver always wakes the next wait.
    d->wakePending.store(false);
    d->owner.store(QThread::currentThreadId(), std::memory_order_relaxed);
    // A pass run from a handler (a nested loop) ends back in its caller's activations.
    const bool outerActivating = std::exchange(d->activating, false);
    QCoreApplication::sendPostedEvents();
    if (d->interrupted.exchange(false)) {
        d->activating = outerActivating;
        return false;
    }

    const bool sockets = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool timers = !(flags & QEventLoop::X11ExcludeTimers);
    qint64 timeoutNs = 0;
    if (flags & QEventLoop::WaitForMoreEvents) {
        timeoutNs = -1;
        if (const qint64 deadline = timers ? d->nextDeadline() : -1; deadline >= 0)
            timeoutNs = qMax<qint64>(0, deadline - nowNs());
    }
    const bool blocking = timeoutNs != 0;
    if (blocking)
        emit aboutToBlock();
    const int ready = wait(timeoutNs, sockets);
    if (blocking)
        emit awake();

    d->activating = true;
    bool any = false;
    if (sockets)
        any = activateSockets(ready) || any;
    if (timers)
        any = activateTimers() || any;
    d->activating = outerActivating;
    return any;
}

// Waits for descriptors (all of them, or only the eventfd when socket notifiers are excluded, as
// level-triggered sockets would otherwise end every wait at once); returns the ready count.
int EpollEventDispatcher::wait(qint64 timeoutNs, bool sockets)
{
    if (!sockets) {
        pollfd wake{d->wakeFd, POLLIN, 0};
        const int ms = timeoutMs(timeoutNs);
        if (::poll(&wake, 1, ms) > 0) {
            quint64 count = 0;
            [[maybe_unused]] const ssize_t n = ::read(d->wakeFd, &count, sizeof(count));
        }
        return 0;
    }
    int ready = -1;
    if (d->pwait2) {
        timespec ts{timeoutNs / 1000000000, timeoutNs % 1000000000};
        ready =
            epoll_pwait2(d->epoll, d->ready.data(), kMaxReadyPerPass, timeoutNs < 0 ? nullptr : &ts, nullptr);
        if (ready < 0 && errno == ENOSYS)
            d->pwait2 = false;
    }
    if (!d->pwait2) {
        const int ms = timeoutMs(timeoutNs);
        ready = epoll_wait(d->epoll, d->ready.data(), kMaxReadyPerPass, ms);
    }
    if (ready < 0) {
        if (errno != EINTR)
            qWarning("EpollEventDispatcher: epoll_wait: %s", strerror(errno));
        return 0;
    }
    return ready;
}

bool EpollEventDispatcher::activateSockets(int ready)
{
    std::vector<QSocketNotifier *> pending;
    pending.swap(d->spareActivations);
    pending.clear();
    for (int i = 0; i < ready; ++i) {
        const epoll_event &event = d->ready[size_t(i)];
        if (event.data.fd == d->wakeFd) {
            quint64 count = 0;
            [[maybe_unused]] const ssize_t n = ::read(d->wakeFd, &count, sizeof(count));
            continue;
        }
        const auto it = d->watches.constFind(event.data.fd);
        if (it == d->watches.cend())
            continue;
        // A hang-up or error is news to whoever reads, and an error to whoever writes too.
        if (event.events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP))
            if (QSocketNotifier *n = it->notifiers[QSocketNotifier::Read])
                pending.push_back(n);
        if (event.events & (EPOLLOUT | EPOLLERR))
            if (QSocketNotifier *n = it->notifiers[QSocketNotifier::Write])
                pending.push_back(n);
        if (event.events & EPOLLPRI)
            if (QSocketNotifier *n = it->notifiers[QSocketNotifier::Exception])
                pending.push_back(n);
    }
    bool any = false;
    d->activations.push_back(&pending);
    // By index: handlers may unregister (blank) entries, never add any.
    for (size_t i = 0; i < pending.size(); ++i) {
        QSocketNotifier *notifier = pending[i];
        if (!notifier)
            continue;
        pending[i] = nullptr;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        any = true;
    }
    d->activations.pop_back();
    if (d->activations.empty())
        d->spareActivations.swap(pending);
    return any;
}

// Each timer due when the pass began fires once, earliest first, rescheduled before its event
// so its handler sees it running (and may kill or restart it). A late interval timer continues
// from now rather than firing again to catch up.
bool EpollEventDispatcher::activateTimers()
{
    if (d->queue.empty())
        return false;
    const qint64 now = nowNs();
    std::vector<std::pair<int, quint64>> due; // (id, serial)
    due.swap(d->spareDue);
    due.clear();
    for (auto it = d->queue.begin(); it != d->queue.end() && it->first <= now; ++it)
        if (const State::Timer &timer = d->timers[it->second]; !timer.running)
            due.push_back({it->second, timer.serial});
    bool any = false;
    for (const auto &[id, serial] : due) {
        auto it = d->timers.find(id);
        if (it == d->timers.end() || it->serial != serial)
            continue; // killed (or killed and its id reused) by an earlier handler of this pass
        qint64 next = it->deadlineNs + it->intervalMs * kNsPerMs;
        if (next <= now)
            next = now + it->intervalMs * kNsPerMs;
        d->schedule(id, *it, next);
        it->running = true;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(it->object, &event);
        any = true;
        if (it = d->timers.find(id); it != d->timers.end() && it->serial == serial)
            it->running = false;
    }
    d->spareDue.swap(due);
    return any;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    if (fd < 0)
        return;
    State::Watch &watch = d->watches[fd];
    QSocketNotifier *&slot = watch.notifiers[notifier->type()];
    if (slot && slot != notifier)
        qWarning("EpollEventDispatcher: descriptor %d already has a notifier of type %d", fd,
                 int(notifier->type()));
    slot = notifier;
    d->control(fd, watch, true);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    for (std::vector<QSocketNotifier *> *pass : d->activations)
        for (QSocketNotifier *&pending : *pass)
            if (pending == notifier)
                pending = nullptr;
    const int fd = int(notifier->socket());
    const auto it = d->watches.find(fd);
    if (it == d->watches.end())
        return;
    QSocketNotifier *&slot = it->notifiers[notifier->type()];
    if (slot != notifier)
        return;
    slot = nullptr;
    d->control(fd, *it);
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    if (timerId <= 0 || !object)
        return;
    unregisterTimer(timerId);
    State::Timer &timer = d->timers[timerId];
    timer.object = object;
    timer.intervalMs = qMax<qint64>(0, interval);
    timer.type = timerType;
    timer.serial = d->nextSerial++;
    timer.deadlineNs = nowNs() + timer.intervalMs * kNsPerMs;
    d->queue.insert({timer.deadlineNs, timerId});
    d->timersOf.insert(object, timerId);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = d->timers.find(timerId);
    if (it == d->timers.end())
        return false;
    d->queue.erase({it->deadlineNs, timerId});
    d->timersOf.remove(it->object, timerId);
    d->timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    const QList<int> ids = d->timersOf.values(object);
    for (int id : ids)
        unregisterTimer(id);
    return !ids.isEmpty();
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> infos;
    for (auto it = d->timersOf.constFind(object); it != d->timersOf.cend() && it.key() == object; ++it) {
        const State::Timer &timer = d->timers[it.value()];
        infos.append(TimerInfo(it.value(), int(timer.intervalMs), timer.type));
    }
    return infos;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = d->timers.constFind(timerId);
    if (it == d->timers.cend())
        return -1;
    const qint64 left = it->deadlineNs - nowNs();
    return left <= 0 ? 0 : int(qMin<qint64>((left + kNsPerMs - 1) / kNsPerMs, INT_MAX));
}

void EpollEventDispatcher::wakeUp()
{
    if (QThread::currentThreadId() == d->owner.load(std::memory_order_relaxed) && d->activating)
        return; // the next pass sends it before waiting
    if (d->wakePending.exchange(true))
        return;
    const quint64 one = 1;
    [[maybe_unused]] const ssize_t n = ::write(d->wakeFd, &one, sizeof(one));
}

void EpollEventDispatcher::interrupt()
{
    d->interrupted.store(true);
    wakeUp();
}

} // namespace anthology
