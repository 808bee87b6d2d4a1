#pragma once

#include <QtGlobal>

namespace anthology {

// A per-minute budget refilled continuously; requests take from it or learn how long to wait.
class TokenBucket
{
public:
    TokenBucket() = default; // unlimited
    explicit TokenBucket(double perMinute);

    bool limited() const { return m_perMinute > 0; }
    // Milliseconds until `amount` is available at time `nowMs` (0: take it now).
    qint64 waitMs(double amount, qint64 nowMs);
    void take(double amount, qint64 nowMs);

private:
    void refill(qint64 nowMs);

    double m_perMinute = 0;
    double m_available = 0;
    qint64 m_lastMs = -1;
};

} // namespace anthology
