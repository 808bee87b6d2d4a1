#pragma once

#include "util/Result.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace anthology {

class BackstoryStore;
struct ItemResult;
struct LlmParameters;
struct LlmRequest;
struct LlmResponse;
struct PromptText;
struct RunInfo;
struct StoredItem;

// One chain of items asked in series (a persona's pass through a questionnaire, or a story
// after its preamble): the prompt of each position contains the answers committed before it.
class RunConversation
{
public:
    virtual ~RunConversation() = default;
    // What to send for `question` at `position`, after the answers recorded so far.
    virtual Result<PromptText> next(const QString &question, int position) = 0;
    // The final raw answer to the last question asked.
    virtual void recordAnswer(const QString &raw) = 0;
};

// What the run engine asks of a run kind (runs.kind): whether items are chained, how a
// chain's prompts are built, the request with its seed for one sample, how an answer is
// read, and the compliance-forcing re-ask bounds. Everything is deterministic in the plan
// stored with the run, so a resumed run asks exactly what the first session would have.
class RunItemBuilder
{
public:
    virtual ~RunItemBuilder() = default;

    // The builder of the run's kind, from its stored config ("survey", "generate",
    // "demographics", "demographics_parser").
    static Result<std::unique_ptr<RunItemBuilder>> forRun(const RunInfo &run);
    // The endpoint a run of this kind talks to, from its stored config.
    static Result<LlmParameters> llmOf(const RunInfo &run);
    // The requests in flight the run was configured with: its llm max_in_flight when set, else
    // its num_processes (a survey plan keeps it under "run", the other kinds at the top);
    // nullopt when the stored config has neither (runs planned before it was kept).
    static std::optional<int> configuredInFlight(const RunInfo &run);

    virtual const LlmParameters &llm() const = 0;
    // Items in series build their prompts when the answer before them is committed; the
    // others build theirs when they are sent (independentRequest), so a plan stores no request
    // (runs planned before kept one per item, which is sent as stored).
    virtual bool inSeries() const = 0;
    virtual bool freshSamples() const = 0;

    // A chain's conversation, for kinds in series.
    virtual Result<std::unique_ptr<RunConversation>> conversation(const BackstoryStore &store,
                                                                  const QString &persona, int revision) const;
    virtual LlmRequest request(const PromptText &prompt, const QString &persona, const QString &question,
                               int sample) const = 0;
    // The request of an item asked on its own, from the stored plan and the persona's passage at
    // the revision the item recorded: deterministic in the item, so a resumed run sends the same
    // bytes. Not const: the last persona's passage is kept, as items come persona by persona.
    virtual Result<LlmRequest> independentRequest(const BackstoryStore &store, const StoredItem &item);
    virtual qint64 seedFor(const QString &persona, const QString &question, int sample) const = 0;
    // The sample index of a compliance-forcing re-ask, unique per (persona, question).
    virtual int reaskSample(int baseSample, int reask) const = 0;
    virtual int maxReasks() const = 0;
    // Fills rawAnswer, parsedAnswer, option, compliant and distribution from the response.
    virtual void readAnswer(const QString &persona, const QString &question, const LlmResponse &response,
                            ItemResult &result) const = 0;

    // The seed of one request: 31 bits derived from the run seed and the item key, so every
    // server takes it as a plain int.
    static qint64 derivedSeed(quint64 base, const QString &persona, const QString &question, int sample);
    // The base every kind derives its request seeds from: the llm's own seed when the config
    // sets one, else the plan's seed.
    static quint64 seedBase(const LlmParameters &llm, qint64 planSeed);
    // What every kind's request starts from: the prompt (chat messages, or the completion text
    // with `completionStops`), the model and its max_tokens, temperature and top_p.
    static LlmRequest baseRequest(const PromptText &prompt, const LlmParameters &llm,
                                  const QStringList &completionStops);

protected:
    // The passage of (persona, revision) through `read`, read once for a run of items of the
    // same persona.
    Result<QString> passageOnce(const QString &persona, int revision,
                                const std::function<Result<QString>()> &read);

private:
    QString m_passagePersona;
    int m_passageRevision = 0;
    QString m_passage;
};

} // namespace anthology
