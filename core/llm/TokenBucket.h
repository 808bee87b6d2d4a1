#pragma once

#include <QtGlobal>

namespace anthology {

// A per-minute budget refilled continuously; requests take from it or learn how long to wait.
// A server's own word on what remains (x-ratelimit-remaining-* with a reset time) tightens it
// until that reset, also when no per-minute budget is configured.
class TokenBucket
{
public:
    TokenBucket() = default; // unlimited
    explicit TokenBucket(double perMinute);

    bool limited() const { return m_perMinute > 0; }
    // A budget applies at `nowMs`: configured, or the server's last word still holds.
    bool constrains(qint64 nowMs) const { return limited() || nowMs < m_serverResetMs; }
    // Milliseconds until `amount` is available at time `nowMs` (0: take it now).
    qint64 waitMs(double amount, qint64 nowMs);
    void take(double amount, qint64 nowMs);
    // The server says `remaining` is left until `resetInMs` from now.
    void observeRemaining(double remaining, qint64 resetInMs, qint64 nowMs);

private:
    void refill(qint64 nowMs);

    double m_perMinute = 0;
    double m_available = 0;
    qint64 m_lastMs = -1;
    double m_serverRemaining = 0;
    qint64 m_serverResetMs = -1; // absolute; the server's figure holds before it
};

} // namespace anthology
