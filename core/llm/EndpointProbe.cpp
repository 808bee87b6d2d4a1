#include "llm/EndpointProbe.h"

#include "llm/LlmRequest.h"
#include "llm/LlmResponseParser.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace anthology {

QJsonObject EndpointProbeReport::toJson() const
{
    QJsonObject o{{u"url"_s, url},
                  {u"models"_s, QJsonArray::fromStringList(models)},
                  {u"model"_s, model},
                  {u"latency_ms"_s, double(latencyMs)},
                  {u"n_greater_than_1"_s, nAccepted},
                  {u"logprobs"_s, logprobsAccepted}};
    if (!nDetail.isEmpty())
        o.insert(u"n_greater_than_1_detail"_s, nDetail);
    if (!logprobsDetail.isEmpty())
        o.insert(u"logprobs_detail"_s, logprobsDetail);
    if (error)
        o.insert(u"error"_s, error->message);
    return o;
}

EndpointProbe::EndpointProbe(QObject *parent)
    : QObject(parent), m_manager(new QNetworkAccessManager(this)), m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &EndpointProbe::onTimeout);
}

EndpointProbe::~EndpointProbe()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

QString EndpointProbe::noResponseMessage(const QUrl &url, int timeoutMs)
{
    const QString within =
        timeoutMs % 1000 == 0 ? u"%1 s"_s.arg(timeoutMs / 1000) : u"%1 ms"_s.arg(timeoutMs);
    const int port = url.port(url.scheme() == "https"_L1 ? 443 : 80);
    return u"no response from %1:%2 within %3"_s.arg(url.host()).arg(port).arg(within);
}

void EndpointProbe::start(const EndpointProfile &profile, int timeoutMs)
{
    cancel();
    m_profile = profile;
    m_timeoutMs = qMax(100, timeoutMs);
    m_report = EndpointProbeReport{};
    m_report.url = profile.displayUrl();
    m_report.model = profile.model;
    if (Status st = profile.checkKeyTransport(); !st) {
        // Reported after start() returns, so callers connect once and see every outcome alike.
        const Error error = st.error();
        m_step = Step::Models;
        QTimer::singleShot(0, this, [this, error] { finish(error); });
        return;
    }
    send(Step::Models, u"models"_s, {});
}

void EndpointProbe::cancel()
{
    m_timer->stop();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    m_reply.clear();
    m_step = Step::Idle;
}

QByteArray EndpointProbe::probeBody(int n, std::optional<int> logprobs) const
{
    LlmRequest r;
    r.chat = m_profile.chat;
    if (r.chat)
        r.messages.append({u"user"_s, u"Say yes."_s});
    else
        r.prompt = u"Question: Is the sky blue?\nAnswer:"_s;
    r.maxTokens = 1;
    r.n = n;
    r.logprobs = logprobs;
    return r.toJson(m_report.model);
}

void EndpointProbe::send(Step step, const QString &path, const QByteArray &body)
{
    m_step = step;
    m_timedOut = false;
    emit stepStarted(step == Step::Models  ? u"listing models"_s
                     : step == Step::Basic ? u"one-token request"_s
                     : step == Step::Multi ? u"n = 2"_s
                                           : u"logprobs"_s);
    QNetworkRequest request(m_profile.endpointUrl(path));
    const QByteArray key = m_profile.apiKey();
    if (!key.isEmpty())
        request.setRawHeader("Authorization", "Bearer "_ba + key);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    m_clock.start();
    m_reply = body.isEmpty() ? m_manager->get(request) : m_manager->post(request, body);
    connect(m_reply, &QNetworkReply::finished, this, &EndpointProbe::onReply);
    m_timer->start(m_timeoutMs);
}

void EndpointProbe::onTimeout()
{
    if (!m_reply)
        return;
    m_timedOut = true;
    m_reply->abort(); // finished() follows, and onReply reads the flag
}

void EndpointProbe::onReply()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_timer->stop();
    m_reply.clear();
    reply->deleteLater();
    Exchange e;
    e.elapsedMs = m_clock.elapsed();
    e.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    // An aborted reply is closed; reading it would only print a QIODevice warning.
    if (reply->isOpen())
        e.body = reply->readAll();
    if (m_timedOut) {
        e.networkError = noResponseMessage(reply->url(), m_timeoutMs);
        e.unreachable = true;
    } else if (reply->error() != QNetworkReply::NoError && e.status == 0) {
        e.networkError = reply->errorString();
        e.unreachable = reply->error() < QNetworkReply::ContentAccessDenied; // connection-level
    }
    advance(e);
}

QString EndpointProbe::failure(const Exchange &e) const
{
    if (!e.networkError.isEmpty())
        return e.networkError;
    return u"HTTP %1: %2"_s.arg(e.status).arg(LlmResponseParser::parseError(e.body).message);
}

void EndpointProbe::advance(const Exchange &e)
{
    const QString path = m_profile.chat ? u"chat/completions"_s : u"completions"_s;
    switch (m_step) {
    case Step::Idle:
        return;
    case Step::Models: {
        if (e.status == 200) {
            if (Result<QStringList> ids = LlmResponseParser::parseModels(e.body))
                m_report.models = *ids;
        }
        if (m_report.model.isEmpty() && !m_report.models.isEmpty())
            m_report.model = m_report.models.first();
        // A server that cannot be reached would fail the next three requests the same way.
        if (e.unreachable || (e.status != 200 && m_report.model.isEmpty()))
            return finish(Error::user(u"cannot list the models of %1: %2"_s.arg(m_report.url, failure(e))));
        return send(Step::Basic, path, probeBody(1, std::nullopt));
    }
    case Step::Basic:
        if (e.status != 200)
            return finish(
                Error::user(u"%1 refused a one-token request: %2"_s.arg(m_report.url, failure(e))));
        m_report.latencyMs = e.elapsedMs;
        return send(Step::Multi, path, probeBody(2, std::nullopt));
    case Step::Multi:
        if (e.status == 200) {
            Result<LlmResponse> r = LlmResponseParser::parseCompletion(e.body);
            m_report.nAccepted = r && r->choices.size() == 2;
            if (!m_report.nAccepted)
                m_report.nDetail = r ? u"asked for 2 choices, got %1"_s.arg(r->choices.size()) : r.error().message;
        } else {
            m_report.nDetail = failure(e);
        }
        return send(Step::Logprobs, path, probeBody(1, 1));
    case Step::Logprobs:
        if (e.status == 200) {
            Result<LlmResponse> r = LlmResponseParser::parseCompletion(e.body);
            m_report.logprobsAccepted = r && !r->choices.isEmpty() && r->choices.first().hasLogprobs;
            if (!m_report.logprobsAccepted)
                m_report.logprobsDetail = r ? u"the answer carries no logprobs"_s : r.error().message;
        } else {
            m_report.logprobsDetail = failure(e);
        }
        return finish();
    }
}

void EndpointProbe::finish(std::optional<Error> error)
{
    m_timer->stop();
    m_step = Step::Idle;
    m_report.error = std::move(error);
    emit finished();
}

} // namespace anthology
