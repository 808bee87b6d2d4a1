#include "llm/LlmWorker.h"

#include "llm/ExchangeRelay.h"
#include "llm/HttpConnectionPool.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace anthology {

using namespace Qt::StringLiterals;

namespace {

// Exchanges sent per pass of the event loop. A new socket's connection completes on a later pass:
// opening hundreds in one (the start of a run) would hold every first request back until the
// last socket was opened.
constexpr size_t kSendsPerPass = 32;

// Errors of the transport itself, as opposed to Qt's mapping of an HTTP status onto an error.
bool isTransportError(QNetworkReply::NetworkError e)
{
    const int code = int(e);
    return (code > 0 && code < 200) || e == QNetworkReply::ProtocolUnknownError ||
           e == QNetworkReply::ProtocolFailure;
}

} // namespace

LlmWorker::LlmWorker(int managers, std::shared_ptr<ExchangeRelay> relay, QObject *parent)
    : QObject(parent), m_relay(std::move(relay)), m_managerCount(qMax(1, managers))
{
    m_passTimer = new QTimer(this);
    m_passTimer->setSingleShot(true);
    m_passTimer->setInterval(0);
    connect(m_passTimer, &QTimer::timeout, this, [this] {
        m_sentThisPass = 0;
        sendQueued();
    });
}

LlmWorker::~LlmWorker()
{
    // Replies die with their managers; nothing is reported for them.
    for (QNetworkAccessManager *manager : std::as_const(m_managers))
        manager->disconnect(this);
    for (QNetworkReply *reply : std::as_const(m_byId))
        reply->disconnect(this);
    qDeleteAll(m_managers);
}

void LlmWorker::post(QList<HttpExchange> exchanges)
{
    QMetaObject::invokeMethod(
        this,
        [this, batch = std::move(exchanges)]() mutable {
            for (HttpExchange &ex : batch)
                m_queued.push_back(std::move(ex));
            sendQueued();
        },
        Qt::QueuedConnection);
}

// At most kSendsPerPass per pass of the event loop (posted events, also one per exchange, are
// all handled before the loop looks at the sockets again); the rest on the next passes.
void LlmWorker::sendQueued()
{
    while (!m_queued.empty()) {
        if (m_sentThisPass >= kSendsPerPass) {
            if (!m_passTimer->isActive())
                m_passTimer->start();
            return;
        }
        if (m_sentThisPass++ == 0)
            m_passTimer->start(); // counts this pass's sends from zero again after it
        HttpExchange exchange = std::move(m_queued.front());
        m_queued.pop_front();
        send(std::move(exchange));
    }
}

void LlmWorker::finish(HttpExchange &&exchange)
{
    m_finished.append(std::move(exchange));
    // The answers of this pass over the sockets go together, after the pass.
    if (m_finished.size() == 1)
        QMetaObject::invokeMethod(this, &LlmWorker::deliver, Qt::QueuedConnection);
}

void LlmWorker::onLeanDone(HttpExchange &&exchange)
{
    std::optional<HttpExchange> next;
    if (m_relay) {
        // A server stating its rate limits has the client decide on the next request.
        const bool answered = !exchange.transportFailed && exchange.httpStatus >= 200 &&
                              exchange.httpStatus < 300 && exchange.rateLimits.isEmpty();
        next = m_relay->relay(exchange.id, exchange.endpoint, answered);
        if (next)
            exchange.successor = next->id;
    }
    // The report goes first: the client learns of the successor before any report of its own.
    finish(std::move(exchange));
    if (next)
        m_pool->send(std::move(*next)); // takes the connection that just came free
}

void LlmWorker::deliver()
{
    if (m_finished.isEmpty())
        return;
    bool signal = false;
    {
        const QMutexLocker lock(&m_doneMutex);
        if (m_done.isEmpty())
            m_done.swap(m_finished);
        else
            m_done.append(std::move(m_finished));
        signal = !std::exchange(m_doneSignalled, true);
    }
    m_finished.clear();
    if (signal)
        Q_EMIT done();
}

QList<HttpExchange> LlmWorker::takeDone()
{
    const QMutexLocker lock(&m_doneMutex);
    m_doneSignalled = false;
    return std::exchange(m_done, {});
}

void LlmWorker::postAbort(quint64 id)
{
    QMetaObject::invokeMethod(
        this, [this, id] { abort(id); }, Qt::QueuedConnection);
}

