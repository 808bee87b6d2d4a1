#include "llm/LlmWorker.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace anthology {

using namespace Qt::StringLiterals;

namespace {

// Errors of the transport itself, as opposed to Qt's mapping of an HTTP status onto an error.
bool isTransportError(QNetworkReply::NetworkError e)
{
    const int code = int(e);
    return (code > 0 && code < 200) || e == QNetworkReply::ProtocolUnknownError || e == QNetworkReply::ProtocolFailure;
}

} // namespace

LlmWorker::LlmWorker(QObject *parent) : QObject(parent) {}

LlmWorker::~LlmWorker()
{
    // Replies are children of the manager; drop them without reporting.
    for (QNetworkReply *reply : m_byId)
        reply->disconnect(this);
}

void LlmWorker::post(HttpExchange exchange)
{
    QMetaObject::invokeMethod(this, [this, ex = std::move(exchange)]() mutable { send(std::move(ex)); },
                              Qt::QueuedConnection);
}

void LlmWorker::postAbort(quint64 id)
{
    QMetaObject::invokeMethod(this, [this, id] { abort(id); }, Qt::QueuedConnection);
}

void LlmWorker::send(HttpExchange exchange)
{
    if (!m_manager) {
        m_manager = new QNetworkAccessManager(this);
        // A redirect could carry the key elsewhere; report it instead of following it.
        m_manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        connect(m_manager, &QNetworkAccessManager::finished, this, &LlmWorker::onFinished);
    }
    QNetworkRequest request(exchange.url);
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("User-Agent", "AnthologyWorkbench/" ANTHOLOGY_VERSION);
    if (!exchange.apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + exchange.apiKey);
    QNetworkReply *reply = nullptr;
    if (exchange.body.isEmpty()) {
        reply = m_manager->get(request);
    } else {
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        reply = m_manager->post(request, exchange.body);
    }
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, reply, [this, reply] {
        auto it = m_pending.find(reply);
        if (it != m_pending.end())
            it->timedOut = true;
        reply->abort();
    });
    timer->start(qMax(1, exchange.timeoutMs));
    m_byId.insert(exchange.id, reply);
    m_pending.insert(reply, std::move(exchange));
}

void LlmWorker::abort(quint64 id)
{
    QNetworkReply *reply = m_byId.take(id);
    if (!reply)
        return;
    m_pending.remove(reply);
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
    HttpExchange ex = std::move(*it);
    m_pending.erase(it);
    m_byId.remove(ex.id);

    ex.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    ex.contentType = reply->rawHeader("Content-Type");
    ex.retryAfter = reply->rawHeader("Retry-After");
    if (reply->isOpen())
        ex.responseBody = reply->readAll();
    const QNetworkReply::NetworkError error = reply->error();
    if (ex.timedOut) {
        ex.transportFailed = true;
        ex.transportError = u"no complete answer within %1 ms"_s.arg(ex.timeoutMs);
    } else if (isTransportError(error) || (error != QNetworkReply::NoError && ex.httpStatus == 0)) {
        ex.transportFailed = true;
        ex.transportError = reply->errorString();
    }
    Q_EMIT done(ex);
}

} // namespace anthology
