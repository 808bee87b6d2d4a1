#pragma once

#include "run/RunTypes.h"
#include "util/Result.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QPair>

#include <memory>
#include <optional>

namespace anthology {

class ProjectFile;
class Statement;

// A planned item before it has an id.
struct PlannedItem
{
    QString persona;
    int personaRevision = 1;
    QString question;
    int position = 0;
    int sample = 0;
    int baseSample = 0;
    int reask = 0;
    std::optional<qint64> dependsOn;
    QByteArray request; // canonical JSON when the prompt is known at plan time
};

// The runs, items and request-cache tables of a project. Reads work on any connection; the
// writes are meant for the single writer connection (RunWriter's thread during a run).
// Item states on disk are pending, done and failed only: an item being sent is pending, so a
// run killed at any moment resumes with exactly the items not committed.
class RunStore
{
public:
    explicit RunStore(ProjectFile &project);
    ~RunStore();
    RunStore(const RunStore &) = delete;
    RunStore &operator=(const RunStore &) = delete;

    ProjectFile &project() const { return m_project; }

    Result<qint64> createRun(const RunInfo &info);
    Result<RunInfo> run(qint64 runId) const;
    Result<QList<RunInfo>> runs() const;
    // The newest run with that kind and name, or nullopt (steps resume runs by name).
    Result<std::optional<qint64>> findRun(const QString &kind, const QString &name) const;
    Result<RunCounts> counts(qint64 runId) const;
    // The counts of every run that has items, by run id, in one query (for lists of runs;
    // a run without items is absent and counts as zero).
    Result<QHash<qint64, RunCounts>> allCounts() const;
    Status setStatus(qint64 runId, const QString &status);
    // Failed items back to pending (their last error kept until they are answered).
    Result<int> resetFailed(qint64 runId);

    // Inside the caller's transaction; returns the new item's id.
    Result<qint64> insertItem(qint64 runId, const PlannedItem &item);

    // One transaction: each result moves its item from pending to done or failed (an item
    // not pending is left alone and its result reported as dropped in `error`), a wanted
    // re-ask row is added (its id set in reaskId), and successful responses enter the cache.
    Status commit(qint64 runId, QList<ItemResult> &results, const QList<QPair<int, QByteArray>> &reasks = {});

    // Pending items with id > afterId, in id order, with their stored requests.
    Result<QList<StoredItem>> pendingItems(qint64 runId, qint64 afterId, int limit) const;
    // (persona, base sample) of every chain that still has pending items, in plan order.
    Result<QList<QPair<QString, int>>> openChains(qint64 runId) const;
    // Every row of one chain, by position then re-ask.
    Result<QList<StoredItem>> chainItems(qint64 runId, const QString &persona, int baseSample) const;
    // Every item of a run (tests, exports, status).
    Result<QList<StoredItem>> items(qint64 runId) const;

    // Whether any other run has an answered item: only then can the request cache hold an answer
    // for this run's requests (its own items differ by persona, question or sample, all in the key).
    Result<bool> othersAnswered(qint64 runId) const;
    std::optional<QByteArray> cachedResponse(const QByteArray &key) const;
    // The cached response and the run that received it from the server.
    struct CachedAnswer
    {
        QByteArray response;
        qint64 runId = 0;
    };
    std::optional<CachedAnswer> cachedAnswer(const QByteArray &key) const;

    // Keeps the endpoint a run actually used in its config (key "endpoint"), for run show.
    Status recordEndpoint(qint64 runId, const QJsonObject &endpoint);
    // Replaces a run's stored config (settings that change no item, taken over on resume).
    Status updateConfig(qint64 runId, const QJsonObject &config);
    // Removes a run, its items and their cache entries (--restart of an unfinished run).
    Status deleteRun(qint64 runId);
    // The cached answers of several keys in one query (one read transaction instead of one
    // per key), by key; keys without a response are absent.
    Result<QHash<QByteArray, CachedAnswer>> cachedAnswers(const QList<QByteArray> &keys) const;

    // The distribution JSON (items.logprobs) of every done item of a run that has one, by item id.
    Result<QHash<qint64, QByteArray>> itemDistributions(qint64 runId) const;

private:
    Statement &cached(int slot, const char *sql) const;

    ProjectFile &m_project;
    struct Statements;
    std::unique_ptr<Statements> m_statements;
};

} // namespace anthology
