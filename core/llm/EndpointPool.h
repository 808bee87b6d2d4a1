#pragma once

#include "llm/AimdWindow.h"
#include "llm/EndpointProfile.h"
#include "llm/TokenBucket.h"

#include <QList>

namespace anthology {

struct RateLimitHeaders;

// What one endpoint of a pool is doing, for progress displays and tests.
struct EndpointLoad
{
    QString url;
    int inFlight = 0;
    int peakInFlight = 0;
    int window = 0; // min(own cap, AIMD window)
    quint64 succeeded = 0;
    quint64 failed = 0; // attempts that failed (throttled, 5xx, transport)
};

// The servers one client spreads its requests over: each with its own in-flight cap, request
// and token budgets (fed by the server's x-ratelimit-* headers too) and AIMD window. A request
// goes to the endpoint with the most room relative to its window; throttling halves an
// endpoint's window, and with several endpoints so do server errors, so a failing one gets
// less of the work.
class EndpointPool
{
public:
    EndpointPool(const EndpointProfile &profile, int inFlightLimit);

    struct Pick
    {
        int index = -1;    // -1: none now
        qint64 waitMs = 0; // with index -1: a budget frees up after this long; -1: wait for an answer
    };

    int size() const { return int(m_endpoints.size()); }
    const EndpointProfile &profile(int index) const { return m_endpoints.at(index).profile; }
    // Where a request budgeting `tokens` can go now; `avoid` (the endpoint that just failed it)
    // is used only when no other endpoint can take it now.
    Pick pick(double tokens, qint64 nowMs, int avoid = -1);
    void take(int index, double tokens, qint64 nowMs); // the request is on its way there
    void release(int index);                           // its answer (or abandonment) is in
    void onSuccess(int index);
    // Both return true when the endpoint's window shrank.
    bool onThrottled(int index, qint64 nowMs);
    bool onFailure(int index, qint64 nowMs);
    void observe(int index, const RateLimitHeaders &headers, qint64 nowMs);

    int inFlight() const;
    int room(int index) const { return m_endpoints.at(index).room(); }
    int inFlight(int index) const { return m_endpoints.at(index).load.inFlight; }
    // A request or token budget applies to the endpoint at `nowMs`.
    bool budgeted(int index, qint64 nowMs) const;
    int window() const; // total room: sum over endpoints of min(cap, window)
    QList<EndpointLoad> loads() const;

private:
    struct Endpoint
    {
        EndpointProfile profile;
        int cap = 1;
        TokenBucket requests;
        TokenBucket tokens;
        AimdWindow window;
        EndpointLoad load;
        int room() const { return qMin(cap, window.current()); }
    };

    QList<Endpoint> m_endpoints;
};

} // namespace anthology
