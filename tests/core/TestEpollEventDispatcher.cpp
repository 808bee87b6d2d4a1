#include "util/EpollEventDispatcher.h"

#include <QMutex>
#include <QMutexLocker>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QTimerEvent>

#include <sys/socket.h>

#include <unistd.h>

#include <atomic>
#include <functional>
#include <memory>

using namespace anthology;
using namespace Qt::StringLiterals;

// The epoll dispatcher on a thread of its own, as the HTTP workers and the fake server run it:
// timers, socket notifiers over real descriptors, posted events, wake-ups and quitting.
namespace {

// A QThread running an EpollEventDispatcher, and a context object on it to run code there.
class DispatcherThread
{
public:
    DispatcherThread()
    {
        dispatcher = new EpollEventDispatcher;
        thread.setEventDispatcher(dispatcher);
        thread.start();
        context = new QObject;
        context->moveToThread(&thread);
    }
    ~DispatcherThread()
    {
        if (thread.isRunning()) {
            QMetaObject::invokeMethod(
                context, [c = context] { delete c; }, Qt::BlockingQueuedConnection);
            thread.quit();
            thread.wait();
        }
    }
    // Runs `code` on the thread and returns when it has run (a posted event: the loop delivers it).
    void run(const std::function<void()> &code) const
    {
        QMetaObject::invokeMethod(context, code, Qt::BlockingQueuedConnection);
    }

    QThread thread;
    EpollEventDispatcher *dispatcher = nullptr;
    QObject *context = nullptr;
};

// Records its timer events; `onTimer` may kill or start timers from inside the handler.
class TimerProbe : public QObject
{
public:
    std::function<void(TimerProbe *, int)> onTimer;
    QList<int> fired() const
    {
        QMutexLocker lock(&m_mutex);
        return m_fired;
    }

protected:
    void timerEvent(QTimerEvent *event) override
    {
        {
            QMutexLocker lock(&m_mutex);
            m_fired.append(event->timerId());
        }
        if (onTimer)
            onTimer(this, event->timerId());
    }

private:
    mutable QMutex m_mutex;
    QList<int> m_fired;
};

class Ping : public QEvent
{
public:
    explicit Ping(int n) : QEvent(QEvent::User), number(n) {}
    int number;
};

class PingReceiver : public QObject
{
public:
    std::function<void(int)> onPing;

protected:
    bool event(QEvent *e) override
    {
        if (e->type() != QEvent::User)
            return QObject::event(e);
        onPing(static_cast<Ping *>(e)->number);
        return true;
    }
};

// A connected Unix socket pair, closed at the end.
struct SocketPair
{
    int fds[2] = {-1, -1};
    SocketPair() { QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0); }
    ~SocketPair()
    {
        ::close(fds[0]);
        ::close(fds[1]);
    }
};

} // namespace

class TestEpollEventDispatcher : public QObject
{
    Q_OBJECT

private slots:
    void timersFireInDeadlineOrder();
    void singleShotAndIntervalTimers();
    void killTimerFromInsideTheHandler();
    void registeredTimersAndRemainingTime();
    void zeroTimersDoNotStarveSockets();
    void tcpSocketsReadAndWrite();
    void readAndWriteNotifiers();
    void notifierDeletedFromItsOwnHandler();
    void wakeUpFromAnotherThread();
    void quitEndsTheLoop();
    void postedEventsAreDelivered();
    void postsFromTheLoopsOwnHandlersAreDelivered();
};

void TestEpollEventDispatcher::timersFireInDeadlineOrder()
{
    auto *probe = new TimerProbe;
    QList<int> expected;
    DispatcherThread t; // after what its handlers use: its end stops them first
    probe->moveToThread(&t.thread);
    t.run([&] {
        probe->setParent(t.context);
        probe->onTimer = [](TimerProbe *p, int id) { p->killTimer(id); };
        // Started late-first: the order they fire in is the deadlines', not the starts'.
        const int late = probe->startTimer(300, Qt::PreciseTimer);
        const int early = probe->startTimer(100, Qt::PreciseTimer);
        const int middle = probe->startTimer(200, Qt::PreciseTimer);
        expected = {early, middle, late};
    });
    QTRY_COMPARE(probe->fired().size(), 3);
    QCOMPARE(probe->fired(), expected);
}

