#pragma once

#include <QtGlobal>

namespace anthology {

// Concurrency window: halves on throttling (at most once per cool-down), grows back by one
// request per window's worth of successes, as TCP congestion control does.
class AimdWindow
{
public:
    explicit AimdWindow(int ceiling = 1024) : m_ceiling(qMax(1, ceiling)), m_window(m_ceiling) {}

    int current() const { return int(m_window); }
    int ceiling() const { return m_ceiling; }
    void onSuccess() { m_window = qMin(double(m_ceiling), m_window + 1.0 / qMax(1.0, m_window)); }
    // Returns true when the window shrank.
    bool onThrottled(qint64 nowMs, qint64 coolDownMs = 1000)
    {
        if (m_lastDecreaseMs >= 0 && nowMs - m_lastDecreaseMs < coolDownMs)
            return false;
        m_lastDecreaseMs = nowMs;
        m_window = qMax(1.0, m_window / 2.0);
        return true;
    }

private:
    int m_ceiling;
    double m_window;
    qint64 m_lastDecreaseMs = -1;
};

} // namespace anthology
