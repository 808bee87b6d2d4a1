#pragma once

#include "llm/EndpointPool.h"
#include "llm/EndpointProfile.h"
#include "llm/LlmOutcome.h"
#include "llm/LlmRequest.h"
#include "llm/RetryPolicy.h"
#include "util/SeededRandom.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>

#include <deque>
#include <memory>
#include <optional>

class QThread;
class QTimer;

namespace anthology {

class ExchangeRelay;
class LlmWorker;
struct HttpExchange;
struct LlmParameters;

// How plain-http requests travel; https always goes through QNetworkAccessManager (TLS).
enum class HttpTransport {
    Lean,      // our keep-alive HTTP/1.1 client (HttpConnectionPool) on the worker threads
    QtNetwork, // QNetworkAccessManager, six connections per host per manager
};

struct LlmClientOptions
{
    int inFlightLimit = 1024; // HTTP requests on the wire at once
    int workerThreads =
        0; // 0: automatic (lean: one per 512 in flight up to the cores; QtNetwork: one per core)
    RetryPolicy retry;
    int requestTimeoutMs = 120000; // per attempt, the whole answer
    int stallTimeoutMs = 120000;   // per attempt, no byte from the server (connecting included)
    // With no answer yet, every attempt failing to connect (or stalling) for this long stops
    // the client: unreachable() is emitted and nothing more is sent. 0: never.
    qint64 unreachableAfterMs = 60000;
    qint64 deadlineMs = 0; // per ticket from submit, across retries; 0: none
    quint64 jitterSeed = 0x5eed;
    // The environment variable ANTHOLOGY_HTTP_TRANSPORT=qt forces QtNetwork (tests of both paths).
    HttpTransport transport = HttpTransport::Lean;
};

struct LlmClientStats
{
    int inFlight = 0; // HTTP requests on the wire
    int queued = 0;   // requests waiting for a slot, a rate budget or a retry delay
    int window = 0;   // current concurrency room: AIMD windows (capped per endpoint), summed
    quint64 succeeded = 0;
    quint64 failed = 0;
    quint64 attempts = 0;
    quint64 retries = 0;
    quint64 relayed = 0; // attempts a worker sent in the slot of an answer (ExchangeRelay)
    TokenUsage usage;
    double cost = 0.0;
};

// Sends OpenAI-compatible requests to an endpoint (or spreads them over the profile's mirrors,
// an EndpointPool) with retries, rate limits and adaptation to what the server accepts. Every submitted
// ticket ends in exactly one LlmOutcome, delivered in batches through finished(). Lives on the thread that
// creates it; the HTTP work runs on owned worker threads.
class LlmClient : public QObject
{
    Q_OBJECT

public:
    explicit LlmClient(EndpointProfile profile, LlmClientOptions options = {}, QObject *parent = nullptr);
    ~LlmClient() override;

    void submit(quint64 ticket, const LlmRequest &request);
    void cancel(quint64 ticket);
    void cancelAll();
    // Paused, the client sends nothing new, retries included: requests handed to the workers
    // come back and wait with the rest. Answers already on the wire still arrive.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }

    LlmClientStats stats() const;
    const EndpointProfile &profile() const { return m_profile; }
    QString modelId() const { return m_model; } // empty until discovered
    int workerCount() const { return int(m_workers.size()); }
    QList<EndpointLoad> endpointLoads() const { return m_endpoints.loads(); }
    // Why the client stopped sending (see unreachable()); empty while it goes on.
    QString stopReason() const { return m_stopReason; }

    // Applies the config's timeouts and retry limit (llm_parameters) over the defaults.
    static LlmClientOptions withParameters(LlmClientOptions options, const LlmParameters &llm);

Q_SIGNALS:
    void finished(const QList<anthology::LlmOutcome> &outcomes);
    // The endpoint was never reached: one line naming the host, what failed and how to check
    // it. Tickets in flight stay open (cancel them); nothing more is sent.
    void unreachable(const QString &reason);

private:
    struct Ticket;
    struct Job;
    struct HeldSlot
    {
        int endpoint = -1;
        int worker = 0;
    };

