#pragma once

#include <QByteArray>
#include <QDateTime>

#include <optional>

namespace anthology {

class SeededRandom;

// When to try again: exponential backoff with full jitter, Retry-After honoured.
struct RetryPolicy
{
    int maxRetries = 20;             // retries after the first attempt
    qint64 baseDelayMs = 500;        // cap of the first backoff window
    qint64 maxDelayMs = 60000;       // cap of any backoff window
    qint64 maxRetryAfterMs = 300000; // a server asking for longer than this is not waited for

    // 408, 409, 429 and 5xx are transient; 400, 401, 403, 404, 422 (and other 4xx) are not.
    static bool isRetryableStatus(int httpStatus);
    // The backoff window before retry number `retry` (1-based): min(maxDelay, base * 2^(retry-1)).
    qint64 backoffCeilingMs(int retry) const;
    // Full jitter: uniform in [0, backoffCeilingMs(retry)].
    qint64 backoffMs(int retry, SeededRandom &random) const;
    // Retry-After as delta-seconds or an HTTP date; nullopt when absent or unreadable.
    static std::optional<qint64> parseRetryAfter(const QByteArray &value, const QDateTime &now);
    // The delay before retry `retry`: the server's Retry-After when given, else the jittered backoff.
    qint64 delayMs(int retry, std::optional<qint64> retryAfterMs, SeededRandom &random) const;
};

} // namespace anthology
