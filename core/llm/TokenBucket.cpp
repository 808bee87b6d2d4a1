#include "llm/TokenBucket.h"

#include <cmath>

namespace anthology {

TokenBucket::TokenBucket(double perMinute) : m_perMinute(perMinute), m_available(perMinute) {}

void TokenBucket::refill(qint64 nowMs)
{
    if (m_lastMs >= 0 && nowMs > m_lastMs)
        m_available = qMin(m_perMinute, m_available + m_perMinute * double(nowMs - m_lastMs) / 60000.0);
    if (nowMs > m_lastMs)
        m_lastMs = nowMs;
}

qint64 TokenBucket::waitMs(double amount, qint64 nowMs)
{
    if (!limited())
        return 0;
    refill(nowMs);
    // A request bigger than the whole budget waits for a full bucket rather than forever.
    const double need = qMin(amount, m_perMinute);
    if (m_available >= need)
        return 0;
    return qint64(std::ceil((need - m_available) * 60000.0 / m_perMinute));
}

void TokenBucket::take(double amount, qint64 nowMs)
{
    if (!limited())
        return;
    refill(nowMs);
    m_available -= qMin(amount, m_perMinute);
}

} // namespace anthology