    void startDiscovery();
    void pump();
    void pumpJobs();
    void schedulePump(qint64 delayMs);
    void dispatch(Job &job, int endpoint);
    HttpExchange exchangeFor(const Job &job, int endpoint) const;
    void send(Job &job, int endpoint, HttpExchange exchange);
    void occupy(Job &job, int endpoint, int worker);
    void releaseSlot(Job &job);
    // Requests beyond the free slots go to the relay, for a worker to send when an answer frees one.
    void handOver();
    int handoverEndpoint(const Job &job, qint64 now) const;
    void sendHandedBack();              // slots are free: handed requests still waiting go out directly
    void takeBackHanded(int endpoint);  // they wait here again (-1: every endpoint's)
    void onRelayed(quint64 jobId, int worker);
    // The job's ticket is over: it leaves the wire or the relay.
    void withdraw(Job &job);
    void onExchangesDone(int worker, const QList<HttpExchange> &exchanges);
    void onExchangeDone(int worker, const HttpExchange &exchange);
    void sendOutgoing();
    void onDiscoveryDone(const HttpExchange &exchange);
    void onJobSucceeded(quint64 jobId, LlmResponse response);
    // Retries the job or ends its ticket; `reason` is the transient failure.
    void retryOrFail(quint64 jobId, const QString &reason, std::optional<qint64> retryAfterMs);
    void requeueLater(quint64 jobId, qint64 delayMs);
    void failTicket(quint64 ticketId, Error error);
    void emitOutcome(LlmOutcome outcome);
    void flush();
    void addJobs(Ticket &ticket, const LlmRequest &request);
    bool adaptToRejection(quint64 jobId, int status, const QString &message);
    QString plainHttpError(const Job &job, int status, const QString &message) const;
    QString plainHttpDetail(const Job &job, int status, const QString &message) const;
    QString scrub(QString text) const;
    bool useLean(const QUrl &url) const;
    // Tracks whether the endpoint was ever reached; stops the client when it was not for long.
    void noteAttempt(const HttpExchange &exchange, qint64 startedMs, bool answered);
    qint64 nowMs() const { return m_clock.elapsed(); }

    EndpointProfile m_profile;
    LlmClientOptions m_options;
    QByteArray m_apiKey;
    QString m_model;
    bool m_discovering = false;
    int m_discoveryRetries = 0;
    quint64 m_discoveryId = 0;

    std::vector<std::unique_ptr<QThread>> m_threads;
    std::vector<LlmWorker *> m_workers;
    std::vector<int> m_workerLoad;
    std::vector<QList<HttpExchange>> m_outgoing; // per worker, posted together
    std::shared_ptr<ExchangeRelay> m_relay;
    std::vector<bool> m_leanEndpoint; // per endpoint: reached through the lean transport
    // Per endpoint, its completions and chat completions URLs: built once, not per request.
    std::vector<std::pair<QUrl, QUrl>> m_completionUrls;
    std::vector<int> m_handed;         // per endpoint: handed to the relay, not yet seen sent
    int m_handedTotal = 0;
    // Slots of withdrawn jobs whose exchange had already ended at a worker, which may have passed
    // the slot to a successor: taken until that report comes.
    QHash<quint64, HeldSlot> m_held;
    QHash<quint64, int> m_finishedUnclaimed; // withdrawn while handed, already ended: endpoint
    bool m_holdSends = false;    // handling a worker's batch: requests go out at its end
    bool m_paused = false;       // setPaused(): the owner holds everything not yet sent
    bool m_holdOutcomes = false; // handling a worker's batch: outcomes go out together

    QHash<quint64, std::shared_ptr<Ticket>> m_tickets;
    QHash<quint64, std::shared_ptr<Job>> m_jobs;
    std::deque<quint64> m_ready;
    int m_inFlight = 0;
    int m_delayed = 0;
    quint64 m_nextJobId = 1;

    std::optional<int> m_maxN;
    std::optional<int> m_maxLogprobs;
    EndpointPool m_endpoints;
    std::optional<Error> m_transportRefusal; // an endpoint would get the key over plain http
    SeededRandom m_random;
    QElapsedTimer m_clock;
    QTimer *m_pumpTimer = nullptr;

    QList<LlmOutcome> m_outbox;
    bool m_flushPosted = false;
    LlmClientStats m_stats;

    bool m_everAnswered = false;      // a successful response came back
    qint64 m_unreachableSinceMs = -1; // start of the attempts that all failed to connect
    qint64 m_discoveryStartedMs = 0;
    QString m_stopReason;
};

} // namespace anthology
