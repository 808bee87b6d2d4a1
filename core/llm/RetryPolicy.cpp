#include "llm/RetryPolicy.h"

#include "util/SeededRandom.h"

#include <QLocale>
#include <QTimeZone>

namespace anthology {

using namespace Qt::StringLiterals;

bool RetryPolicy::isRetryableStatus(int httpStatus)
{
    return httpStatus == 408 || httpStatus == 409 || httpStatus == 429 ||
           (httpStatus >= 500 && httpStatus <= 599);
}

qint64 RetryPolicy::backoffCeilingMs(int retry) const
{
    const int shift = qBound(0, retry - 1, 40);
    const qint64 base = qMax<qint64>(0, baseDelayMs);
    if (base > 0 && (maxDelayMs >> shift) < base)
        return maxDelayMs;
    return qMin(maxDelayMs, base << shift);
}

qint64 RetryPolicy::backoffMs(int retry, SeededRandom &random) const
{
    const qint64 ceiling = backoffCeilingMs(retry);
    return ceiling <= 0 ? 0 : qint64(random.below(quint64(ceiling) + 1));
}

std::optional<qint64> RetryPolicy::parseRetryAfter(const QByteArray &value, const QDateTime &now)
{
    const QByteArray text = value.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (ok)
        return seconds < 0 ? std::nullopt : std::optional<qint64>(qint64(seconds * 1000.0 + 0.5));
    // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT" (RFC 9110); the obsolete forms are not used by APIs.
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(text), u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s);
    if (!when.isValid())
        return std::nullopt;
    when.setTimeZone(QTimeZone::utc());
    return qMax<qint64>(0, now.msecsTo(when));
}

qint64 RetryPolicy::delayMs(int retry, std::optional<qint64> retryAfterMs, SeededRandom &random) const
{
    if (retryAfterMs)
        return qMin(*retryAfterMs, maxRetryAfterMs);
    return backoffMs(retry, random);
}

} // namespace anthology