void LlmWorker::send(HttpExchange exchange)
{
    if (exchange.lean) {
        if (!m_pool)
            m_pool = new HttpConnectionPool([this](HttpExchange &&ex) { onLeanDone(std::move(ex)); }, this);
        m_pool->send(std::move(exchange));
        return;
    }
    if (m_managers.isEmpty()) {
        for (int i = 0; i < m_managerCount; ++i) {
            auto *manager = new QNetworkAccessManager(this);
            // A redirect could carry the key elsewhere; report it instead of following it.
            manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
            connect(manager, &QNetworkAccessManager::finished, this, &LlmWorker::onFinished);
            m_managers.append(manager);
            m_load.append(0);
        }
    }
    int slot = 0;
    for (int i = 1; i < m_load.size(); ++i) {
        if (m_load[i] < m_load[slot])
            slot = i;
    }
    QNetworkAccessManager *manager = m_managers[slot];
    ++m_load[slot];
    QNetworkRequest request(exchange.url);
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("User-Agent", "AnthologyWorkbench/" ANTHOLOGY_VERSION);
    if (!exchange.apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + exchange.apiKey);
    QNetworkReply *reply = nullptr;
    if (exchange.body.isEmpty()) {
        reply = manager->get(request);
    } else {
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        reply = manager->post(request, exchange.body);
    }
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    const auto timeOut = [this, reply](bool stalled) {
        auto it = m_pending.find(reply);
        if (it != m_pending.end()) {
            it->first.timedOut = true;
            it->first.transportError = stalled
                                           ? u"%1 sent nothing for %2 ms"_s.arg(it->first.url.authority())
                                                 .arg(it->first.stallTimeoutMs)
                                           : u"no complete answer within %1 ms"_s.arg(it->first.timeoutMs);
        }
        reply->abort();
    };
    connect(timer, &QTimer::timeout, reply, [timeOut] { timeOut(false); });
    timer->start(qMax(1, exchange.timeoutMs));
    // Qt's own transfer timeout ends in "Operation canceled"; ours says what happened.
    auto *stall = new QTimer(reply);
    stall->setSingleShot(true);
    connect(stall, &QTimer::timeout, reply, [timeOut] { timeOut(true); });
    const int stallMs = qMax(1, exchange.stallTimeoutMs);
    stall->start(stallMs);
    // Whether the server was reached: a timeout before that is a connect failure.
    const auto progressed = [stall, stallMs, reply] {
        reply->setProperty("reached", true);
        stall->start(stallMs);
    };
    connect(reply, &QNetworkReply::readyRead, stall, progressed);
    connect(reply, &QNetworkReply::metaDataChanged, stall, progressed);
    connect(reply, &QNetworkReply::requestSent, reply, [reply] { reply->setProperty("reached", true); });
    m_byId.insert(exchange.id, reply);
    m_pending.insert(reply, {std::move(exchange), slot});
}

void LlmWorker::abort(quint64 id)
{
    if (m_relay)
        m_relay->forget(id);
    for (auto it = m_queued.begin(); it != m_queued.end(); ++it) {
        if (it->id == id) {
            m_queued.erase(it);
            return;
        }
    }
    if (m_pool)
        m_pool->abort(id);
    QNetworkReply *reply = m_byId.take(id);
    if (!reply)
        return;
    if (auto it = m_pending.find(reply); it != m_pending.end()) {
        --m_load[it->second];
        m_pending.erase(it);
    }
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

void LlmWorker::onFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    auto it = m_pending.find(reply);
    if (it == m_pending.end())
        return; // aborted on request
    HttpExchange ex = std::move(it->first);
    --m_load[it->second];
    m_pending.erase(it);
    m_byId.remove(ex.id);

    ex.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    ex.contentType = reply->rawHeader("Content-Type");
    ex.retryAfter = reply->rawHeader("Retry-After");
    for (const QNetworkReply::RawHeaderPair &header : reply->rawHeaderPairs())
        ex.rateLimits.read(header.first.toLower(), header.second);
    if (reply->isOpen())
        ex.responseBody = reply->readAll();
    const QNetworkReply::NetworkError error = reply->error();
    if (ex.timedOut) {
        ex.transportFailed = true;
        ex.connectFailed = !reply->property("reached").toBool();
        if (ex.connectFailed)
            ex.transportError = u"no connection to %1 within %2 ms"_s.arg(ex.url.authority())
                                    .arg(qMin(ex.timeoutMs, ex.stallTimeoutMs));
    } else if (isTransportError(error) || (error != QNetworkReply::NoError && ex.httpStatus == 0)) {
        ex.transportFailed = true;
        ex.transportError = reply->errorString();
        ex.connectFailed =
            error == QNetworkReply::ConnectionRefusedError || error == QNetworkReply::HostNotFoundError ||
            error == QNetworkReply::ProxyConnectionRefusedError || error == QNetworkReply::ProxyNotFoundError;
    }
    finish(std::move(ex));
}

} // namespace anthology
