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
    // A request needing more than the server has left waits for the server's reset.
    const qint64 serverWait =
        nowMs < m_serverResetMs && m_serverRemaining < amount ? m_serverResetMs - nowMs : 0;
    if (!limited())
        return serverWait;
    refill(nowMs);
    // A request bigger than the whole budget waits for a full bucket rather than forever.
    const double need = qMin(amount, m_perMinute);
    if (m_available >= need)
        return serverWait;
    return qMax(serverWait, qint64(std::ceil((need - m_available) * 60000.0 / m_perMinute)));
}

void TokenBucket::take(double amount, qint64 nowMs)
{
    if (nowMs < m_serverResetMs)
        m_serverRemaining -= amount;
    if (!limited())
        return;
    refill(nowMs);
    m_available -= qMin(amount, m_perMinute);
}

void TokenBucket::observeRemaining(double remaining, qint64 resetInMs, qint64 nowMs)
{
    const qint64 reset = nowMs + qMax<qint64>(0, resetInMs);
    // Answers arrive out of order: within a window the lowest figure is the freshest.
    if (nowMs < m_serverResetMs)
        m_serverRemaining = qMin(m_serverRemaining, remaining);
    else
        m_serverRemaining = remaining;
    m_serverResetMs = qMax(m_serverResetMs, reset);
    if (limited()) {
        refill(nowMs);
        m_available = qMin(m_available, remaining);
    }
}

} // namespace anthology
