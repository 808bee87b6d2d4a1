#pragma once

#include "run/GeneratePlan.h"
#include "run/RunItemBuilder.h"
#include "run/PreviewPrompt.h"

namespace anthology {

// The items of a "generate" run: the citizenship preamble (compliant when the answer says
// yes, re-asked up to the plan's bound) and the story (temperature, top_p, max_tokens and
// logprobs from the plan, stop [S, "Q:", "Interview"]). A story's distribution column holds
// {"tokens": generated tokens, "logprob": summed token logprobs, "finish_reason": ...}.
class GenerateItemBuilder : public RunItemBuilder
{
public:
    explicit GenerateItemBuilder(GeneratePlan plan);

    const GeneratePlan &plan() const { return m_plan; }
    // The story's index from its chain key, -1 when the key is not one.
    static int storyIndex(const QString &persona);

    const LlmParameters &llm() const override { return m_plan.llm; }
    bool inSeries() const override { return m_plan.hasPreamble(); }
    bool freshSamples() const override { return m_plan.freshSamples; }
    Result<std::unique_ptr<RunConversation>> conversation(const BackstoryStore &store, const QString &persona,
                                                          int revision) const override;
    LlmRequest request(const PromptText &prompt, const QString &persona, const QString &question,
                       int sample) const override;
    // A story without a preamble.
    Result<LlmRequest> independentRequest(const BackstoryStore &store, const StoredItem &item) override;
    qint64 seedFor(const QString &persona, const QString &question, int sample) const override;
    int reaskSample(int baseSample, int reask) const override;
    int maxReasks() const override;
    void readAnswer(const QString &persona, const QString &question, const LlmResponse &response,
                    ItemResult &result) const override;

    // The story prompt without a preamble.
    PromptText storyPrompt(int index) const;
    // Story `index`'s prompts in asked order (the preamble, when the plan has one, then the
    // story), built as the run builds them; `answerTemplate` ({id}: the item) stands in for the
    // preamble's answer.
    QList<PreviewPrompt> preview(int index, const QString &answerTemplate) const;

private:
    GeneratePlan m_plan;
};

} // namespace anthology
