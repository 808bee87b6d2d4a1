#pragma once

#include "llm/EndpointProfile.h"
#include "llm/LlmClient.h"
#include "run/RunStore.h"
#include "run/RunTypes.h"
#include "util/Result.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>

#include <deque>
#include <functional>
#include <memory>

class QTimer;

namespace anthology {

class BackstoryStore;
class ProjectFile;

class RunWriter;
class RunItemBuilder;
struct LlmOutcome;
struct StoredItem;

struct RunEngineOptions
{
    int inFlight = 64;        // HTTP requests on the wire at once
    int batchSize = 1024;     // results per commit transaction at most
    int batchIntervalMs = 200; // while a commit is under way, new results wait at most this long
    int progressIntervalMs = 250;
    bool freshSamples = false; // never answer from the request cache (also when the plan allows it)
    LlmClientOptions client;   // inFlightLimit is taken from inFlight
};

// Drives an LlmClient through the pending items of a stored run and commits every outcome on
// one writer thread in batched transactions. What is on disk is the truth: an item is
// pending until its answer (or its failure, with the error) is committed, so stopping the
// process at any moment loses nothing and a new engine on the same run sends exactly the
// items not yet committed. Questions asked in series wait for the committed answer before
// them; independent chains and items proceed in parallel up to the in-flight limit.
class RunEngine : public QObject
{
    Q_OBJECT

public:
    // Takes the project's read-write connection; it moves to the writer thread on start().
    RunEngine(std::unique_ptr<ProjectFile> project, qint64 runId, EndpointProfile profile,
              RunEngineOptions options = {}, QObject *parent = nullptr);
    ~RunEngine() override;

    Status start();
    void pause();
    void resume();
    void cancel(); // in-flight requests are abandoned and stay pending on disk
    bool isFinished() const { return m_finished; }
    RunProgress progress() const;
    // "completed", "incomplete" (some items failed), "cancelled", "paused: REASON" (stopped
    // because the endpoint was never reached; stored as paused, resumable) or "error: ..."
    // once finished.
    QString finalStatus() const { return m_finalStatus; }
    // Why the engine stopped on its own (the endpoint could not be reached), empty otherwise:
    // one line naming the host, what failed and how to check it.
    QString stopReason() const { return m_stopReason; }

    // Cross-process control for `anthology run cancel|pause|resume` while a run is going:
    // marker files next to the project that a running engine polls.
    static QString controlFile(const QString &projectPath, qint64 runId, const QString &what);

Q_SIGNALS:
    void progressChanged(const anthology::RunProgress &progress);
    void finished(const QString &status);

private:
    struct Flight;
    struct Chain;

    void pump();
    bool dispatchNextSeries();
    bool dispatchNextIndependent();
    bool fillBuffer();
    bool startChain();
    void advanceChain(const std::shared_ptr<Chain> &chain);
    void sendChainItem(const std::shared_ptr<Chain> &chain, const StoredItem &row);
    void failRestOfChain(Chain &chain, const QString &error);
    void dispatch(Flight flight);
    void onOutcomes(const QList<LlmOutcome> &outcomes);
    void complete(Flight &flight, ItemResult result);
    void scheduleFlush();
    void flush();
    void onCommitted(QList<ItemResult> results, Status status);
    void tick();
    void checkFinished();
    void finish(const QString &status);
    void onUnreachable(const QString &reason);
    void recordEndpoint(const QString &modelId);

    qint64 m_runId;
    QString m_projectPath;
    EndpointProfile m_profile;
    RunEngineOptions m_options;
    std::unique_ptr<ProjectFile> m_pendingProject; // until start() hands it to the writer
    std::unique_ptr<ProjectFile> m_reader;
    std::unique_ptr<RunStore> m_readStore;
    std::unique_ptr<BackstoryStore> m_backstories;
    std::unique_ptr<RunItemBuilder> m_builder;
    std::unique_ptr<RunWriter> m_writer;
    LlmClient *m_client = nullptr;
    QTimer *m_flushTimer = nullptr;
    QTimer *m_tickTimer = nullptr;

    bool m_inSeries = true;
    bool m_fresh = false;
    bool m_lookups = false; // look answers up in the request cache (not fresh, another run answered)
    QList<QPair<QString, int>> m_openChains;
    qsizetype m_nextChain = 0;
    QHash<quint64, std::shared_ptr<Chain>> m_chainsById; // by the id of the item travelling
    QList<std::function<void()>> m_held;                 // chain continuations waiting for resume()
    std::deque<Flight> m_buffer; // independent: pending items fetched with their requests, not yet sent
    QHash<QByteArray, RunStore::CachedAnswer> m_bufferCached; // their cached responses, looked up together
    qint64 m_cursor = 0;
    bool m_cursorExhausted = false;

    QHash<quint64, std::shared_ptr<Flight>> m_flights; // by ticket
    quint64 m_nextTicket = 1;
    QList<ItemResult> m_outbox;
    QList<std::shared_ptr<Flight>> m_outboxFlights;
    int m_committing = 0; // batches posted to the writer, not yet confirmed
    int m_uncommitted = 0;

    bool m_started = false;
    bool m_paused = false;
    bool m_pausedByFile = false;
    bool m_cancelling = false;
    bool m_finished = false;
    QString m_fatal;
    QString m_stopReason;
    QByteArray m_cacheScope;
    bool m_modelRecorded = false; // the discovered model id is in the run's config
    QString m_finalStatus;

    RunCounts m_base;
    qint64 m_sessionDone = 0;
    qint64 m_sessionFailed = 0;
    qint64 m_sessionTokens = 0;
    qint64 m_cacheHits = 0;
    qint64 m_reasksAdded = 0;
    double m_sessionCost = 0.0;
    QElapsedTimer m_clock;
};

} // namespace anthology
