#pragma once

#include <QByteArray>

#include <optional>

namespace anthology {

// What a server said about its remaining budget, from x-ratelimit-* response headers:
// OpenAI style (x-ratelimit-remaining-requests / -tokens, x-ratelimit-reset-requests / -tokens as
// durations like "6m0s" or "20ms") and Together style (x-ratelimit-remaining, x-ratelimit-reset in
// seconds, x-tokenlimit-remaining).
struct RateLimitHeaders
{
    std::optional<double> remainingRequests;
    std::optional<double> remainingTokens;
    std::optional<qint64> resetRequestsMs; // from the moment the response arrived
    std::optional<qint64> resetTokensMs;

    bool isEmpty() const { return !remainingRequests && !remainingTokens; }
    // Takes one header; `lowerName` is the header name in lower case. Returns true when it was one
    // of the rate-limit headers.
    bool read(const QByteArray &lowerName, const QByteArray &value);
    // "1s", "6m0s", "20ms", "1h2m3.5s", or a bare number of seconds; nullopt when unreadable.
    static std::optional<qint64> parseDurationMs(const QByteArray &text);
};

} // namespace anthology