void TestEpollEventDispatcher::singleShotAndIntervalTimers()
{
    std::atomic<int> single{0}, interval{0};
    std::atomic<bool> marker{false};
    DispatcherThread t;
    t.run([&] {
        QTimer::singleShot(5, Qt::PreciseTimer, t.context, [&] { ++single; });
        auto *repeating = new QTimer(t.context);
        repeating->setTimerType(Qt::PreciseTimer);
        QObject::connect(repeating, &QTimer::timeout, repeating, [&, repeating] {
            if (++interval == 5)
                repeating->stop();
        });
        repeating->start(2);
    });
    QTRY_COMPARE(interval.load(), 5);
    QTRY_COMPARE(single.load(), 1);
    // A marker timer started now fires after anything still (wrongly) pending from before.
    t.run([&] { QTimer::singleShot(20, t.context, [&] { marker = true; }); });
    QTRY_VERIFY(marker.load());
    QCOMPARE(single.load(), 1);
    QCOMPARE(interval.load(), 5);
}

void TestEpollEventDispatcher::killTimerFromInsideTheHandler()
{
    auto *probe = new TimerProbe;
    int first = 0, second = 0;
    std::atomic<int> restarts{0};
    std::atomic<bool> marker{false};
    bool left = true, zeroFired = false;
    DispatcherThread t;
    probe->moveToThread(&t.thread);
    t.run([&] {
        probe->setParent(t.context);
        // Two zero timers due in the same pass: whichever fires kills both, so the other never does.
        first = probe->startTimer(0);
        second = probe->startTimer(0);
        probe->onTimer = [&](TimerProbe *p, int id) {
            if (!zeroFired && (id == first || id == second)) {
                zeroFired = true;
                p->killTimer(first);
                p->killTimer(second);
                // Restarted from its own handler three times (ids may be reused).
                p->startTimer(1, Qt::PreciseTimer);
                return;
            }
            p->killTimer(id);
            if (++restarts < 3)
                p->startTimer(1, Qt::PreciseTimer);
        };
    });
    QTRY_COMPARE(restarts.load(), 3);
    t.run([&] { QTimer::singleShot(20, t.context, [&] { marker = true; }); });
    QTRY_VERIFY(marker.load());
    QCOMPARE(probe->fired().size(), 4); // one of the zero timers, then the three restarts
    QCOMPARE(restarts.load(), 3);
    t.run([&] { left = !t.dispatcher->registeredTimers(probe).isEmpty(); });
    QVERIFY(!left);
}

void TestEpollEventDispatcher::registeredTimersAndRemainingTime()
{
    int id = 0, remaining = 0, unknown = 0, remainingAfterKill = 0;
    QList<QAbstractEventDispatcher::TimerInfo> infos, infosAfterKill;
    DispatcherThread t;
    t.run([&] {
        QObject object;
        id = object.startTimer(60000, Qt::CoarseTimer);
        infos = t.dispatcher->registeredTimers(&object);
        remaining = t.dispatcher->remainingTime(id);
        unknown = t.dispatcher->remainingTime(id + 1000);
        object.killTimer(id);
        remainingAfterKill = t.dispatcher->remainingTime(id);
        infosAfterKill = t.dispatcher->registeredTimers(&object);
    });
    QCOMPARE(infos.size(), 1);
    QCOMPARE(infos.first().timerId, id);
    QCOMPARE(infos.first().interval, 60000);
    QCOMPARE(infos.first().timerType, Qt::CoarseTimer);
    QVERIFY(remaining > 0 && remaining <= 60000);
    QCOMPARE(unknown, -1);
    QCOMPARE(remainingAfterKill, -1);
    QVERIFY(infosAfterKill.isEmpty());
}

void TestEpollEventDispatcher::zeroTimersDoNotStarveSockets()
{
    SocketPair pair;
    std::atomic<int> spins{0};
    std::atomic<bool> read{false};
    DispatcherThread t;
    t.run([&] {
        auto *busy = new QTimer(t.context);
        QObject::connect(busy, &QTimer::timeout, busy, [&] { ++spins; });
        busy->start(0);
        auto *notifier = new QSocketNotifier(pair.fds[0], QSocketNotifier::Read, t.context);
        QObject::connect(notifier, &QSocketNotifier::activated, notifier, [&, notifier] {
            char c = 0;
            read = ::read(pair.fds[0], &c, 1) == 1 && c == 'x';
            notifier->setEnabled(false);
        });
    });
    QTRY_VERIFY(spins.load() > 10); // the zero timer is running...
    QCOMPARE(::write(pair.fds[1], "x", 1), 1);
    QTRY_VERIFY(read.load()); // ...and the socket is still heard
    const int before = spins.load();
    QTRY_VERIFY(spins.load() > before);
}

