#include "StallProbe.h"

#include <QFile>

#include <algorithm>
#include <ctime>

using namespace Qt::StringLiterals;

namespace anthology::bench {

namespace {

QString percentiles(QList<double> values)
{
    if (values.isEmpty())
        return u"no samples"_s;
    std::sort(values.begin(), values.end());
    const double p99 = values[qMin(values.size() - 1, qsizetype(values.size() * 0.99))];
    return u"%1 ticks, p50 %2 ms, p99 %3 ms, max %4 ms"_s.arg(values.size())
        .arg(values[values.size() / 2], 0, 'f', 1)
        .arg(p99, 0, 'f', 1)
        .arg(values.last(), 0, 'f', 1);
}

} // namespace

StallProbe::StallProbe(int tickMs) : m_tickMs(tickMs)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(tickMs);
    QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
        const qint64 now = m_clock.nsecsElapsed();
        const double cpu = threadCpuMs();
        const double wait = runqueueWaitMs();
        if (m_last >= 0 && !m_phase.isEmpty())
            m_ticks[m_phase].append(
                {double(now - m_last) / 1e6 - m_tickMs, cpu - m_lastCpu, wait - m_lastWait});
        m_last = now;
        m_lastCpu = cpu;
        m_lastWait = wait;
    });
}

void StallProbe::start()
{
    m_clock.start();
    m_timer.start();
}

void StallProbe::setPhase(const QString &phase)
{
    m_phase = phase;
}

double StallProbe::maxLateMs(const QString &phase) const
{
    double worst = 0;
    for (const Tick &t : m_ticks.value(phase))
        worst = qMax(worst, t.lateMs);
    return worst;
}

QString StallProbe::summary(const QString &phase) const
{
    QList<double> late;
    for (const Tick &t : m_ticks.value(phase))
        late.append(t.lateMs);
    return percentiles(late);
}

QString StallProbe::cpuSummary(const QString &phase) const
{
    QList<double> cpu;
    for (const Tick &t : m_ticks.value(phase))
        cpu.append(t.cpuMs);
    return percentiles(cpu);
}

QStringList StallProbe::worst(const QString &phase, int count, double minLateMs) const
{
    QList<Tick> ticks = m_ticks.value(phase);
    std::sort(ticks.begin(), ticks.end(), [](const Tick &a, const Tick &b) { return a.lateMs > b.lateMs; });
    QStringList out;
    for (const Tick &t : ticks.mid(0, count)) {
        if (t.lateMs < minLateMs)
            break;
        out.append(u"late tick: %1 ms late = %2 ms GUI work + %3 ms waiting for a CPU + %4 ms blocked"_s
                       .arg(t.lateMs, 0, 'f', 1)
                       .arg(t.cpuMs, 0, 'f', 1)
                       .arg(t.waitMs, 0, 'f', 1)
                       .arg(qMax(0.0, t.lateMs + m_tickMs - t.cpuMs - t.waitMs), 0, 'f', 1));
    }
    return out;
}

double StallProbe::threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

double StallProbe::runqueueWaitMs()
{
    QFile f(u"/proc/thread-self/schedstat"_s);
    if (!f.open(QIODevice::ReadOnly))
        return 0.0;
    return f.readAll().split(' ').value(1).toDouble() / 1e6;
}

QString StallProbe::loadAverage()
{
    QFile f(u"/proc/loadavg"_s);
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll().trimmed()) : QString();
}

} // namespace anthology::bench
