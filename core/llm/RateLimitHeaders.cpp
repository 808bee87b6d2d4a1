#include "llm/RateLimitHeaders.h"

#include <cmath>

namespace anthology {

namespace {

std::optional<double> number(const QByteArray &value)
{
    bool ok = false;
    const double v = value.trimmed().toDouble(&ok);
    return ok && v >= 0 && std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

} // namespace

std::optional<qint64> RateLimitHeaders::parseDurationMs(const QByteArray &raw)
{
    const QByteArray text = raw.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    if (const std::optional<double> seconds = number(text))
        return qint64(std::ceil(*seconds * 1000.0));
    double total = 0;
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype start = i;
        while (i < text.size() && (std::isdigit(uchar(text[i])) || text[i] == '.'))
            ++i;
        const std::optional<double> amount = number(text.mid(start, i - start));
        if (!amount)
            return std::nullopt;
        const qsizetype unitStart = i;
        while (i < text.size() && std::isalpha(uchar(text[i])))
            ++i;
        const QByteArray unit = text.mid(unitStart, i - unitStart).toLower();
        if (unit == "h")
            total += *amount * 3600000.0;
        else if (unit == "m")
            total += *amount * 60000.0;
        else if (unit == "s")
            total += *amount * 1000.0;
        else if (unit == "ms")
            total += *amount;
        else if (unit == "us")
            total += *amount / 1000.0;
        else
            return std::nullopt;
    }
    return qint64(std::ceil(total));
}

bool RateLimitHeaders::read(const QByteArray &name, const QByteArray &value)
{
    if (!name.startsWith("x-ratelimit-") && !name.startsWith("x-tokenlimit-"))
        return false;
    if (name == "x-ratelimit-remaining-requests" || name == "x-ratelimit-remaining")
        remainingRequests = number(value);
    else if (name == "x-ratelimit-remaining-tokens" || name == "x-tokenlimit-remaining")
        remainingTokens = number(value);
    else if (name == "x-ratelimit-reset-requests" || name == "x-ratelimit-reset")
        resetRequestsMs = parseDurationMs(value);
    else if (name == "x-ratelimit-reset-tokens" || name == "x-tokenlimit-reset")
        resetTokensMs = parseDurationMs(value);
    else
        return false;
    return true;
}

} // namespace anthology