void TestEpollEventDispatcher::tcpSocketsReadAndWrite()
{
    QByteArray echoed;
    QMutex mutex;
    std::atomic<bool> done{false};
    bool listening = false;
    DispatcherThread t;
    t.run([&] {
        auto *server = new QTcpServer(t.context);
        listening = server->listen(QHostAddress::LocalHost);
        QObject::connect(server, &QTcpServer::newConnection, server, [server] {
            QTcpSocket *accepted = server->nextPendingConnection();
            QObject::connect(accepted, &QTcpSocket::readyRead, accepted,
                             [accepted] { accepted->write(accepted->readAll().toUpper()); });
        });
        auto *client = new QTcpSocket(t.context);
        // 1 MiB each way: more than the socket buffers hold, so writing waits for write-ready.
        const QByteArray payload(1 << 20, 'e');
        QObject::connect(client, &QTcpSocket::connected, client,
                         [client, payload] { client->write(payload); });
        QObject::connect(client, &QTcpSocket::readyRead, client, [&, client] {
            QMutexLocker lock(&mutex);
            echoed += client->readAll();
            if (echoed.size() == 1 << 20)
                done = true;
        });
        client->connectToHost(QHostAddress::LocalHost, server->serverPort());
    });
    QVERIFY(listening);
    QTRY_VERIFY_WITH_TIMEOUT(done.load(), 30000);
    QMutexLocker lock(&mutex);
    QCOMPARE(echoed, QByteArray(1 << 20, 'E'));
}

void TestEpollEventDispatcher::readAndWriteNotifiers()
{
    SocketPair pair;
    std::atomic<int> writable{0}, readable{0};
    DispatcherThread t;
    t.run([&] {
        auto *write = new QSocketNotifier(pair.fds[0], QSocketNotifier::Write, t.context);
        QObject::connect(write, &QSocketNotifier::activated, write, [&, write] {
            ++writable;
            write->setEnabled(false); // level-triggered: it would fire on every pass
        });
        auto *read = new QSocketNotifier(pair.fds[0], QSocketNotifier::Read, t.context);
        QObject::connect(read, &QSocketNotifier::activated, read, [&] {
            char buffer[16];
            if (::read(pair.fds[0], buffer, sizeof(buffer)) > 0)
                ++readable;
        });
    });
    QTRY_COMPARE(writable.load(), 1);
    QCOMPARE(readable.load(), 0); // nothing sent yet
    QCOMPARE(::write(pair.fds[1], "a", 1), 1);
    QTRY_COMPARE(readable.load(), 1);
    QCOMPARE(::write(pair.fds[1], "b", 1), 1);
    QTRY_COMPARE(readable.load(), 2);
    QCOMPARE(writable.load(), 1);
}

void TestEpollEventDispatcher::notifierDeletedFromItsOwnHandler()
{
    SocketPair pair;
    QCOMPARE(::write(pair.fds[1], "x", 1), 1); // readable and writable: both fire in the same pass
    std::atomic<int> activations{0};
    std::atomic<bool> marker{false}, again{false};
    DispatcherThread t;
    t.run([&] {
        auto *read = new QSocketNotifier(pair.fds[0], QSocketNotifier::Read, t.context);
        auto *write = new QSocketNotifier(pair.fds[0], QSocketNotifier::Write, t.context);
        const auto both = std::make_shared<std::pair<QSocketNotifier *, QSocketNotifier *>>(read, write);
        const auto handler = [&, both] {
            ++activations;
            // Deletes itself and the other, whose activation in this pass must be dropped.
            delete both->first;
            delete both->second;
        };
        QObject::connect(read, &QSocketNotifier::activated, t.context, handler);
        QObject::connect(write, &QSocketNotifier::activated, t.context, handler);
    });
    QTRY_COMPARE(activations.load(), 1);
    t.run([&] { QTimer::singleShot(20, t.context, [&] { marker = true; }); });
    QTRY_VERIFY(marker.load());
    QCOMPARE(activations.load(), 1);
    // The descriptor is free for a new notifier.
    t.run([&] {
        auto *read = new QSocketNotifier(pair.fds[0], QSocketNotifier::Read, t.context);
        QObject::connect(read, &QSocketNotifier::activated, read, [&, read] {
            again = true;
            read->setEnabled(false);
        });
    });
    QTRY_VERIFY(again.load());
}

