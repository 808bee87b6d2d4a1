#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QMutex>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QThread;

namespace anthology::test {

class FakeLlmServerCore;

enum class FakeShape {
    Legacy,   // OpenAI / vLLM completions logprobs {tokens, token_logprobs, top_logprobs, text_offset}
    LlamaCpp, // llama-server completions logprobs {content: [{token, logprob, top_logprobs}]}
};

enum class FakeFault {
    None,
    RateLimited,      // 429 with Retry-After
    ServerError,      // 500
    BadGateway,       // 502
    Unavailable,      // 503
    ResetMidBody,     // headers and half the body, then a TCP reset
    TruncatedJson,    // 200 with half a JSON body (consistent Content-Length)
    InvalidUtf8,      // 200 with invalid UTF-8 inside a JSON string
    WrongContentType, // 200 text/html proxy page
    Stall,            // never answers
    BadRequest,       // 400
    Unauthorized,     // 401
    NotFound,         // 404
};

struct FakeRequest
{
    QByteArray method;
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    QJsonObject json;
    int attempt = 1;      // how many times this exact body has arrived, this one included
    quint64 sequence = 0; // arrival order, from 1
};

struct FakeReply
{
    FakeFault fault = FakeFault::None;
    int latencyMs = -1; // -1: from the configuration
};

struct FakeLlmServerConfig
{
    FakeShape shape = FakeShape::Legacy;
    QString modelId = QStringLiteral("fake-model");
    int latencyMs = 0;
    int latencyJitterMs = 0;          // uniform extra delay in [0, jitter]
    int latencyExponentialMeanMs = 0; // extra delay drawn from an exponential distribution
    int maxN = 0;                     // > 0: refuse larger n as llama-server does (HTTP 500)
    int maxLogprobs = 0;              // > 0: refuse more logprobs as vLLM does (HTTP 400)
    QByteArray requiredApiKey;        // non-empty: 401 unless "Authorization: Bearer <key>"
    FakeFault fault = FakeFault::None;
    int faultFirstAttempts = 0;    // the first k arrivals of each distinct body get `fault`
    double faultRate = 0.0;        // or each request gets `fault` with this probability
    int retryAfterSeconds = 0;     // for RateLimited (and 503): < 0 sends no header
    bool retryAfterAsDate = false; // send Retry-After as an HTTP date instead of seconds
    quint64 seed = 1;              // for latency and fault draws
    // completionBodies() and the per-body arrival counts (FakeRequest::attempt, faultFirstAttempts);
    // a long bench turns it off: a million requests kept 2.4 GB of them. Off, every attempt is 1.
    bool keepHistory = true;
    // Memory the server thread allocates, touches and frees when it starts, for its heap to keep
    // (bench/fake_llm_server, which also stops glibc from trimming it): growing the heap page by
    // page for a thousand new connections at once (page faults, mprotect) made it read the first
    // requests of a run up to ~150 ms after they came. 0: none (the tests' servers).
    int warmHeapMiB = 0;
    // Runs on the server thread for every request; a value overrides the rules above.
    std::function<std::optional<FakeReply>(const FakeRequest &)> script;
    // Runs on the server thread for every generated choice: the tokens to send instead of
    // answerTokens() (at most max_tokens of them; finish_reason "length" when cut there).
    std::function<std::optional<QStringList>(const QString &promptKey, std::optional<qint64> seed,
                                             int sampleIndex, int maxTokens)>
        answer;
};

// A server that answers HTTP 400 to any request asking for logprobs, as some gateways do.
inline FakeLlmServerConfig refusingLogprobs()
{
    FakeLlmServerConfig config;
    config.script = [](const FakeRequest &r) -> std::optional<FakeReply> {
        if (r.json.contains(QStringLiteral("logprobs")))
            return FakeReply{FakeFault::BadRequest, 0};
        return std::nullopt;
    };
    return config;
}

// A loopback OpenAI-compatible server on its own thread whose answers are a deterministic
// function of the request, with fault injection. HTTP/1.1 with keep-alive.
class FakeLlmServer
{
public:
    explicit FakeLlmServer(FakeLlmServerConfig config = {});
    ~FakeLlmServer();
    FakeLlmServer(const FakeLlmServer &) = delete;
    FakeLlmServer &operator=(const FakeLlmServer &) = delete;

    bool start(quint16 port = 0, const QHostAddress &address = QHostAddress::LocalHost);
    quint16 port() const { return m_port; }
    QUrl baseUrl() const; // http://127.0.0.1:<port>/v1

    void setConfig(FakeLlmServerConfig config);
    FakeLlmServerConfig config() const;

    int requestCount() const { return m_requests.load(); }
    int completionRequestCount() const { return m_completions.load(); }
    int peakConnections() const { return m_peakConnections.load(); }
    // Completion requests received and not yet answered (held at the gate included), now and at
    // most: the concurrency the server saw.
    int openCompletions() const { return m_openCompletions.load(); }
    int peakOpenCompletions() const { return m_peakOpenCompletions.load(); }
    QByteArray lastAuthorization() const;

    // A gate on completions, so a test acts on a run that has had exactly so many answers
    // whatever the machine's speed: once `admitted` completion requests have been let through
    // in all, further ones wait unanswered until the gate is raised or their client goes away.
    void setCompletionGate(int admitted); // < 0: no gate (the default); raising it lets waiters on
    int admittedCompletions() const { return m_admitted.load(); }
    int heldCompletions() const { return m_held.load(); } // waiting at the gate now
    QList<QJsonObject> completionBodies() const;          // in arrival order

    // What the server generates for one choice, so tests can check answers. The prompt key is
    // the prompt, or the chat messages' contents joined by newlines. Full answers have 6 tokens.
    static QStringList answerTokens(const QString &promptKey, std::optional<qint64> seed, int sampleIndex,
                                    int maxTokens);
    static QString answerText(const QString &promptKey, std::optional<qint64> seed, int sampleIndex,
                              int maxTokens);
    // GET /stats of the server on 127.0.0.1:`port` (this one, or a bench/fake_llm_server
    // process): {"answers", "late_us", "read_lag_ms"} since the last call, which starts the next
    // count; {} when it cannot be read.
    static QJsonObject fetchStats(quint16 port);

private:
    friend class FakeLlmServerCore;
    void record(const FakeRequest &request);
    bool admitCompletion(); // server thread: through the gate (counted) or held (counted)
    void connectionOpened();
    void connectionClosed();
    void completionOpened();
    void completionClosed();

    mutable QMutex m_mutex;
    FakeLlmServerConfig m_config;
    QByteArray m_lastAuthorization;
    QList<QJsonObject> m_bodies;
    std::atomic<int> m_requests{0};
    std::atomic<bool> m_keepHistory{true}; // m_config.keepHistory, read without the mutex
    std::atomic<int> m_completions{0};
    std::atomic<int> m_connections{0};
    std::atomic<int> m_peakConnections{0};
    std::atomic<int> m_openCompletions{0};
    std::atomic<int> m_peakOpenCompletions{0};
    std::atomic<int> m_gate{-1};
    std::atomic<int> m_admitted{0};
    std::atomic<int> m_held{0};
    quint16 m_port = 0;
    std::unique_ptr<QThread> m_thread;
    FakeLlmServerCore *m_core = nullptr;
};

} // namespace anthology::test
