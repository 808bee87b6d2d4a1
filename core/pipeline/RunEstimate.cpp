#include "pipeline/RunEstimate.h"

#include "backstories/BackstoryStore.h"
#include "llm/EndpointProfile.h"
#include "llm/LlmRequest.h"
#include "pipeline/RunController.h"
#include "project/ProjectFile.h"
#include "run/RequestCodec.h"
#include "run/RunItemBuilder.h"
#include "run/RunStore.h"
#include "run/SurveyChain.h"
#include "survey/SurveyTypes.h"


using namespace Qt::StringLiterals;

namespace anthology {

namespace {

qint64 promptChars(const LlmRequest &request)
{
    qint64 chars = request.prompt.size();
    for (const ChatMessage &m : request.messages)
        chars += m.content.size();
    return chars;
}

qint64 promptChars(const PromptText &prompt)
{
    qint64 chars = prompt.prompt.size();
    for (const auto &[role, content] : prompt.messages)
        chars += content.size();
    return chars;
}

// Items in series have no stored request: their prompts are built as answers arrive. Walk a
// few open chains through the run's own conversation (the code the engine uses), with a short
// stand-in answer, and return the average prompt length per item (0 when none could be built).
double seriesPromptChars(ProjectFile &project, const RunInfo &info, qint64 runId)
{
    constexpr int kChains = 16;
    Result<std::unique_ptr<RunItemBuilder>> builder = RunItemBuilder::forRun(info);
    if (!builder || !(*builder)->inSeries())
        return 0.0;
    const RunStore store(project);
    const BackstoryStore backstories(project);
    Result<QList<QPair<QString, int>>> chains = store.openChains(runId);
    if (!chains)
        return 0.0;
    qint64 chars = 0;
    qint64 items = 0;
    for (const auto &[persona, baseSample] : chains->mid(0, kChains)) {
        Result<QList<StoredItem>> rows = store.chainItems(runId, persona, baseSample);
        if (!rows || rows->isEmpty())
            continue;
        Result<std::unique_ptr<RunConversation>> conversation =
            (*builder)->conversation(backstories, persona, rows->first().personaRevision);
        if (!conversation)
            continue;
        for (const StoredItem &row : std::as_const(*rows)) {
            if (row.reask > 0)
                continue;
            Result<PromptText> prompt = (*conversation)->next(row.question, row.position);
            if (!prompt)
                break;
            chars += promptChars(*prompt);
            ++items;
            (*conversation)->recordAnswer(row.state == u"done"_s ? row.rawAnswer : u" A"_s);
        }
    }
    return items > 0 ? double(chars) / double(items) : 0.0;
}

} // namespace

Result<RunEstimate> RunEstimate::of(ProjectFile &project, qint64 runId, std::optional<int> inFlight,
                                    const QString &profileOverride)
{
    const RunStore store(project);
    Result<RunInfo> info = store.run(runId);
    if (!info)
        return info.error();
    Result<RunCounts> counts = store.counts(runId);
    if (!counts)
        return counts.error();
    Result<LlmParameters> llm = RunItemBuilder::llmOf(*info);
    if (!llm)
        return llm.error();
    if (!profileOverride.isEmpty()) {
        llm->apiProvider = profileOverride;
        llm->baseUrl.clear();
    }
    Result<EndpointProfile> profile = EndpointProfile::fromParameters(*llm);
    if (!profile)
        return profile.error();

    RunEstimate e;
    e.items = counts->total;
    e.pending = counts->pending;
    e.requests = counts->pending;
    e.inFlight = RunController::inFlightFor(*info, inFlight);
    e.requestsPerMinute = profile->requestsPerMinute;
    e.tokensPerMinute = profile->tokensPerMinute;
    e.endpoint = profile->displayUrl();
    e.model = llm->modelName;

    // The first kSampled pending items of an independent run are counted from their requests:
    // stored (re-asks, runs planned before requests were built when sent) or built as the engine
    // will build them; the rest are taken at their average. Items in series at the average of
    // a few chains walked through their conversation. Reading every pending item of a 1M-item
    // run would take seconds for an estimate.
    constexpr qint64 kSampled = 4096;
    Result<std::unique_ptr<RunItemBuilder>> builder = RunItemBuilder::forRun(*info);
    if (!builder)
        return builder.error();
    const BackstoryStore backstories(project);
    qint64 known = 0;
    qint64 chars = 0;
    qint64 completion = 0;
    const auto count = [&](const LlmRequest &request) {
        ++known;
        chars += promptChars(request);
        completion += qint64(request.maxTokens) * qMax(1, request.n);
    };
    for (qint64 cursor = 0; !(*builder)->inSeries() && known < kSampled;) {
        Result<QList<StoredItem>> page = store.pendingItems(runId, cursor, 1024);
        if (!page)
            return page.error();
        if (page->isEmpty())
            break;
        for (const StoredItem &item : std::as_const(*page)) {
            cursor = item.id;
            const Result<LlmRequest> request = item.request.isEmpty()
                                                   ? (*builder)->independentRequest(backstories, item)
                                                   : RequestCodec::requestFromJson(item.request);
            if (request)
                count(*request);
        }
    }
    const qint64 unknown = e.pending - known;
    const double promptPerItem = known > 0 ? double(chars) / 4.0 / double(known)
                                           : seriesPromptChars(project, *info, runId) / 4.0;
    const double completionPerItem = known > 0 ? double(completion) / double(known) : double(llm->maxTokens);
    e.promptTokens = qint64(double(chars) / 4.0 + promptPerItem * double(unknown));
    e.completionTokens = completion + qint64(completionPerItem * double(unknown));
    if (profile->pricePer1kPromptTokens || profile->pricePer1kCompletionTokens)
        e.cost = profile->cost(e.promptTokens, e.completionTokens);
    std::optional<double> byRate;
    if (e.requestsPerMinute && *e.requestsPerMinute > 0)
        byRate = double(e.requests) / *e.requestsPerMinute * 60.0;
    if (e.tokensPerMinute && *e.tokensPerMinute > 0)
        byRate = qMax(byRate.value_or(0.0),
                      double(e.promptTokens + e.completionTokens) / *e.tokensPerMinute * 60.0);
    e.secondsByRateLimit = byRate;
    e.secondsAtOneSecondEach = double(e.requests) / double(qMax(1, e.inFlight));
    return e;
}

} // namespace anthology
