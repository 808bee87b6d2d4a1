#include "run/RunEngine.h"

#include "backstories/BackstoryStore.h"
#include "llm/LlmOutcome.h"
#include "llm/LlmRequest.h"
#include "project/ProjectFile.h"
#include "run/RequestCodec.h"
#include "run/RunAdaptations.h"
#include "run/RunItemBuilder.h"
#include "run/RunStore.h"
#include "run/RunWriter.h"
#include "run/SurveyChain.h"
#include "survey/SurveyTypes.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace anthology {

struct RunEngine::Chain
{
    QString persona;
    int baseSample = 0;
    QList<StoredItem> rows; // the chain's rows, by position then re-ask
    std::unique_ptr<RunConversation> conversation;
    int position = 0;
    PromptText prompt; // of the question at `position`, for re-asks
};

struct RunEngine::Flight
{
    qint64 itemId = 0;
    QString persona;
    QString question;
    int sample = 0;
    int baseSample = 0;
    int reask = 0;
    LlmRequest request;
    QByteArray canonical;
    QByteArray key;
    bool cacheLookedUp = false; // with its page of items: `cached` holds the answer, if any
    std::optional<RunStore::CachedAnswer> cached;
    qint64 startMs = 0;
    QString unsendable; // why no request could be built or read: the item fails with it
};

RunEngine::RunEngine(std::unique_ptr<ProjectFile> project, qint64 runId, EndpointProfile profile,
                     RunEngineOptions options, QObject *parent)
    : QObject(parent), m_runId(runId), m_projectPath(project ? project->path() : QString()),
      m_profile(std::move(profile)), m_options(options), m_pendingProject(std::move(project))
{
}

RunEngine::~RunEngine()
{
    if (m_client)
        m_client->disconnect(this);
    if (m_writer && m_started && !m_finished) {
        // Destroyed mid-run: what is committed stays, the rest is pending for a resume.
        const qint64 runId = m_runId;
        m_writer->post([runId](RunStore &store) { (void)store.setStatus(runId, u"interrupted"_s); });
    }
    m_writer.reset(); // finishes the posted commits
}

QString RunEngine::controlFile(const QString &projectPath, qint64 runId, const QString &what)
{
    return projectPath + u".run"_s + QString::number(runId) + u'.' + what;
}

Status RunEngine::start()
{
    if (m_started)
        return Error::internal(u"the run engine was already started"_s);
    if (!m_pendingProject || m_pendingProject->mode() != ProjectFile::Mode::ReadWrite)
        return Error::internal(u"the run engine needs the project's read-write connection"_s);
    RunStore store(*m_pendingProject);
    Result<RunInfo> info = store.run(m_runId);
    if (!info)
        return info.error();
    Result<std::unique_ptr<RunItemBuilder>> builder = RunItemBuilder::forRun(*info);
    if (!builder)
        return builder.error();
    m_builder = std::move(*builder);
    m_inSeries = m_builder->inSeries();
    m_fresh = m_builder->freshSamples() || m_options.freshSamples;

    Result<RunCounts> counts = store.counts(m_runId);
    if (!counts)
        return counts.error();
    m_base = *counts;
    if (Status st = store.setStatus(m_runId, u"running"_s); !st)
        return st;

    Result<std::unique_ptr<ProjectFile>> reader =
        ProjectFile::open(m_projectPath, ProjectFile::Mode::ReadOnly);
    if (!reader)
        return reader.error();
    m_reader = std::move(*reader);
    m_readStore = std::make_unique<RunStore>(*m_reader);
    if (!m_fresh) {
        // A cache lookup per item cost as much as building its request; with no other run
        // answered, none can hit. A run answering elsewhere meanwhile only means fresh samples.
        Result<bool> others = m_readStore->othersAnswered(m_runId);
        if (!others)
            return others.error();
        m_lookups = *others;
    }
    m_backstories = std::make_unique<BackstoryStore>(*m_reader);
    if (m_inSeries) {
        Result<QList<QPair<QString, int>>> chains = m_readStore->openChains(m_runId);
        if (!chains)
            return chains.error();
        m_openChains = std::move(*chains);
    }

    m_writer = std::make_unique<RunWriter>(std::move(m_pendingProject));
    LlmClientOptions clientOptions = LlmClient::withParameters(m_options.client, m_builder->llm());
    clientOptions.inFlightLimit = qMax(1, m_options.inFlight);
    m_client = new LlmClient(m_profile, clientOptions, this);
    m_client->setPaused(m_paused);
    connect(m_client, &LlmClient::finished, this, &RunEngine::onOutcomes);
    connect(m_client, &LlmClient::unreachable, this, &RunEngine::onUnreachable);
    m_cacheScope = m_profile.cacheScope();
    m_modelRecorded = !m_profile.model.isEmpty();
    recordEndpoint({});
    m_flushTimer = new QTimer(this);
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(m_options.batchIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, &RunEngine::flush);
    m_tickTimer = new QTimer(this);
    m_tickTimer->setInterval(m_options.progressIntervalMs);
    connect(m_tickTimer, &QTimer::timeout, this, &RunEngine::tick);
    m_tickTimer->start();
    m_clock.start();
    m_started = true;
    QTimer::singleShot(0, this, [this] {
        pump();
        checkFinished();
    });
    return {};
}

