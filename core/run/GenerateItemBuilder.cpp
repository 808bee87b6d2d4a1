#include "run/GenerateItemBuilder.h"

#include "llm/LlmRequest.h"
#include "llm/LlmResponse.h"
#include "prompt/BackstoryPromptBuilder.h"
#include "prompt/RoleText.h"
#include "run/RunTypes.h"
#include "run/SurveyChain.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

// Preamble, then story: completion prompts as transcript text, chat turns as messages.
class GenerateConversation : public RunConversation
{
public:
    GenerateConversation(const GeneratePlan &plan, int index) : m_plan(plan), m_index(index) {}

    Result<PromptText> next(const QString &question, int position) override
    {
        Q_UNUSED(position);
        PromptText text;
        const bool preamble = question == GeneratePlan::preambleItem();
        if (!preamble && question != GeneratePlan::storyItem())
            return Error::internal(u"a generate run has no item '%1'"_s.arg(question));
        if (m_plan.llm.chat) {
            if (!m_plan.llm.systemPrompt.isEmpty())
                text.messages.append({u"system"_s, m_plan.llm.systemPrompt});
            if (!m_plan.preambleQuestion.isEmpty() && m_plan.primed.isEmpty())
                text.messages.append({u"user"_s, m_plan.preambleQuestion});
            if (!preamble) {
                if (m_answer)
                    text.messages.append({u"assistant"_s, *m_answer});
                text.messages.append(
                    {u"user"_s, m_plan.primed.value(m_index).prefix + m_plan.backstoryQuestion});
            }
        } else {
            text.prompt =
                preamble ? m_plan.turn(m_plan.preambleQuestion) : m_plan.storyPrompt(m_index, m_answer);
        }
        return text;
    }
    void recordAnswer(const QString &raw) override { m_answer = raw; }

private:
    const GeneratePlan &m_plan;
    int m_index;
    std::optional<QString> m_answer;
};

} // namespace

GenerateItemBuilder::GenerateItemBuilder(GeneratePlan plan) : m_plan(std::move(plan)) {}

int GenerateItemBuilder::storyIndex(const QString &persona)
{
    if (!persona.startsWith(u"story-"_s))
        return -1;
    bool ok = false;
    const int index = persona.mid(6).toInt(&ok);
    return ok ? index : -1;
}

Result<std::unique_ptr<RunConversation>> GenerateItemBuilder::conversation(const BackstoryStore &,
                                                                           const QString &persona, int) const
{
    const int index = storyIndex(persona);
    if (index < 0)
        return Error::internal(u"'%1' is not a story of a generate run"_s.arg(persona));
    return std::unique_ptr<RunConversation>(std::make_unique<GenerateConversation>(m_plan, index));
}

PromptText GenerateItemBuilder::storyPrompt(int index) const
{
    GenerateConversation c(m_plan, index);
    return *c.next(GeneratePlan::storyItem(), 0);
}

QList<PreviewPrompt> GenerateItemBuilder::preview(int index, const QString &answerTemplate) const
{
    GenerateConversation c(m_plan, index);
    QList<PreviewPrompt> out;
    if (m_plan.hasPreamble()) {
        const QString item = GeneratePlan::preambleItem();
        out.append({item, *c.next(item, 0), {}});
        c.recordAnswer(QString(answerTemplate).replace(u"{id}"_s, item));
    }
    out.append({GeneratePlan::storyItem(), *c.next(GeneratePlan::storyItem(), out.size()), {}});
    return out;
}

LlmRequest GenerateItemBuilder::request(const PromptText &prompt, const QString &persona,
                                        const QString &question, int sample) const
{
    LlmRequest r = baseRequest(prompt, m_plan.llm, {});
    if (question == GeneratePlan::preambleItem()) {
        r.maxTokens = 100;
        if (!r.chat)
            r.stop = RoleText::newlineAndSurveyorStops(m_plan.roles);
    } else {
        if (!r.chat) {
            if (!m_plan.roles.surveyor.isEmpty())
                r.stop << m_plan.roles.surveyor;
            r.stop << u"Q:"_s << u"Interview"_s;
        }
        // The summed token logprob is stored with the story: one logprob per token suffices.
        r.logprobs = r.chat ? m_plan.llm.topLogprobs.value_or(0) : m_plan.llm.logprobs.value_or(1);
    }
    r.seed = seedFor(persona, question, sample);
    return r;
}

Result<LlmRequest> GenerateItemBuilder::independentRequest(const BackstoryStore &, const StoredItem &item)
{
    const int index = storyIndex(item.persona);
    if (index < 0 || item.question != GeneratePlan::storyItem() || m_plan.hasPreamble())
        return Error::internal(u"'%1 %2' is not a story asked on its own"_s.arg(item.persona, item.question));
    return request(storyPrompt(index), item.persona, item.question, item.sample);
}

qint64 GenerateItemBuilder::seedFor(const QString &persona, const QString &question, int sample) const
{
    const quint64 base = seedBase(m_plan.llm, m_plan.seed);
    // The run name is part of the key: a second generation under another name writes other
    // stories (and misses the request cache) with the same config seed.
    return derivedSeed(base, m_plan.name + u'/' + persona, question, sample);
}

int GenerateItemBuilder::maxReasks() const
{
    return m_plan.hasPreamble() ? qMax(0, m_plan.maxPreambleAttempts - 1) : 0;
}

int GenerateItemBuilder::reaskSample(int baseSample, int reask) const
{
    return reask <= 0 ? baseSample : 1 + baseSample * qMax(1, maxReasks()) + reask - 1;
}

void GenerateItemBuilder::readAnswer(const QString &, const QString &question, const LlmResponse &response,
                                     ItemResult &result) const
{
    if (response.choices.isEmpty()) {
        result.compliant = false;
        return;
    }
    const LlmChoice &choice = response.choices.first();
    result.rawAnswer = choice.text;
    if (question == GeneratePlan::preambleItem()) {
        result.compliant = BackstoryPromptBuilder::preambleAccepted(choice.text);
        result.parsedAnswer = result.compliant ? u"yes"_s : QString();
        return;
    }
    result.compliant = true;
    qint64 tokens = 0;
    double logprob = 0.0;
    if (choice.hasLogprobs && !choice.logprobs.isEmpty()) {
        tokens = choice.logprobs.size();
        for (const TokenLogprob &t : choice.logprobs)
            if (!std::isnan(t.logprob))
                logprob += t.logprob;
    } else {
        tokens = response.usage.completionTokens;
    }
    QJsonObject story{{u"tokens"_s, double(tokens)},
                      {u"finish_reason"_s, choice.finishReason},
                      {u"model"_s, response.model}};
    if (choice.hasLogprobs)
        story.insert(u"logprob"_s, logprob);
    result.distribution = QJsonDocument(story).toJson(QJsonDocument::Compact);
}

} // namespace anthology
