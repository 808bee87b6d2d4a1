#include "llm/LlmClient.h"

#include "llm/ExchangeRelay.h"
#include "llm/HttpExchange.h"
#include "llm/LlmResponseParser.h"
#include "llm/LlmWorker.h"
#include "survey/SurveyTypes.h"
#ifdef Q_OS_LINUX
#include "util/EpollEventDispatcher.h"
#endif

#include <QPointer>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>

#include <climits>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#endif

namespace anthology {

using namespace Qt::StringLiterals;

namespace {

// Qt 6.4's QNetworkAccessManager keeps at most this many connections per host.
constexpr int kConnectionsPerManager = 6;
// Keep-alive sockets per lean worker thread when the worker count is automatic.
constexpr int kSocketsPerLeanWorker = 512;

bool mentionsLogprobs(const QString &lower)
{
    return lower.contains(u"logprob"_s);
}

bool mentionsChoiceCount(const QString &lower)
{
    static const QRegularExpression nParam(
        uR"((^|[^a-z_])['"`]?n['"`]?\s*(must|should|cannot|can't|is|=|>|<))"_s);
    return lower.contains(u"choice"_s) || lower.contains(nParam);
}

std::optional<int> limitFromMessage(const QString &lower)
{
    static const QRegularExpression cap(
        uR"((?:max(?:imum)?(?: allowed)?|less than or equal to|at most|<=|up to)\D{0,12}(\d+))"_s);
    const QRegularExpressionMatch m = cap.match(lower);
    if (!m.hasMatch())
        return std::nullopt;
    bool ok = false;
    const int v = m.captured(1).toInt(&ok);
    return ok ? std::optional<int>(v) : std::nullopt;
}

// Each request in flight holds a socket; the usual soft limit of 1024 descriptors would cap
// the client below its in-flight limit, so raise it toward the hard limit when needed.
void ensureDescriptors(int inFlight)
{
#ifdef Q_OS_UNIX
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    const rlim_t wanted = rlim_t(inFlight) * 2 + 256;
    if (limit.rlim_cur >= wanted)
        return;
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : qMin(wanted, limit.rlim_max);
    setrlimit(RLIMIT_NOFILE, &limit);
#else
    Q_UNUSED(inFlight);
#endif
}

// Every failure text starts with its cause, so stored errors group by it (`run status`):
// "connect:" (never reached), "timeout:" (reached, no complete answer in time), "reset:" (the
// connection broke mid-answer), "http NNN:", "parse:" (an answer that is not a completion).
// `cutByDeadline`: the attempt had less time than a request's timeout, what was left of its
// ticket's deadline. Running out of it is the deadline's doing even before a connection stood
// (a new connection may need more than the last millisecond left).
QString transportCause(const HttpExchange &ex, bool cutByDeadline = false)
{
    if (ex.timedOut && cutByDeadline)
        return u"timeout: "_s + ex.transportError;
    if (ex.connectFailed)
        return u"connect: "_s + ex.transportError;
    if (ex.timedOut)
        return u"timeout: "_s + ex.transportError;
    return u"reset: "_s + ex.transportError;
}

// "cause: detail" -> {"cause", "detail"}.
std::pair<QString, QString> splitCause(const QString &reason)
{
    const qsizetype colon = reason.indexOf(u": "_s);
    if (colon < 0)
        return {QString(), reason};
    return {reason.left(colon), reason.mid(colon + 2)};
}

} // namespace

LlmClientOptions LlmClient::withParameters(LlmClientOptions options, const LlmParameters &llm)
{
    const auto ms = [](double seconds) { return qint64(seconds * 1000.0 + 0.5); };
    if (llm.requestTimeoutS)
        options.requestTimeoutMs = int(qBound(qint64(1), ms(*llm.requestTimeoutS), qint64(INT_MAX)));
    if (llm.stallTimeoutS)
        options.stallTimeoutMs = int(qBound(qint64(1), ms(*llm.stallTimeoutS), qint64(INT_MAX)));
    if (llm.unreachableTimeoutS)
        options.unreachableAfterMs = ms(*llm.unreachableTimeoutS);
    if (llm.maxRetries)
        options.retry.maxRetries = *llm.maxRetries;
    return options;
}

struct LlmClient::Ticket
{
    quint64 id = 0;
    LlmRequest request;
    qint64 submittedMs = 0;
    qint64 deadlineMs = 0; // absolute on m_clock; 0: none
    int attempts = 0;
    int lastStatus = 0;
    QString lastError;
    QStringList adaptations;
    QList<quint64> jobIds;
    bool split = false;
    QList<std::optional<LlmResponse>> parts;
    int remaining = 0;
};

struct LlmClient::Job
{
    quint64 id = 0;
    quint64 ticket = 0;
    int part = -1; // -1: the whole ticket
    LlmRequest request;
    int retries = 0;
    int worker = -1;
    int endpoint = -1;     // while in flight
    int lastEndpoint = -1; // of the last attempt: a retry goes elsewhere when it can
    int handedTo = -1;     // waiting in the relay for this endpoint (or sent, not yet reported)
    bool inFlight = false;
    bool enlisted = false; // its exchange may pass its slot on (ExchangeRelay)
    qint64 sentMs = 0;
};

LlmClient::LlmClient(EndpointProfile profile, LlmClientOptions options, QObject *parent)
    : QObject(parent), m_profile(std::move(profile)), m_options(options), m_apiKey(m_profile.apiKey()),
      m_model(m_profile.model), m_maxN(m_profile.maxN), m_maxLogprobs(m_profile.maxLogprobs),
      m_endpoints(m_profile, options.inFlightLimit), m_random(options.jitterSeed)
{
    m_relay = std::make_shared<ExchangeRelay>();
    qRegisterMetaType<anthology::HttpExchange>();
    if (qgetenv("ANTHOLOGY_HTTP_TRANSPORT") == "qt")
        m_options.transport = HttpTransport::QtNetwork;
    for (int i = 0; i < m_endpoints.size() && !m_transportRefusal; ++i) {
        if (Status transport = m_endpoints.profile(i).checkKeyTransport(); !transport)
            m_transportRefusal = transport.error();
    }
    m_clock.start();
    m_pumpTimer = new QTimer(this);
    m_pumpTimer->setSingleShot(true);
    connect(m_pumpTimer, &QTimer::timeout, this, &LlmClient::pump);

    const int limit = qMax(1, m_options.inFlightLimit);
    ensureDescriptors(limit);
    const int managers = (limit + kConnectionsPerManager - 1) / kConnectionsPerManager;
    bool allLean = true;
    for (int i = 0; i < m_endpoints.size(); ++i) {
        m_leanEndpoint.push_back(useLean(m_endpoints.profile(i).baseUrl));
        allLean = allLean && m_leanEndpoint.back();
        m_completionUrls.push_back({m_endpoints.profile(i).endpointUrl(u"completions"_s),
                                    m_endpoints.profile(i).endpointUrl(u"chat/completions"_s)});
    }
    m_handed.assign(size_t(m_endpoints.size()), 0);
    // A lean worker costs tens of microseconds per request, so one carries thousands of requests a
    // second; more threads than sockets warrant only add context switches (and compete with a
    // local server for the cores). QNetworkAccessManager is heavier: one worker per core.
    const int automatic = allLean ? qMin(QThread::idealThreadCount(),
                                         (limit + kSocketsPerLeanWorker - 1) / kSocketsPerLeanWorker)
                                  : QThread::idealThreadCount();
    const int threads =
        qBound(1, m_options.workerThreads > 0 ? m_options.workerThreads : automatic, qMax(1, managers));
    for (int i = 0; i < threads; ++i) {
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(u"llm-worker-%1"_s.arg(i));
        auto *worker = new LlmWorker(managers / threads + (i < managers % threads ? 1 : 0), m_relay);
        worker->moveToThread(thread.get());
        connect(thread.get(), &QThread::finished, worker, &QObject::deleteLater);
#ifdef Q_OS_LINUX
        // Hundreds of sockets per worker: Qt's dispatcher polls all of them on every wake-up.
        if (QAbstractEventDispatcher *dispatcher = EpollEventDispatcher::forNewThread())
            thread->setEventDispatcher(dispatcher);
#endif
        connect(
            worker, &LlmWorker::done, this, [this, i, worker] { onExchangesDone(i, worker->takeDone()); },
            Qt::QueuedConnection);
        thread->start();
        m_workers.push_back(worker);
        m_workerLoad.push_back(0);
        m_outgoing.emplace_back();
        m_threads.push_back(std::move(thread));
    }
}

LlmClient::~LlmClient()
{
    for (LlmWorker *worker : m_workers)
        worker->disconnect(this);
    for (auto &thread : m_threads)
        thread->quit();
    for (auto &thread : m_threads)
        thread->wait();
}

void LlmClient::submit(quint64 ticketId, const LlmRequest &request)
{
    LlmOutcome refused;
    refused.ticket = ticketId;
    if (m_transportRefusal) {
        refused.error = *m_transportRefusal;
        refused.error.message.prepend(u"config: "_s);
        ++m_stats.failed;
        emitOutcome(std::move(refused));
        return;
    }
    if (m_tickets.contains(ticketId)) {
        refused.error = Error::internal(u"ticket %1 was submitted twice"_s.arg(ticketId));
        emitOutcome(std::move(refused));
        return;
    }
    if (request.chat ? request.messages.isEmpty() : false) {
        refused.error = Error::user(u"expected at least one message in a chat request"_s);
        ++m_stats.failed;
        emitOutcome(std::move(refused));
        return;
    }
    auto ticket = std::make_shared<Ticket>();
    ticket->id = ticketId;
    ticket->request = request;
    // The config's short name (llama-3-70b) is sent as the id it maps to, or the one discovered.
    if (!m_profile.requestedModel.isEmpty() && ticket->request.model == m_profile.requestedModel)
        ticket->request.model.clear();
    ticket->submittedMs = nowMs();
    if (m_options.deadlineMs > 0)
        ticket->deadlineMs = ticket->submittedMs + m_options.deadlineMs;
    m_tickets.insert(ticketId, ticket);
    addJobs(*ticket, ticket->request);
    pump();
}

void LlmClient::addJobs(Ticket &ticket, const LlmRequest &original)
{
    LlmRequest request = original;
    if (m_maxLogprobs && request.logprobs && *request.logprobs > *m_maxLogprobs) {
        ticket.adaptations.append(
            u"logprobs %1 lowered to %2: the server accepts at most %2"_s.arg(*request.logprobs)
                .arg(*m_maxLogprobs));
        request.logprobs = *m_maxLogprobs;
    }
    const int n = qMax(1, request.n);
    const int maxN = qMax(1, m_maxN.value_or(n));
    ticket.split = n > maxN;
    ticket.parts.clear();
    if (!ticket.split) {
        auto job = std::make_shared<Job>();
        job->id = m_nextJobId++;
        job->ticket = ticket.id;
        job->request = request;
        ticket.jobIds.append(job->id);
        m_ready.push_back(job->id);
        m_jobs.insert(job->id, std::move(job));
        return;
    }
    const int partCount = (n + maxN - 1) / maxN;
    ticket.remaining = partCount;
    ticket.parts.resize(partCount);
    QString seeds;
    if (request.seed)
        seeds = u" with seeds %1..%2"_s.arg(*request.seed).arg(*request.seed + partCount - 1);
    ticket.adaptations.append(
        u"n=%1 served as %2 requests of n<=%3%4: the server accepts at most %3 choices per request"_s.arg(n)
            .arg(partCount)
            .arg(maxN)
            .arg(seeds));
    for (int part = 0; part < partCount; ++part) {
        auto job = std::make_shared<Job>();
        job->id = m_nextJobId++;
        job->ticket = ticket.id;
        job->part = part;
        job->request = request;
        job->request.n = qMin(maxN, n - part * maxN);
        if (request.seed)
            job->request.seed = *request.seed + part;
        ticket.jobIds.append(job->id);
        m_ready.push_back(job->id);
        m_jobs.insert(job->id, std::move(job));
    }
}

void LlmClient::schedulePump(qint64 delayMs)
{
    if (!m_pumpTimer->isActive() || m_pumpTimer->remainingTime() > delayMs)
        m_pumpTimer->start(int(qBound(qint64(0), delayMs, qint64(3600000))));
}

void LlmClient::pump()
{
    pumpJobs();
    if (!m_holdSends)
        sendOutgoing();
}

void LlmClient::sendOutgoing()
{
    for (size_t i = 0; i < m_outgoing.size(); ++i) {
        if (!m_outgoing[i].isEmpty())
            m_workers[i]->post(std::exchange(m_outgoing[i], {}));
    }
}

void LlmClient::pumpJobs()
{
    if (!m_stopReason.isEmpty() || m_paused)
        return;
    if (m_model.isEmpty()) {
        if (!m_discovering && !m_jobs.isEmpty())
            startDiscovery();
        return;
    }
    const int limit = qMax(1, m_options.inFlightLimit);
    if (m_handedTotal > 0 && m_inFlight < limit)
        sendHandedBack();
    while (!m_ready.empty() && m_inFlight < limit) {
        const quint64 jobId = m_ready.front();
        const std::shared_ptr<Job> job = m_jobs.value(jobId);
        if (!job || job->inFlight) {
            m_ready.pop_front();
            continue;
        }
        const qint64 now = nowMs();
        const std::shared_ptr<Ticket> ticket = m_tickets.value(job->ticket);
        if (ticket && ticket->deadlineMs > 0 && now >= ticket->deadlineMs) {
            m_ready.pop_front();
            failTicket(job->ticket, Error::user(u"timeout: deadline of %1 ms passed after %2 attempts%3"_s
                                                    .arg(m_options.deadlineMs)
                                                    .arg(ticket->attempts)
                                                    .arg(ticket->lastError.isEmpty()
                                                             ? QString()
                                                             : u"; last error: "_s + ticket->lastError)));
            continue;
        }
        const double tokens = double(job->request.estimatedTokens());
        const EndpointPool::Pick pick = m_endpoints.pick(tokens, now, job->lastEndpoint);
        if (pick.index < 0) {
            if (pick.waitMs > 0) {
                schedulePump(pick.waitMs);
                return;
            }
            break; // every endpoint is full: an answer pumps again
        }
        m_endpoints.take(pick.index, tokens, now);
        m_ready.pop_front();
        dispatch(*job, pick.index);
    }
    handOver();
}

void LlmClient::handOver()
{
    // A deadline is counted from the moment an attempt is sent, which the relay would postpone.
    if (m_options.deadlineMs > 0 || !m_stopReason.isEmpty())
        return;
    const qint64 now = nowMs();
    while (!m_ready.empty()) {
        const std::shared_ptr<Job> job = m_jobs.value(m_ready.front());
        if (!job || job->inFlight || job->handedTo >= 0) {
            m_ready.pop_front();
            continue;
        }
        const int endpoint = handoverEndpoint(*job, now);
        if (endpoint < 0)
            return;
        m_ready.pop_front();
        job->handedTo = endpoint;
        ++m_handed[size_t(endpoint)];
        ++m_handedTotal;
        m_relay->offer(endpoint, exchangeFor(*job, endpoint));
    }
}

// A lean endpoint without request or token budgets (the relay sends without asking them) and
// not above its window (a relayed request keeps the count where it is), with fewer handed
// requests than its window: one round of answers' worth.
int LlmClient::handoverEndpoint(const Job &job, qint64 now) const
{
    int best = -1;
    double bestFill = 0.0;
    for (int i = 0; i < m_endpoints.size(); ++i) {
        const int room = m_endpoints.room(i);
        const int handed = m_handed[size_t(i)];
        if (!m_leanEndpoint[size_t(i)] || handed >= room || m_endpoints.inFlight(i) > room ||
            m_endpoints.budgeted(i, now))
            continue;
        // A retry goes elsewhere when it can.
        const double fill = double(handed) / double(room) + (i == job.lastEndpoint ? 1.0 : 0.0);
        if (best < 0 || fill < bestFill) {
            best = i;
            bestFill = fill;
        }
    }
    return best;
}

// Slots freed without a relay (an exchange that failed, or one that ended before its endpoint had
// a handed request) take handed requests back. Each goes where the pool says, not to the endpoint
// it was handed to: a mirror with room left would otherwise idle while its neighbour went above
// its share.
void LlmClient::sendHandedBack()
{
    const int limit = qMax(1, m_options.inFlightLimit);
    const qint64 now = nowMs();
    std::vector<quint64> unplaced;
    for (HttpExchange &ex : m_relay->takeBack(-1, limit - m_inFlight)) {
        const std::shared_ptr<Job> job = m_jobs.value(ex.id);
        if (!job || job->handedTo < 0)
            continue; // withdrawn jobs left the relay with their ticket
        --m_handed[size_t(job->handedTo)];
        --m_handedTotal;
        const int handedTo = std::exchange(job->handedTo, -1);
        const double tokens = double(job->request.estimatedTokens());
        const int endpoint = m_endpoints.pick(tokens, now, job->lastEndpoint).index;
        if (endpoint < 0) {
            unplaced.push_back(job->id);
            continue;
        }
        m_endpoints.take(endpoint, tokens, now);
        send(*job, endpoint, endpoint == handedTo ? std::move(ex) : exchangeFor(*job, endpoint));
    }
    for (auto it = unplaced.crbegin(); it != unplaced.crend(); ++it)
        m_ready.push_front(*it);
}

void LlmClient::takeBackHanded(int endpoint)
{
    if (m_handedTotal == 0)
        return;
    const QList<HttpExchange> back = m_relay->takeBack(endpoint, INT_MAX);
    for (auto it = back.crbegin(); it != back.crend(); ++it) {
        const std::shared_ptr<Job> job = m_jobs.value(it->id);
        if (!job || job->handedTo < 0)
            continue;
        --m_handed[size_t(job->handedTo)];
        --m_handedTotal;
        job->handedTo = -1;
        m_ready.push_front(job->id);
    }
}

// A worker sent the handed job in the slot of an answered exchange.
void LlmClient::onRelayed(quint64 jobId, int worker)
{
    if (const auto dead = m_finishedUnclaimed.constFind(jobId); dead != m_finishedUnclaimed.cend()) {
        // Its ticket is over, but its exchange ended and may have passed the slot on in turn.
        const int endpoint = *dead;
        m_finishedUnclaimed.erase(dead);
        m_endpoints.take(endpoint, 0.0, nowMs());
        ++m_inFlight;
        ++m_workerLoad[size_t(worker)];
        m_held.insert(jobId, {endpoint, worker});
        return;
    }
    const std::shared_ptr<Job> job = m_jobs.value(jobId);
    if (!job || job->handedTo < 0)
        return; // withdrawn on its way out: its worker aborts it
    const int endpoint = job->handedTo;
    --m_handed[size_t(endpoint)];
    --m_handedTotal;
    job->handedTo = -1;
    m_endpoints.take(endpoint, double(job->request.estimatedTokens()), nowMs());
    job->enlisted = true;
    ++m_stats.relayed;
    occupy(*job, endpoint, worker);
}

void LlmClient::withdraw(Job &job)
{
    if (job.inFlight) {
        // Asked before the abort is posted: the worker forgets an aborted exchange.
        const bool finished =
            job.enlisted && m_relay->withdraw(job.id) == ExchangeRelay::Whereabouts::Finished;
        m_workers[size_t(job.worker)]->postAbort(job.id);
        if (finished) {
            // Its answer is in at the worker, which may have sent a successor in its slot.
            m_held.insert(job.id, {job.endpoint, job.worker});
            job.inFlight = false;
            job.endpoint = -1;
            return;
        }
        releaseSlot(job);
        return;
    }
    if (job.handedTo < 0)
        return;
    const int endpoint = job.handedTo;
    --m_handed[size_t(endpoint)];
    --m_handedTotal;
    job.handedTo = -1;
    switch (m_relay->withdraw(job.id)) {
    case ExchangeRelay::Whereabouts::Waiting:
        break; // never sent
    case ExchangeRelay::Whereabouts::OnWire:
        for (LlmWorker *worker : m_workers) // the report naming its worker is still on its way
            worker->postAbort(job.id);
        break;
    case ExchangeRelay::Whereabouts::Finished:
        m_finishedUnclaimed.insert(job.id, endpoint);
        break;
    }
}

void LlmClient::dispatch(Job &job, int endpoint)
{
    send(job, endpoint, exchangeFor(job, endpoint));
}

HttpExchange LlmClient::exchangeFor(const Job &job, int endpoint) const
{
    const std::shared_ptr<Ticket> ticket = m_tickets.value(job.ticket);
    HttpExchange ex;
    ex.id = job.id;
    const auto &[completions, chat] = m_completionUrls[size_t(endpoint)];
    ex.url = job.request.chat ? chat : completions;
    ex.body = job.request.toJson(m_model);
    ex.apiKey = m_apiKey;
    ex.timeoutMs = m_options.requestTimeoutMs;
    ex.stallTimeoutMs = m_options.stallTimeoutMs;
    ex.lean = m_leanEndpoint[size_t(endpoint)];
    ex.endpoint = endpoint;
    if (ticket && ticket->deadlineMs > 0)
        ex.timeoutMs =
            int(qBound(qint64(1), ticket->deadlineMs - nowMs(), qint64(m_options.requestTimeoutMs)));
    return ex;
}

void LlmClient::send(Job &job, int endpoint, HttpExchange exchange)
{
    int best = 0;
    for (int i = 1; i < int(m_workerLoad.size()); ++i) {
        if (m_workerLoad[i] < m_workerLoad[best])
            best = i;
    }
    job.enlisted = exchange.lean;
    if (job.enlisted)
        m_relay->enlist(job.id);
    occupy(job, endpoint, best);
    m_outgoing[size_t(best)].append(std::move(exchange));
}

void LlmClient::occupy(Job &job, int endpoint, int worker)
{
    job.inFlight = true;
    job.worker = worker;
    job.endpoint = endpoint;
    job.sentMs = nowMs();
    ++m_workerLoad[size_t(worker)];
    ++m_inFlight;
    ++m_stats.attempts;
    if (const std::shared_ptr<Ticket> ticket = m_tickets.value(job.ticket))
        ++ticket->attempts;
}

void LlmClient::startDiscovery()
{
    if (!m_stopReason.isEmpty())
        return;
    m_discovering = true;
    m_discoveryStartedMs = nowMs();
    m_discoveryId = m_nextJobId++;
    HttpExchange ex;
    ex.id = m_discoveryId;
    // With several endpoints each retry asks the next one: any of them can name the model.
    ex.url = m_endpoints.profile(m_discoveryRetries % m_endpoints.size()).endpointUrl(u"models"_s);
    ex.apiKey = m_apiKey;
    ex.timeoutMs = m_options.requestTimeoutMs;
    ex.stallTimeoutMs = m_options.stallTimeoutMs;
    ex.lean = useLean(ex.url);
    m_workers.front()->post({std::move(ex)});
}

void LlmClient::onDiscoveryDone(const HttpExchange &ex)
{
    QString reason;
    bool retryable = true;
    noteAttempt(ex, m_discoveryStartedMs, false);
    if (!m_stopReason.isEmpty()) {
        m_discovering = false;
        return;
    }
    if (ex.transportFailed) {
        reason = transportCause(ex);
    } else if (ex.httpStatus >= 200 && ex.httpStatus < 300) {
        Result<QStringList> ids = LlmResponseParser::parseModels(ex.responseBody);
        if (ids) {
            m_model = ids->first();
            m_discovering = false;
            m_discoveryRetries = 0;
            pump();
            return;
        }
        reason = u"parse: "_s + ids.error().message;
    } else {
        reason = u"http %1: %2"_s.arg(ex.httpStatus)
                     .arg(scrub(LlmResponseParser::parseError(ex.responseBody).message));
        retryable = RetryPolicy::isRetryableStatus(ex.httpStatus);
    }
    if (retryable && ++m_discoveryRetries <= m_options.retry.maxRetries) {
        const qint64 delay = m_options.retry.delayMs(
            m_discoveryRetries, RetryPolicy::parseRetryAfter(ex.retryAfter, QDateTime::currentDateTimeUtc()),
            m_random);
        QTimer::singleShot(delay, this, &LlmClient::startDiscovery);
        return;
    }
    m_discovering = false;
    m_discoveryRetries = 0;
    const auto [cause, detail] = splitCause(scrub(reason));
    const Error error = Error::user(u"%1: could not discover the model served at %2: %3"_s.arg(
        cause, ex.url.adjusted(QUrl::RemoveUserInfo).toString(), detail));
    const QList<quint64> ids = m_tickets.keys();
    for (quint64 id : ids)
        failTicket(id, error);
}

void LlmClient::onExchangesDone(int worker, const QList<HttpExchange> &exchanges)
{
    // The whole batch is handled, then its outcomes go out in one finished() (the owner's
    // new submissions land in this same pass), then the requests that freed slots took go
    // to the workers together.
    m_holdSends = true;
    m_holdOutcomes = true;
    for (const HttpExchange &ex : exchanges)
        onExchangeDone(worker, ex);
    pumpJobs();
    m_holdOutcomes = false;
    const QPointer<LlmClient> alive(this);
    flush();
    if (!alive)
        return; // the owner let go of the client on these outcomes
    m_holdSends = false;
    sendOutgoing();
}

void LlmClient::onExchangeDone(int worker, const HttpExchange &ex)
{
    if (const auto held = m_held.constFind(ex.id); held != m_held.cend()) {
        --m_inFlight;
        --m_workerLoad[size_t(held->worker)];
        m_endpoints.release(held->endpoint);
        m_held.erase(held);
    }
    const std::shared_ptr<Job> job = m_jobs.value(ex.id);
    const int endpoint = job && job->inFlight ? job->endpoint : -1;
    if (endpoint >= 0) {
        releaseSlot(*job);
        job->lastEndpoint = endpoint;
    }
    // The successor takes the slot just released, so no count ever passes a limit.
    if (ex.successor != 0)
        onRelayed(ex.successor, worker);
    if (ex.id == m_discoveryId && m_discovering) {
        onDiscoveryDone(ex);
        return;
    }
    if (endpoint < 0)
        return; // its ticket already ended
    noteAttempt(ex, job->sentMs, !ex.transportFailed && ex.httpStatus >= 200 && ex.httpStatus < 300);
    if (!m_stopReason.isEmpty())
        return; // stopped: the ticket stays open for the owner to cancel
    m_endpoints.observe(endpoint, ex.rateLimits, nowMs());
    if (m_handed[size_t(endpoint)] > 0 && m_endpoints.budgeted(endpoint, nowMs()))
        takeBackHanded(endpoint); // the relay would send them without asking the budget
    if (const std::shared_ptr<Ticket> ticket = m_tickets.value(job->ticket))
        ticket->lastStatus = ex.httpStatus;

    // A shrunk window takes back the requests handed over for it: relayed, they would keep
    // the endpoint's count where it is.
    if (ex.transportFailed) {
        if (m_endpoints.onFailure(endpoint, nowMs()))
            takeBackHanded(endpoint);
        retryOrFail(ex.id, scrub(transportCause(ex, ex.timeoutMs < m_options.requestTimeoutMs)), std::nullopt);
    } else if (ex.httpStatus >= 200 && ex.httpStatus < 300) {
        Result<LlmResponse> parsed = LlmResponseParser::parseCompletion(ex.responseBody);
        if (parsed) {
            m_endpoints.onSuccess(endpoint);
            onJobSucceeded(ex.id, std::move(parsed).value());
        } else {
            if (m_endpoints.onFailure(endpoint, nowMs()))
                takeBackHanded(endpoint);
            const QByteArray type = ex.contentType.split(';').first().trimmed();
            QString reason = u"parse: unreadable response: "_s + parsed.error().message;
            if (!type.isEmpty() && !type.endsWith("json"))
                reason += u" (content type %1)"_s.arg(QString::fromLatin1(type));
            retryOrFail(ex.id, reason, std::nullopt);
        }
    } else {
        const QString message = scrub(LlmResponseParser::parseError(ex.responseBody).message);
        if (!adaptToRejection(ex.id, ex.httpStatus, message)) {
            const QString reason = u"http %1: %2"_s.arg(ex.httpStatus).arg(message);
            if (ex.httpStatus == 429) {
                if (m_endpoints.onThrottled(endpoint, nowMs()))
                    takeBackHanded(endpoint);
                retryOrFail(ex.id, reason,
                            RetryPolicy::parseRetryAfter(ex.retryAfter, QDateTime::currentDateTimeUtc()));
            } else if (RetryPolicy::isRetryableStatus(ex.httpStatus)) {
                if (m_endpoints.onFailure(endpoint, nowMs()))
                    takeBackHanded(endpoint);
                retryOrFail(ex.id, reason,
                            RetryPolicy::parseRetryAfter(ex.retryAfter, QDateTime::currentDateTimeUtc()));
            } else {
                failTicket(job->ticket, Error::user(plainHttpError(*job, ex.httpStatus, message)));
            }
        }
    }
}

bool LlmClient::adaptToRejection(quint64 jobId, int status, const QString &message)
{
    if (status != 400 && status != 422 && status != 500)
        return false;
    const std::shared_ptr<Job> job = m_jobs.value(jobId);
    const std::shared_ptr<Ticket> ticket = job ? m_tickets.value(job->ticket) : nullptr;
    if (!ticket)
        return false;
    const QString lower = message.toLower();
    if (mentionsLogprobs(lower) && job->request.logprobs && *job->request.logprobs > 0) {
        const int current = *job->request.logprobs;
        int cap = limitFromMessage(lower).value_or(current / 2);
        if (cap >= current)
            cap = current - 1;
        m_maxLogprobs = qMin(cap, m_maxLogprobs.value_or(cap));
        ticket->adaptations.append(u"logprobs %1 lowered to %2 after the server refused: %3"_s.arg(current)
                                       .arg(*m_maxLogprobs)
                                       .arg(message));
        job->request.logprobs = *m_maxLogprobs;
        m_ready.push_front(jobId);
        return true;
    }
    if (job->request.n > 1 && mentionsChoiceCount(lower)) {
        const int learned = qBound(1, limitFromMessage(lower).value_or(1), job->request.n - 1);
        m_maxN = qMin(learned, m_maxN.value_or(learned));
        ticket->adaptations.append(u"server refused n=%1 (%2)"_s.arg(job->request.n).arg(message));
        // Start the ticket over in parts; drop every job it had.
        for (quint64 id : std::as_const(ticket->jobIds)) {
            if (const std::shared_ptr<Job> other = m_jobs.take(id))
                withdraw(*other);
        }
        ticket->jobIds.clear();
        addJobs(*ticket, ticket->request);
        return true;
    }
    return false;
}

QString LlmClient::plainHttpError(const Job &job, int status, const QString &message) const
{
    return u"http %1: "_s.arg(status) + plainHttpDetail(job, status, message);
}

QString LlmClient::plainHttpDetail(const Job &job, int status, const QString &message) const
{
    const QString base = m_endpoints.profile(qMax(0, job.lastEndpoint)).displayUrl();
    const QString detail = u"HTTP %1%2"_s.arg(status).arg(message.isEmpty() ? QString() : u": "_s + message);
    if (status == 401 || status == 403) {
        if (!m_apiKey.isEmpty())
            return u"API key in $%1 was rejected by %2 (%3)"_s.arg(m_profile.apiKeyEnv, base, detail);
        if (!m_profile.apiKeyEnv.isEmpty())
            return u"%1 needs an API key but $%2 is not set (%3)"_s.arg(base, m_profile.apiKeyEnv, detail);
        return u"%1 needs an API key (%2): name the variable holding it in api_key_env"_s.arg(base, detail);
    }
    const QString path = job.request.chat ? u"/chat/completions"_s : u"/completions"_s;
    if (status == 404) {
        if (message.isEmpty() || message.contains(u"model"_s, Qt::CaseInsensitive))
            return u"model '%1' not found at %2 (%3)"_s.arg(
                job.request.model.isEmpty() ? m_model : job.request.model, base, detail);
        return u"%1%2 not found (%3): check base_url"_s.arg(base, path, detail);
    }
    return u"%1%2 refused the request (%3)"_s.arg(base, path, detail);
}

void LlmClient::retryOrFail(quint64 jobId, const QString &reason, std::optional<qint64> retryAfterMs)
{
    const std::shared_ptr<Job> job = m_jobs.value(jobId);
    const std::shared_ptr<Ticket> ticket = job ? m_tickets.value(job->ticket) : nullptr;
    if (!ticket)
        return;
    ticket->lastError = reason;
    ++job->retries;
    if (job->retries > m_options.retry.maxRetries) {
        failTicket(ticket->id,
                   Error::user(u"%1 (gave up after %2 attempts)"_s.arg(reason).arg(ticket->attempts)));
        return;
    }
    const qint64 delay = m_options.retry.delayMs(job->retries, retryAfterMs, m_random);
    if (ticket->deadlineMs > 0 && nowMs() + delay >= ticket->deadlineMs) {
        failTicket(ticket->id,
                   Error::user(u"%3 (gave up after %2 attempts: the deadline of %1 ms would pass before "
                               "the next)"_s.arg(m_options.deadlineMs)
                                   .arg(ticket->attempts)
                                   .arg(reason)));
        return;
    }
    ++m_stats.retries;
    requeueLater(jobId, delay);
}

void LlmClient::requeueLater(quint64 jobId, qint64 delayMs)
{
    ++m_delayed;
    QTimer::singleShot(std::chrono::milliseconds(delayMs), this, [this, jobId] {
        --m_delayed;
        if (m_jobs.contains(jobId)) {
            m_ready.push_back(jobId);
            pump();
        }
    });
}

void LlmClient::onJobSucceeded(quint64 jobId, LlmResponse response)
{
    const std::shared_ptr<Job> job = m_jobs.take(jobId);
    const std::shared_ptr<Ticket> ticket = job ? m_tickets.value(job->ticket) : nullptr;
    if (!ticket)
        return;
    ticket->jobIds.removeOne(jobId);
    m_stats.usage += response.usage;
    m_stats.cost += m_profile.cost(response.usage.promptTokens, response.usage.completionTokens);
    if (job->part >= 0) {
        ticket->parts[job->part] = std::move(response);
        if (--ticket->remaining > 0)
            return;
        LlmResponse merged;
        int index = 0;
        for (const std::optional<LlmResponse> &part : std::as_const(ticket->parts)) {
            if (merged.id.isEmpty()) {
                merged.id = part->id;
                merged.model = part->model;
            }
            merged.hasUsage = merged.hasUsage || part->hasUsage;
            merged.usage += part->usage;
            for (LlmChoice choice : part->choices) {
                choice.index = index++;
                merged.choices.append(std::move(choice));
            }
        }
        response = std::move(merged);
    }
    m_tickets.remove(ticket->id);
    LlmOutcome outcome;
    outcome.ticket = ticket->id;
    outcome.ok = true;
    outcome.response = std::move(response);
    outcome.attempts = ticket->attempts;
    outcome.httpStatus = ticket->lastStatus;
    outcome.lastError = ticket->lastError;
    outcome.adaptations = ticket->adaptations;
    outcome.elapsedMs = nowMs() - ticket->submittedMs;
    ++m_stats.succeeded;
    emitOutcome(std::move(outcome));
}

void LlmClient::failTicket(quint64 ticketId, Error error)
{
    const std::shared_ptr<Ticket> ticket = m_tickets.take(ticketId);
    if (!ticket)
        return;
    for (quint64 id : std::as_const(ticket->jobIds)) {
        if (const std::shared_ptr<Job> job = m_jobs.take(id))
            withdraw(*job);
    }
    error.message = scrub(error.message);
    LlmOutcome outcome;
    outcome.ticket = ticketId;
    outcome.ok = false;
    outcome.error = std::move(error);
    outcome.attempts = ticket->attempts;
    outcome.httpStatus = ticket->lastStatus;
    outcome.lastError = ticket->lastError;
    outcome.adaptations = ticket->adaptations;
    outcome.elapsedMs = nowMs() - ticket->submittedMs;
    ++m_stats.failed;
    emitOutcome(std::move(outcome));
}

void LlmClient::cancel(quint64 ticket)
{
    failTicket(ticket, Error::user(u"cancelled"_s));
    schedulePump(0);
}

void LlmClient::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (paused)
        takeBackHanded(-1); // a worker would send them in the slot of the next answer
    else
        schedulePump(0);
}

void LlmClient::cancelAll()
{
    const QList<quint64> ids = m_tickets.keys();
    for (quint64 id : ids)
        failTicket(id, Error::user(u"cancelled"_s));
}

void LlmClient::emitOutcome(LlmOutcome outcome)
{
    m_outbox.append(std::move(outcome));
    // Outcomes of a worker's batch go out at its end; others (refusals in submit(), cancels)
    // after the caller returns, so the owner never re-enters itself.
    if (!m_holdOutcomes && !m_flushPosted) {
        m_flushPosted = true;
        QTimer::singleShot(0, this, [this] {
            m_flushPosted = false;
            flush();
        });
    }
}

void LlmClient::flush()
{
    if (m_outbox.isEmpty())
        return;
    // The batch's storage comes back for the next one: growing a fresh list of outcomes, one
    // append at a time, cost the engine's thread a reallocation (and a malloc consolidation of
    // its free lists) every few answers.
    QList<LlmOutcome> batch;
    batch.swap(m_outbox);
    const QPointer<LlmClient> alive(this);
    Q_EMIT finished(batch);
    if (!alive)
        return; // the owner let go of the client on these outcomes
    // Kept capacity, unless a receiver still shares the list.
    batch.clear();
    if (m_outbox.isEmpty())
        m_outbox.swap(batch);
}

void LlmClient::releaseSlot(Job &job)
{
    if (!job.inFlight)
        return;
    job.inFlight = false;
    --m_workerLoad[job.worker];
    --m_inFlight;
    m_endpoints.release(job.endpoint);
    job.endpoint = -1;
}

void LlmClient::noteAttempt(const HttpExchange &ex, qint64 startedMs, bool answered)
{
    if (answered)
        m_everAnswered = true;
    if (m_everAnswered || m_options.unreachableAfterMs <= 0 || !m_stopReason.isEmpty())
        return;
    // Only failures that never got an HTTP answer say the endpoint is out of reach; a server
    // answering 5xx or 429 is there, and its faults are retried as usual.
    if (!ex.transportFailed || (!ex.connectFailed && !ex.timedOut)) {
        m_unreachableSinceMs = -1;
        return;
    }
    if (m_unreachableSinceMs < 0)
        m_unreachableSinceMs = startedMs;
    const qint64 now = nowMs();
    if (now - m_unreachableSinceMs < m_options.unreachableAfterMs)
        return;
    QString base = m_profile.displayUrl();
    for (int i = 0; i < m_endpoints.size(); ++i)
        if (ex.url.toString().startsWith(m_endpoints.profile(i).baseUrl.toString()))
            base = m_endpoints.profile(i).displayUrl();
    const QString host = ex.url.adjusted(QUrl::RemoveUserInfo).authority();
    QString what = scrub(ex.transportError);
    if (what.startsWith(host + u": "_s))
        what = what.mid(host.size() + 2);
    const QString seconds = QString::number(double(now - m_unreachableSinceMs) / 1000.0, 'f', 1);
    m_stopReason = u"cannot reach %1: %2 (%3); check it with: anthology llm ping --url %4"_s.arg(
        host, what,
        ex.connectFailed ? u"every attempt for %1 s failed to connect"_s.arg(seconds)
                         : u"no attempt got an answer in %1 s"_s.arg(seconds),
        base);
    takeBackHanded(-1); // nothing more is sent
    Q_EMIT unreachable(m_stopReason);
}

bool LlmClient::useLean(const QUrl &url) const
{
    if (m_options.transport != HttpTransport::Lean || url.scheme() != u"http"_s)
        return false;
    // The lean client speaks to the server directly; a configured proxy is Qt's business.
    static const bool proxied =
        qEnvironmentVariableIsSet("http_proxy") || qEnvironmentVariableIsSet("HTTP_PROXY");
    return !proxied || EndpointProfile::forUrl(url).isLoopback();
}

QString LlmClient::scrub(QString text) const
{
    if (m_apiKey.size() >= 4)
        text.replace(QString::fromUtf8(m_apiKey), u"[API key]"_s);
    return text;
}

LlmClientStats LlmClient::stats() const
{
    LlmClientStats s = m_stats;
    s.inFlight = m_inFlight;
    s.queued = qMax(0, int(m_jobs.size()) - (m_inFlight - int(m_held.size())));
    s.window = qMin(m_endpoints.window(), m_options.inFlightLimit);
    return s;
}

} // namespace anthology