void RunEngine::pause()
{
    m_paused = true;
    if (m_client)
        m_client->setPaused(true); // what waits in the client is not sent either
}

void RunEngine::resume()
{
    if (!m_paused)
        return;
    m_paused = false;
    m_pausedByFile = false;
    if (m_client)
        m_client->setPaused(false);
    const QList<std::function<void()>> held = std::exchange(m_held, {});
    for (const std::function<void()> &continueChain : held)
        continueChain();
    pump();
}

void RunEngine::cancel()
{
    if (!m_started || m_finished || m_cancelling)
        return;
    m_cancelling = true;
    m_held.clear(); // their items stay pending on disk
    m_client->cancelAll();
    flush();
    checkFinished();
}

RunProgress RunEngine::progress() const
{
    RunProgress p;
    p.runId = m_runId;
    p.total = m_base.total + m_reasksAdded;
    p.done = m_base.done + m_sessionDone;
    p.failed = m_base.failed + m_sessionFailed;
    // Independent runs submit a second window ahead, which waits in the client.
    const LlmClientStats client = m_client ? m_client->stats() : LlmClientStats{};
    p.inFlight = client.inFlight + m_uncommitted;
    p.waiting = client.queued;
    p.cacheHits = m_cacheHits;
    p.cost = m_base.cost + m_sessionCost;
    p.tokens = m_base.promptTokens + m_base.completionTokens + m_sessionTokens;
    p.paused = m_paused;
    const double seconds = m_clock.isValid() ? m_clock.elapsed() / 1000.0 : 0.0;
    if (seconds > 0.0) {
        p.requestsPerSecond = double(m_sessionDone + m_sessionFailed) / seconds;
        p.tokensPerSecond = double(m_sessionTokens) / seconds;
    }
    const qint64 remaining = qMax<qint64>(0, p.total - p.done - p.failed);
    if (p.requestsPerSecond > 0.0)
        p.etaSeconds = double(remaining) / p.requestsPerSecond;
    return p;
}

void RunEngine::pump()
{
    if (!m_started || m_finished || m_paused || m_cancelling || !m_fatal.isEmpty())
        return;
    const int limit = qMax(1, m_options.inFlight);
    // Independent items: a second window's worth waits in the client, which hands it to its
    // HTTP workers, so an answer's slot goes to the next request on the worker's own thread.
    const int submitLimit = m_inSeries ? limit : 2 * limit;
    const int uncommittedLimit = submitLimit + 4 * qMax(1, m_options.batchSize);
    while (int(m_flights.size()) < submitLimit && m_uncommitted < uncommittedLimit && !m_cancelling) {
        const bool sent = m_inSeries ? dispatchNextSeries() : dispatchNextIndependent();
        if (!sent)
            break;
    }
}

