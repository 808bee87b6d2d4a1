#pragma once

#include "llm/HttpExchange.h"

#include <QHash>
#include <QList>
#include <QSet>

#include <deque>
#include <mutex>
#include <optional>

namespace anthology {

// Requests the client has handed over in advance, per endpoint, for the worker threads to send
// on their own: when an exchange to an endpoint ends in an answer, the worker writes the next
// waiting request for that endpoint on the same keep-alive connection at once, in the slot the
// answer freed, without a round trip through the client's thread (which decides, counts and
// refills the queues in batches). Only exchanges the client enlisted pass their slot on, so a
// cancelled one never does. Thread-safe: the client's thread and the workers share it.
class ExchangeRelay final
{
public:
    ExchangeRelay() = default;
    Q_DISABLE_COPY_MOVE(ExchangeRelay)

    // Where a withdrawn request was.
    enum class Whereabouts {
        Waiting,  // still queued here: it was never sent
        OnWire,   // a worker sent it and it is still out; it will pass its slot to nobody
        Finished, // its exchange ended at a worker; that report (and any successor it named) is on its way
    };

    // client side
    void enlist(quint64 id); // the exchange is being sent; its slot may pass on when it ends well
    void offer(int endpoint, HttpExchange exchange);
    Whereabouts withdraw(quint64 id);
    // The oldest waiting requests, at most `count` (for any endpoint when `endpoint` < 0).
    QList<HttpExchange> takeBack(int endpoint, int count);
    int waiting(int endpoint) const;

    // worker side: the exchange `finishedId` to `endpoint` ended (`answered`: with an HTTP 2xx).
    // Returns the request to send in its slot, if the slot passes on.
    std::optional<HttpExchange> relay(quint64 finishedId, int endpoint, bool answered);
    void forget(quint64 id); // aborted on the client's word

private:
    mutable std::mutex m_mutex;
    QHash<int, std::deque<HttpExchange>> m_waiting;
    QSet<quint64> m_live; // sent, may still pass their slot on
};

} // namespace anthology
