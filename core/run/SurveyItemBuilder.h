#pragma once

#include "run/PreviewPrompt.h"
#include "run/RunItemBuilder.h"
#include "run/SurveyChain.h"
#include "run/SurveyPlan.h"
#include "util/Result.h"

#include <QHash>
#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace anthology {

class BackstoryStore;
class OptionOrder;
struct ItemResult;
struct ParsedAnswer;
struct LlmRequest;
struct LlmResponse;

// The per-item pieces of a survey plan, all deterministic in (plan, persona, question,
// sample): question order, option order, question text, the request with its seed, and the
// reading of the answer (parsed through the option order, plus the logprob distribution).
class SurveyItemBuilder : public RunItemBuilder
{
public:
    explicit SurveyItemBuilder(SurveyPlan plan);
    ~SurveyItemBuilder() override;

    const SurveyPlan &plan() const { return m_plan; }
    const Question *question(const QString &id) const;

    // Indices into the questionnaire, in asked order.
    QList<int> questionOrder(const QString &persona) const;
    Result<OptionOrder> optionOrder(const Question &question, const QString &persona) const;
    // The question as asked at `position` (completion or chat form), choices in shown order.
    QString questionText(const Question &question, const OptionOrder &order, int position) const;

    // The prompt of a question asked on its own (not in series), as the planner stores it.
    PromptText independentPrompt(const QString &passage, const Question &question, const OptionOrder &order,
                                 int position) const;
    // The persona's chain over the questionnaire from its passage (in series).
    std::unique_ptr<RunConversation> conversationFor(const QString &persona, const QString &passage) const;
    // Every prompt the persona gets, in asked order, built as the run builds them; in series
    // answer(questionId) stands in for each raw answer before the next question.
    Result<QList<PreviewPrompt>> preview(const QString &persona, const QString &passage,
                                         const std::function<QString(const QString &)> &answer) const;

    // The request for one sample of one item; the seed is derived from the run seed and the key.
    LlmRequest request(const PromptText &prompt, const QString &persona, const QString &question,
                       int sample) const override;
    Result<LlmRequest> independentRequest(const BackstoryStore &store, const StoredItem &item) override;
    qint64 seedFor(const QString &persona, const QString &question, int sample) const override;
    // The sample index of a compliance-forcing re-ask, unique per (persona, question).
    int reaskSample(int baseSample, int reask) const override;
    int maxReasks() const override;

    // Fills rawAnswer, parsedAnswer, option, compliant and distribution from the first choice.
    void readAnswer(const Question &question, const OptionOrder &order, const LlmResponse &response,
                    ItemResult &result) const;
    // The stored distribution: {"position", "probabilities" (original option order),
    // "recognized_mass", "unassigned_mass"} as QJsonDocument wrote it.
    static QByteArray distributionJson(int position, const QList<double> &probabilities, double recognizedMass,
                                       double unassignedMass);

    // RunItemBuilder: the persona's chain over the questionnaire, read through the option order.
    const LlmParameters &llm() const override { return m_plan.llm; }
    bool inSeries() const override { return m_plan.options.inSeries; }
    bool freshSamples() const override { return m_plan.freshSamples; }
    Result<std::unique_ptr<RunConversation>> conversation(const BackstoryStore &store, const QString &persona,
                                                          int revision) const override;
    void readAnswer(const QString &persona, const QString &question, const LlmResponse &response,
                    ItemResult &result) const override;

    // The persona's passage at the revision a run recorded (the current one, or an older text
    // with the same generation prompt in front).
    static Result<QString> passageAt(const BackstoryStore &store, const QString &uid, int revision);
    // The passage of one of this plan's personas: a backstory, or a persona set's member
    // (PersonaPassage).
    Result<QString> passageFor(const BackstoryStore &store, const QString &persona, int revision) const;

private:
    // The question's index in the plan when it is the plan's own object, else -1.
    qsizetype planIndex(const Question &question) const;
    // The answer parser of the question in that option order, kept from the last answer to it.
    ParsedAnswer parseAnswer(const Question &question, const OptionOrder &order, QStringView text) const;

    SurveyPlan m_plan;
    QHash<QString, int> m_questionIndex;
    struct Prompts;
    std::unique_ptr<Prompts> m_prompts;
};

} // namespace anthology