// Fetches the next page of pending items and readies their requests: built from the plan
// (items planned without one) or read as stored (re-asks, runs planned before), with the
// cache answers of the whole page looked up in one query.
bool RunEngine::fillBuffer()
{
    Result<QList<StoredItem>> page = m_readStore->pendingItems(m_runId, m_cursor, 512);
    if (!page) {
        m_fatal = page.error().message;
        return false;
    }
    QList<QByteArray> keys;
    keys.reserve(page->size());
    for (StoredItem &item : *page) {
        m_cursor = item.id;
        Flight flight;
        flight.itemId = item.id;
        flight.persona = item.persona;
        flight.question = item.question;
        flight.sample = item.sample;
        flight.baseSample = item.baseSample;
        flight.reask = item.reask;
        flight.cacheLookedUp = true;
        if (item.request.isEmpty()) {
            Result<LlmRequest> request = m_builder->independentRequest(*m_backstories, item);
            if (request) {
                flight.request = std::move(*request);
                flight.canonical =
                    RequestCodec::canonicalRequest(flight.request, m_builder->llm().modelName, item.sample);
            } else {
                flight.unsendable = request.error().message;
            }
        } else {
            Result<LlmRequest> request = RequestCodec::requestFromJson(item.request);
            if (request) {
                flight.request = std::move(*request);
                flight.canonical = std::move(item.request);
            } else {
                flight.unsendable = request.error().message;
            }
        }
        if (flight.unsendable.isEmpty()) {
            flight.key = RequestCodec::cacheKey(flight.canonical, m_cacheScope);
            keys.append(flight.key);
        }
        m_buffer.push_back(std::move(flight));
    }
    m_cursorExhausted = m_buffer.empty();
    if (m_buffer.empty())
        return false;
    m_bufferCached.clear();
    if (m_lookups && !keys.isEmpty()) {
        Result<QHash<QByteArray, RunStore::CachedAnswer>> cached = m_readStore->cachedAnswers(keys);
        if (!cached) {
            m_fatal = cached.error().message;
            return false;
        }
        m_bufferCached = std::move(*cached);
    }
    return true;
}

bool RunEngine::dispatchNextIndependent()
{
    if (m_buffer.empty() && !fillBuffer())
        return false;
    Flight flight = std::move(m_buffer.front());
    m_buffer.pop_front();
    if (!flight.unsendable.isEmpty()) {
        ItemResult failed;
        failed.itemId = flight.itemId;
        failed.error = flight.unsendable;
        ++m_uncommitted;
        complete(flight, std::move(failed));
        return true;
    }
    if (const auto hit = m_bufferCached.constFind(flight.key); hit != m_bufferCached.constEnd())
        flight.cached = *hit;
    dispatch(std::move(flight));
    return true;
}

bool RunEngine::dispatchNextSeries()
{
    return startChain();
}

bool RunEngine::startChain()
{
    while (m_nextChain < m_openChains.size()) {
        const auto [persona, baseSample] = m_openChains[m_nextChain++];
        Result<QList<StoredItem>> rows = m_readStore->chainItems(m_runId, persona, baseSample);
        if (!rows) {
            m_fatal = rows.error().message;
            return false;
        }
        auto chain = std::make_shared<Chain>();
        chain->persona = persona;
        chain->baseSample = baseSample;
        chain->rows = std::move(*rows);
        if (chain->rows.isEmpty())
            continue;
        Result<std::unique_ptr<RunConversation>> conversation =
            m_builder->conversation(*m_backstories, persona, chain->rows.first().personaRevision);
        chain->position = -1;
        const int before = m_uncommitted + int(m_flights.size());
        if (!conversation) {
            chain->position = 0;
            failRestOfChain(*chain, conversation.error().message);
        } else {
            chain->conversation = std::move(*conversation);
            advanceChain(chain);
        }
        if (m_uncommitted + int(m_flights.size()) != before)
            return true;
    }
    return false;
}

// Moves the chain to its next position without a final committed answer: answers already
// committed (on resume) are replayed into the conversation byte for byte, then the pending
// row of that position is sent.
void RunEngine::advanceChain(const std::shared_ptr<Chain> &chain)
{
    while (true) {
        ++chain->position;
        const StoredItem *latest = nullptr; // the latest row of this position (highest re-ask)
        for (const StoredItem &row : chain->rows)
            if (row.position == chain->position)
                latest = &row;
        if (!latest)
            return; // the chain is complete
        Result<PromptText> prompt = chain->conversation->next(latest->question, chain->position);
        if (!prompt) {
            failRestOfChain(*chain, prompt.error().message);
            return;
        }
        chain->prompt = std::move(*prompt);
        if (latest->state == u"done"_s) {
            chain->conversation->recordAnswer(latest->rawAnswer);
            continue;
        }
        if (latest->state == u"failed"_s) {
            ++chain->position;
            failRestOfChain(*chain, u"not asked: the answer to '%1' before it failed: %2"_s.arg(
                                        latest->question, latest->error));
            return;
        }
        sendChainItem(chain, *latest);
        return;
    }
}