void TestEpollEventDispatcher::wakeUpFromAnotherThread()
{
    std::atomic<int> blocks{0}, wakes{0};
    DispatcherThread t;
    QObject::connect(
        t.dispatcher, &QAbstractEventDispatcher::aboutToBlock, t.dispatcher, [&] { ++blocks; },
        Qt::DirectConnection);
    QObject::connect(
        t.dispatcher, &QAbstractEventDispatcher::awake, t.dispatcher, [&] { ++wakes; }, Qt::DirectConnection);
    t.run([] {});
    // Blocked: it went to sleep once more than it woke, with no timer or socket to wake it.
    QTRY_VERIFY(blocks.load() > 0 && blocks.load() == wakes.load() + 1);
    const int before = wakes.load();
    t.dispatcher->wakeUp();
    QTRY_VERIFY(wakes.load() > before);
}

void TestEpollEventDispatcher::quitEndsTheLoop()
{
    std::atomic<bool> blocked{false};
    auto t = std::make_unique<DispatcherThread>();
    QObject::connect(
        t->dispatcher, &QAbstractEventDispatcher::aboutToBlock, t->dispatcher, [&] { blocked = true; },
        Qt::DirectConnection);
    t->run([] {}); // a pass after the connection, ending in a wait
    QTRY_VERIFY(blocked.load());
    QMetaObject::invokeMethod(
        t->context, [c = t->context] { delete c; }, Qt::BlockingQueuedConnection);
    t->thread.quit();
    QTRY_VERIFY(t->thread.isFinished());
}

void TestEpollEventDispatcher::postedEventsAreDelivered()
{
    auto *receiver = new PingReceiver;
    QList<int> seen, delivered;
    std::atomic<bool> done{false};
    DispatcherThread t;
    receiver->moveToThread(&t.thread);
    t.run([&] {
        receiver->setParent(t.context);
        receiver->onPing = [&](int n) {
            seen.append(n);
            if (n >= 100 && n < 199) // events posted by a handler reach the loop too
                QCoreApplication::postEvent(receiver, new Ping(n + 1));
            if (n == 199)
                done = true;
        };
    });
    for (int i = 0; i < 100; ++i)
        QCoreApplication::postEvent(receiver, new Ping(i)); // from this thread
    QCoreApplication::postEvent(receiver, new Ping(100));
    QTRY_VERIFY(done.load());
    QList<int> expected;
    for (int i = 0; i < 200; ++i)
        expected.append(i);
    t.run([&] { delivered = seen; });
    QCOMPARE(delivered, expected);
}

// The loop's own thread posting from a timer handler (after the pass's wait: no wake-up write, the
// next pass sends it before waiting) and from aboutToBlock (before the wait: it must end that
// wait): with nothing else to wake the loop, each event still arrives.
void TestEpollEventDispatcher::postsFromTheLoopsOwnHandlersAreDelivered()
{
    auto *receiver = new PingReceiver;
    std::atomic<int> last{0};
    std::atomic<bool> postOnBlock{false};
    DispatcherThread t;
    receiver->moveToThread(&t.thread);
    QObject::connect(
        t.dispatcher, &QAbstractEventDispatcher::aboutToBlock, t.dispatcher,
        [&] {
            if (postOnBlock.exchange(false))
                QCoreApplication::postEvent(receiver, new Ping(2));
        },
        Qt::DirectConnection);
    t.run([&] {
        receiver->setParent(t.context);
        receiver->onPing = [&](int n) { last = n; };
        QTimer::singleShot(1, t.context, [&] { QCoreApplication::postEvent(receiver, new Ping(1)); });
    });
    QTRY_COMPARE(last.load(), 1);
    postOnBlock = true;
    t.run([] {}); // a pass, ending in a wait that aboutToBlock's post has to end
    QTRY_COMPARE(last.load(), 2);
}

QTEST_GUILESS_MAIN(TestEpollEventDispatcher)
#include "TestEpollEventDispatcher.moc"
