#include "run/RunItemBuilder.h"

#include "llm/LlmRequest.h"
#include "run/DemographicsItemBuilder.h"
#include "run/GenerateItemBuilder.h"
#include "run/RunTypes.h"
#include "run/SurveyChain.h"
#include "run/SurveyItemBuilder.h"
#include "run/SurveyPlan.h"
#include "survey/SurveyTypes.h"
#include "util/SeededRandom.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace anthology {

Result<std::unique_ptr<RunItemBuilder>> RunItemBuilder::forRun(const RunInfo &run)
{
    QJsonParseError parseError{};
    const QJsonDocument config = QJsonDocument::fromJson(run.config.toUtf8(), &parseError);
    if (!config.isObject())
        return Error::user(
            u"run %1 has an unreadable config: %2"_s.arg(run.id).arg(parseError.errorString()));
    const QJsonObject json = config.object();
    if (run.kind == u"survey"_s || run.kind.isEmpty()) {
        Result<SurveyPlan> plan = SurveyPlan::fromJson(json);
        if (!plan)
            return plan.error();
        return std::unique_ptr<RunItemBuilder>(std::make_unique<SurveyItemBuilder>(*plan));
    }
    if (run.kind == QLatin1StringView(GeneratePlan::kind)) {
        Result<GeneratePlan> plan = GeneratePlan::fromJson(json);
        if (!plan)
            return plan.error();
        return std::unique_ptr<RunItemBuilder>(std::make_unique<GenerateItemBuilder>(*plan));
    }
    if (run.kind == DemographicsPlan::samplingKind() || run.kind == DemographicsPlan::parserKind()) {
        Result<DemographicsPlan> plan = DemographicsPlan::fromJson(json);
        if (!plan)
            return plan.error();
        return std::unique_ptr<RunItemBuilder>(std::make_unique<DemographicsItemBuilder>(*plan));
    }
    return Error::user(u"run %1 is of kind '%2', which this version cannot run (expected survey, generate, "
                       "demographics or demographics_parser)"_s.arg(run.id)
                           .arg(run.kind));
}

Result<LlmParameters> RunItemBuilder::llmOf(const RunInfo &run)
{
    Result<std::unique_ptr<RunItemBuilder>> builder = forRun(run);
    if (!builder)
        return builder.error();
    return (*builder)->llm();
}

std::optional<int> RunItemBuilder::configuredInFlight(const RunInfo &run)
{
    const QJsonObject config = QJsonDocument::fromJson(run.config.toUtf8()).object();
    const QJsonValue llmCap = config.value(u"llm"_s).toObject().value(u"max_in_flight"_s);
    if (llmCap.isDouble() && llmCap.toInt() >= 1)
        return llmCap.toInt();
    for (const QJsonValue &v :
         {config.value(u"num_processes"_s), config.value(u"run"_s).toObject().value(u"num_processes"_s)})
        if (v.isDouble() && v.toInt() >= 1)
            return v.toInt();
    return std::nullopt;
}

Result<std::unique_ptr<RunConversation>> RunItemBuilder::conversation(const BackstoryStore &, const QString &,
                                                                      int) const
{
    return Error::internal(u"this run kind asks no questions in series"_s);
}

Result<LlmRequest> RunItemBuilder::independentRequest(const BackstoryStore &, const StoredItem &item)
{
    return Error::internal(u"item %1 has no stored request and its run kind builds none"_s.arg(item.id));
}

Result<QString> RunItemBuilder::passageOnce(const QString &persona, int revision,
                                            const std::function<Result<QString>()> &read)
{
    if (persona == m_passagePersona && revision == m_passageRevision && !persona.isEmpty())
        return m_passage;
    Result<QString> passage = read();
    if (!passage)
        return passage.error();
    m_passagePersona = persona;
    m_passageRevision = revision;
    m_passage = *passage;
    return m_passage;
}

LlmRequest RunItemBuilder::baseRequest(const PromptText &prompt, const LlmParameters &llm,
                                       const QStringList &completionStops)
{
    LlmRequest r;
    r.chat = llm.chat;
    if (r.chat) {
        for (const auto &m : prompt.messages)
            r.messages.append({m.first, m.second});
    } else {
        r.prompt = prompt.prompt;
        r.stop = completionStops;
    }
    r.model = llm.modelName;
    r.maxTokens = llm.maxTokens;
    r.temperature = llm.temperature;
    r.topP = llm.topP;
    return r;
}

qint64 RunItemBuilder::derivedSeed(quint64 base, const QString &persona, const QString &question, int sample)
{
    const QByteArray key =
        "request/"_ba + persona.toUtf8() + '/' + question.toUtf8() + '/' + QByteArray::number(sample);
    return qint64(SeededRandom::derive(base, key).next() & 0x7fffffffu);
}

quint64 RunItemBuilder::seedBase(const LlmParameters &llm, qint64 planSeed)
{
    return llm.seed ? quint64(*llm.seed) : quint64(planSeed);
}

} // namespace anthology
