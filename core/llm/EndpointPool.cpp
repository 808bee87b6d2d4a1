#include "llm/EndpointPool.h"

#include "llm/RateLimitHeaders.h"

namespace anthology {

namespace {

// Without a reset time the server's remaining budget is trusted for this long.
constexpr qint64 kDefaultResetMs = 1000;

} // namespace

EndpointPool::EndpointPool(const EndpointProfile &profile, int inFlightLimit)
{
    const int limit = qMax(1, inFlightLimit);
    for (const EndpointProfile &p : profile.endpoints()) {
        Endpoint e{p,
                   qBound(1, p.maxInFlight.value_or(limit), limit),
                   TokenBucket(p.requestsPerMinute.value_or(0)),
                   TokenBucket(p.tokensPerMinute.value_or(0)),
                   AimdWindow(qBound(1, p.maxInFlight.value_or(limit), limit)),
                   {}};
        e.load.url = p.displayUrl();
        m_endpoints.append(std::move(e));
    }
}

EndpointPool::Pick EndpointPool::pick(double tokens, qint64 nowMs, int avoid)
{
    Pick best;
    double bestFill = 2.0;
    Pick avoided;
    qint64 soonest = -1;
    for (int i = 0; i < int(m_endpoints.size()); ++i) {
        Endpoint &e = m_endpoints[i];
        const int room = e.room();
        if (e.load.inFlight >= room)
            continue;
        const qint64 wait = qMax(e.requests.waitMs(1, nowMs), e.tokens.waitMs(tokens, nowMs));
        if (wait > 0) {
            soonest = soonest < 0 ? wait : qMin(soonest, wait);
            continue;
        }
        if (i == avoid && m_endpoints.size() > 1) {
            avoided.index = i;
            continue;
        }
        const double fill = double(e.load.inFlight) / double(room);
        if (fill < bestFill) {
            bestFill = fill;
            best.index = i;
        }
    }
    if (best.index >= 0)
        return best;
    if (avoided.index >= 0)
        return avoided;
    best.waitMs = soonest;
    return best;
}

void EndpointPool::take(int index, double tokens, qint64 nowMs)
{
    Endpoint &e = m_endpoints[index];
    e.requests.take(1, nowMs);
    e.tokens.take(tokens, nowMs);
    e.load.peakInFlight = qMax(e.load.peakInFlight, ++e.load.inFlight);
}

void EndpointPool::release(int index)
{
    if (index >= 0 && index < int(m_endpoints.size()))
        --m_endpoints[index].load.inFlight;
}

void EndpointPool::onSuccess(int index)
{
    Endpoint &e = m_endpoints[index];
    e.window.onSuccess();
    ++e.load.succeeded;
}

bool EndpointPool::onThrottled(int index, qint64 nowMs)
{
    Endpoint &e = m_endpoints[index];
    ++e.load.failed;
    return e.window.onThrottled(nowMs);
}

bool EndpointPool::onFailure(int index, qint64 nowMs)
{
    Endpoint &e = m_endpoints[index];
    ++e.load.failed;
    // Alone, an endpoint keeps its pace through errors (retries back off anyway); among several,
    // the work shifts to the ones that answer.
    return m_endpoints.size() > 1 && e.window.onThrottled(nowMs, 250);
}

bool EndpointPool::budgeted(int index, qint64 nowMs) const
{
    const Endpoint &e = m_endpoints.at(index);
    return e.requests.constrains(nowMs) || e.tokens.constrains(nowMs);
}

void EndpointPool::observe(int index, const RateLimitHeaders &headers, qint64 nowMs)
{
    if (headers.isEmpty())
        return;
    Endpoint &e = m_endpoints[index];
    // The figure was computed before the requests still on their way there: count them as spent.
    const double others = double(e.load.inFlight);
    if (headers.remainingRequests)
        e.requests.observeRemaining(*headers.remainingRequests - others,
                                    headers.resetRequestsMs.value_or(kDefaultResetMs), nowMs);
    if (headers.remainingTokens)
        e.tokens.observeRemaining(*headers.remainingTokens, headers.resetTokensMs.value_or(kDefaultResetMs),
                                  nowMs);
}

int EndpointPool::inFlight() const
{
    int n = 0;
    for (const Endpoint &e : m_endpoints)
        n += e.load.inFlight;
    return n;
}

int EndpointPool::window() const
{
    int n = 0;
    for (const Endpoint &e : m_endpoints)
        n += e.room();
    return n;
}

QList<EndpointLoad> EndpointPool::loads() const
{
    QList<EndpointLoad> out;
    for (const Endpoint &e : m_endpoints) {
        EndpointLoad l = e.load;
        l.window = e.room();
        out.append(l);
    }
    return out;
}

} // namespace anthology
