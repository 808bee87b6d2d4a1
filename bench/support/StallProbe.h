#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QString>
#include <QTimer>

namespace anthology::bench {

// An event-loop stall probe for the GUI benches: a precise timer on the calling thread ticks
// every few milliseconds and records how late each tick fires, with the thread's own CPU time
// and its run-queue wait between two ticks. On a loaded machine a late tick can be the
// scheduler's doing; the GUI thread's own work between ticks is what the window is to blame for.
// Ticks are filed under the phase current when they fire; no phase, no record.
class StallProbe
{
public:
    struct Tick
    {
        double lateMs = 0; // beyond the interval
        double cpuMs = 0;  // this thread's CPU since the previous tick
        double waitMs = 0; // runnable but waiting for a CPU since the previous tick
    };

    explicit StallProbe(int tickMs = 5);
    void start();
    void setPhase(const QString &phase);
    QString phase() const { return m_phase; }

    QList<Tick> ticks(const QString &phase) const { return m_ticks.value(phase); }
    double maxLateMs(const QString &phase) const;
    // "N ticks, p50 .. ms, p99 .. ms, max .. ms" of lateness (or of CPU between ticks).
    QString summary(const QString &phase) const;
    QString cpuSummary(const QString &phase) const;
    // The `count` latest-firing ticks of a phase, worst first, each as "late = work + wait + blocked".
    QStringList worst(const QString &phase, int count, double minLateMs = 0) const;

    static double threadCpuMs();
    static double runqueueWaitMs();
    static QString loadAverage();

private:
    const int m_tickMs;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    double m_lastCpu = 0;
    double m_lastWait = 0;
    QString m_phase;
    QHash<QString, QList<Tick>> m_ticks;
};

} // namespace anthology::bench
