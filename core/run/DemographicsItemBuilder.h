#pragma once

#include "run/DemographicsPlan.h"
#include "run/RunItemBuilder.h"

#include <QByteArray>
#include <QList>

namespace anthology {

// The items of a "demographics" run and of its "demographics_parser" pass. The distribution
// column of a sampling item holds (SESSION2 contract)
//   {"trait", "choices": every label in questionnaire order, "counts": one per choice plus
//    the non-compliant bucket, "probabilities": same length, "source": "sampling"|"logprobs"}
// and a parser item that names an answer holds the one-hot form with source "llm_parser".
class DemographicsItemBuilder : public RunItemBuilder
{
public:
    explicit DemographicsItemBuilder(DemographicsPlan plan);

    const DemographicsPlan &plan() const { return m_plan; }

    const LlmParameters &llm() const override { return m_plan.llm; }
    bool inSeries() const override { return false; }
    bool freshSamples() const override { return m_plan.freshSamples; }
    LlmRequest request(const PromptText &prompt, const QString &persona, const QString &question,
                       int sample) const override;
    Result<LlmRequest> independentRequest(const BackstoryStore &store, const StoredItem &item) override;
    qint64 seedFor(const QString &persona, const QString &question, int sample) const override;
    int reaskSample(int baseSample, int reask) const override { return baseSample + reask; }
    int maxReasks() const override { return 0; }
    void readAnswer(const QString &persona, const QString &question, const LlmResponse &response,
                    ItemResult &result) const override;

    // The request of (persona, trait) after the persona's passage.
    LlmRequest traitRequest(const QString &passage, const QString &persona,
                            const DemographicQuestion &trait) const;

    static QByteArray distributionJson(const DemographicQuestion &trait, const QList<int> &counts,
                                       const QList<double> &probabilities, const QString &source);
    // The parser's one-hot distribution for choice `index` of the trait.
    static QByteArray oneHotJson(const DemographicQuestion &trait, int index);

private:
    DemographicsPlan m_plan;
};

} // namespace anthology