void RunEngine::sendChainItem(const std::shared_ptr<Chain> &chain, const StoredItem &row)
{
    Flight flight;
    flight.itemId = row.id;
    flight.persona = chain->persona;
    flight.question = row.question;
    flight.sample = row.sample;
    flight.baseSample = row.baseSample;
    flight.reask = row.reask;
    flight.request = m_builder->request(chain->prompt, chain->persona, row.question, row.sample);
    flight.canonical = RequestCodec::canonicalRequest(flight.request, m_builder->llm().modelName, row.sample);
    m_chainsById.insert(quint64(row.id), chain);
    dispatch(std::move(flight));
}

// Records every still-pending row after the current position as failed with `error`.
void RunEngine::failRestOfChain(Chain &chain, const QString &error)
{
    for (const StoredItem &row : chain.rows) {
        if (row.position < chain.position || row.state != u"pending"_s)
            continue;
        ItemResult failed;
        failed.itemId = row.id;
        failed.error = error;
        ++m_uncommitted;
        m_outbox.append(failed);
        m_outboxFlights.append(nullptr);
    }
    scheduleFlush();
}

void RunEngine::dispatch(Flight flight)
{
    if (flight.key.isEmpty())
        flight.key = RequestCodec::cacheKey(flight.canonical, m_cacheScope);
    flight.startMs = m_clock.elapsed();
    if (m_lookups) {
        if (std::optional<RunStore::CachedAnswer> cached =
                flight.cacheLookedUp ? std::move(flight.cached) : m_readStore->cachedAnswer(flight.key)) {
            Result<LlmResponse> response = RequestCodec::responseFromJson(cached->response);
            if (response) {
                ItemResult result;
                result.itemId = flight.itemId;
                result.ok = true;
                result.fromCache = true;
                result.response = RunAdaptations::attachCachedFrom(cached->response, cached->runId);
                result.request = flight.canonical;
                result.promptTokens = response->usage.promptTokens;
                result.completionTokens = response->usage.completionTokens;
                m_builder->readAnswer(flight.persona, flight.question, *response, result);
                ++m_cacheHits;
                ++m_uncommitted;
                complete(flight, std::move(result));
                return;
            }
        }
    }
    const quint64 ticket = m_nextTicket++;
    auto shared = std::make_shared<Flight>(std::move(flight));
    m_flights.insert(ticket, shared);
    m_client->submit(ticket, shared->request);
}

void RunEngine::onOutcomes(const QList<LlmOutcome> &outcomes)
{
    for (const LlmOutcome &outcome : outcomes) {
        const auto found = m_flights.constFind(outcome.ticket);
        if (found == m_flights.constEnd())
            continue;
        std::shared_ptr<Flight> flight = *found;
        m_flights.erase(found);
        if (m_cancelling)
            continue; // abandoned: the item stays pending on disk
        ItemResult result;
        result.itemId = flight->itemId;
        result.request = flight->canonical;
        result.attempts = outcome.attempts;
        result.latencyMs = outcome.elapsedMs;
        if (outcome.ok) {
            if (!m_modelRecorded)
                recordEndpoint(m_client->modelId());
            result.ok = true;
            // Kept beside the response: how the server was served (split n, fewer logprobs).
            result.response =
                RunAdaptations::attach(RequestCodec::responseToJson(outcome.response), outcome.adaptations);
            result.cacheKey = flight->key;
            result.promptTokens = outcome.response.usage.promptTokens;
            result.completionTokens = outcome.response.usage.completionTokens;
            result.cost = m_profile.cost(result.promptTokens, result.completionTokens);
            m_builder->readAnswer(flight->persona, flight->question, outcome.response, result);
        } else {
            result.error = outcome.error.message;
            if (!outcome.lastError.isEmpty() && outcome.lastError != result.error)
                result.error += u" (last transient failure: "_s + outcome.lastError + u')';
        }
        ++m_uncommitted;
        complete(*flight, std::move(result));
    }
    pump();
    checkFinished();
}

