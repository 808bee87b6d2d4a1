#pragma once

#include "llm/HttpExchange.h"

#include <QHash>
#include <QMutex>
#include <QObject>

#include <deque>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace anthology {

class ExchangeRelay;
class HttpConnectionPool;

// Lives on its own thread. Plain-http exchanges marked `lean` go through an HttpConnectionPool
// (one keep-alive connection per exchange in flight); the others through `managers`
// QNetworkAccessManagers (Qt 6.4 opens at most six connections per host per manager), each
// request to the least busy one. Both are created on first use. A lean exchange that ends in an
// answer passes its connection to the next request `relay` holds for its endpoint, if any.
class LlmWorker : public QObject
{
    Q_OBJECT

public:
    explicit LlmWorker(int managers = 1, std::shared_ptr<ExchangeRelay> relay = {}, QObject *parent = nullptr);
    ~LlmWorker() override;

    // Thread-safe entry points: they queue onto the worker's thread, a batch as one event.
    void post(QList<HttpExchange> exchanges);
    void postAbort(quint64 id);

    // The exchanges finished since the last call, in the order they finished (any thread).
    QList<HttpExchange> takeDone();

Q_SIGNALS:
    // Finished exchanges wait for takeDone(). Emitted when the first of them comes in after a
    // takeDone(), not per answer nor per pass of the worker's event loop: while the receiver is
    // busy, later answers join the ones it has not taken yet without another event (a
    // cross-thread event costs both threads more than an answer's parsing).
    void done();

private:
    void sendQueued();
    void send(HttpExchange exchange);
    void finish(HttpExchange &&exchange);
    void onLeanDone(HttpExchange &&exchange);
    void deliver();
    void abort(quint64 id);
    void onFinished(QNetworkReply *reply);

    std::shared_ptr<ExchangeRelay> m_relay;
    HttpConnectionPool *m_pool = nullptr;
    int m_managerCount = 1;
    QList<QNetworkAccessManager *> m_managers;
    QList<int> m_load;
    QHash<QNetworkReply *, QPair<HttpExchange, int>> m_pending; // exchange, manager index
    QHash<quint64, QNetworkReply *> m_byId;
    QList<HttpExchange> m_finished; // not yet delivered
    QMutex m_doneMutex;             // guards the two below, shared with the receiving thread
    QList<HttpExchange> m_done;     // delivered, not yet taken
    bool m_doneSignalled = false;   // done() was emitted and no takeDone() came since
    std::deque<HttpExchange> m_queued; // posted, not yet sent
    QTimer *m_passTimer = nullptr;     // fires on the event loop's next pass
    size_t m_sentThisPass = 0;
};

} // namespace anthology