void RunEngine::complete(Flight &flight, ItemResult result)
{
    if (result.ok && !result.compliant && flight.reask < m_builder->maxReasks())
        result.wantReask = true;
    // The flight is kept only for a re-ask, which repeats its request with another seed.
    m_outboxFlights.append(result.wantReask ? std::make_shared<Flight>(flight) : nullptr);
    m_outbox.append(std::move(result));
    scheduleFlush();
}

// Group commit: with the writer idle a result goes to disk at once (an in-series chain waits
// for it); while a commit is under way, results gather and go together when it returns.
void RunEngine::scheduleFlush()
{
    if (m_outbox.isEmpty())
        return;
    // Independent items: nothing waits on a single commit, so results gather for up to the
    // batch interval; a transaction and its fsync per handful of answers cost more CPU per
    // item than building and parsing the request. A chain waits for its answer's commit.
    const bool gather = !m_inSeries && m_outbox.size() < m_options.batchSize;
    if ((m_committing == 0 && !gather) || m_outbox.size() >= m_options.batchSize || m_cancelling)
        flush();
    else if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

void RunEngine::flush()
{
    m_flushTimer->stop();
    if (m_outbox.isEmpty())
        return;
    QList<ItemResult> batch = std::move(m_outbox);
    QList<std::shared_ptr<Flight>> flights = std::move(m_outboxFlights);
    m_outbox.clear();
    m_outboxFlights.clear();
    // The re-ask rows: a new sample of the same item with the same prompt.
    QList<QPair<int, QByteArray>> reasks(batch.size(), {0, QByteArray()});
    for (qsizetype i = 0; i < batch.size(); ++i) {
        if (!batch[i].wantReask || !flights[i])
            continue;
        const Flight &f = *flights[i];
        const int sample = m_builder->reaskSample(f.baseSample, f.reask + 1);
        LlmRequest request = f.request;
        request.seed = m_builder->seedFor(f.persona, f.question, sample);
        reasks[i] = {sample, RequestCodec::canonicalRequest(request, m_builder->llm().modelName, sample)};
    }
    ++m_committing;
    const qint64 runId = m_runId;
    m_writer->post(
        [this, runId, batch = std::move(batch), reasks = std::move(reasks)](RunStore &store) mutable {
            Status status = store.commit(runId, batch, reasks);
            QMetaObject::invokeMethod(
                this, [this, batch = std::move(batch), status] { onCommitted(batch, status); },
                Qt::QueuedConnection);
        });
}

void RunEngine::onCommitted(QList<ItemResult> results, Status status)
{
    --m_committing;
    if (m_committing == 0 && status)
        scheduleFlush();
    m_uncommitted -= int(results.size());
    if (!status) {
        // The disk refused the batch: stop, everything uncommitted stays pending.
        if (m_fatal.isEmpty())
            m_fatal = u"cannot store results: "_s + status.error().message;
        m_cancelling = true;
        m_client->cancelAll();
        checkFinished();
        return;
    }
    for (const ItemResult &r : results) {
        if (r.ok) {
            ++m_sessionDone;
            m_sessionTokens += r.promptTokens + r.completionTokens;
            m_sessionCost += r.cost;
        } else {
            ++m_sessionFailed;
        }
    }
    if (m_inSeries) {
        // Continue each chain whose current item was just committed.
        for (const ItemResult &r : results) {
            auto it = m_chainsById.find(quint64(r.itemId));
            if (it == m_chainsById.end())
                continue;
            std::shared_ptr<Chain> chain = *it;
            m_chainsById.erase(it);
            if (m_cancelling)
                continue;
            StoredItem *row = nullptr;
            for (StoredItem &candidate : chain->rows)
                if (candidate.id == r.itemId)
                    row = &candidate;
            if (!row)
                continue;
            row->state = r.ok ? u"done"_s : u"failed"_s;
            row->rawAnswer = r.rawAnswer;
            row->error = r.error;
            if (r.reaskId > 0) {
                // Compliance forcing: the same prompt again, as a new sample.
                StoredItem reask = *row;
                reask.id = r.reaskId;
                reask.reask += 1;
                reask.sample = m_builder->reaskSample(reask.baseSample, reask.reask);
                reask.state = u"pending"_s;
                chain->rows.append(reask);
                if (m_paused)
                    m_held.append([this, chain, reask] { sendChainItem(chain, reask); });
                else
                    sendChainItem(chain, reask);
                continue;
            }
            if (r.ok) {
                chain->conversation->recordAnswer(r.rawAnswer);
                if (m_paused) // the next question waits for resume(), like every new request
                    m_held.append([this, chain] { advanceChain(chain); });
                else
                    advanceChain(chain);
            } else {
                ++chain->position;
                failRestOfChain(*chain, u"not asked: the answer to '%1' before it failed: %2"_s.arg(
                                            row->question, r.error));
            }
        }
    }
    for (const ItemResult &r : results)
        if (r.reaskId > 0)
            ++m_reasksAdded;
    pump();
    checkFinished();
}

void RunEngine::tick()
{
    if (!m_finished) {
        if (QFile::exists(controlFile(m_projectPath, m_runId, u"cancel"_s))) {
            QFile::remove(controlFile(m_projectPath, m_runId, u"cancel"_s));
            cancel();
        }
        const bool pauseFile = QFile::exists(controlFile(m_projectPath, m_runId, u"pause"_s));
        if (pauseFile && !m_paused) {
            m_pausedByFile = true;
            pause();
        } else if (!pauseFile && m_paused && m_pausedByFile) {
            resume();
        }
    }
    Q_EMIT progressChanged(progress());
    checkFinished();
}

void RunEngine::checkFinished()
{
    if (!m_started || m_finished)
        return;
    if (!m_flights.isEmpty() || m_committing > 0 || m_uncommitted > 0)
        return;
    if (!m_outbox.isEmpty()) {
        flush();
        return;
    }
    if (!m_fatal.isEmpty()) {
        finish(u"error: "_s + m_fatal);
        return;
    }
    if (m_cancelling) {
        finish(m_stopReason.isEmpty() ? u"cancelled"_s : u"paused: "_s + m_stopReason);
        return;
    }
    if (m_paused)
        return;
    // Nothing on the wire or waiting: is there anything left to send?
    if (m_inSeries) {
        if (m_nextChain < m_openChains.size() || !m_chainsById.isEmpty())
            return;
    } else {
        if (!m_buffer.empty())
            return;
        Result<QList<StoredItem>> more = m_readStore->pendingItems(m_runId, m_cursor, 1);
        if (more && !more->isEmpty()) {
            pump();
            return;
        }
    }
    const qint64 failed = m_base.failed + m_sessionFailed;
    finish(failed > 0 ? u"incomplete"_s : u"completed"_s);
}

void RunEngine::finish(const QString &status)
{
    m_finished = true;
    m_finalStatus = status;
    m_tickTimer->stop();
    const QString stored = status.startsWith(u"error"_s)    ? u"interrupted"_s
                           : status.startsWith(u"paused"_s) ? u"paused"_s
                                                            : status;
    const qint64 runId = m_runId;
    m_writer->post([runId, stored](RunStore &store) { (void)store.setStatus(runId, stored); });
    m_writer->stop();
    Q_EMIT progressChanged(progress());
    Q_EMIT finished(status);
}

// The endpoint was never reached: stop sending, keep every unanswered item pending (the run is
// paused and resumes later), and say why.
void RunEngine::onUnreachable(const QString &reason)
{
    if (!m_started || m_finished || m_cancelling)
        return;
    m_stopReason = reason;
    cancel();
}

// The run's config says where it went: the --profile URL of a resume, the id a short model name
// became (or the one the server named when it was discovered).
void RunEngine::recordEndpoint(const QString &modelId)
{
    if (!modelId.isEmpty())
        m_modelRecorded = true;
    const qint64 runId = m_runId;
    m_writer->post([runId, endpoint = m_profile.describe(modelId)](RunStore &store) {
        (void)store.recordEndpoint(runId, endpoint);
    });
}

} // namespace anthology
