#include "run/LlmParametersJson.h"

#include "survey/SurveyTypes.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

template <typename T> void putOptional(QJsonObject &o, const QString &key, const std::optional<T> &v)
{
    if (v)
        o.insert(key, *v);
}
std::optional<int> optionalInt(const QJsonObject &o, const QString &key)
{
    return o.contains(key) ? std::optional<int>(o.value(key).toInt()) : std::nullopt;
}
std::optional<double> optionalDouble(const QJsonObject &o, const QString &key)
{
    return o.contains(key) ? std::optional<double>(o.value(key).toDouble()) : std::nullopt;
}

} // namespace

QJsonObject llmParametersToJson(const LlmParameters &llm)
{
    QJsonObject o{{u"model_name"_s, llm.modelName},       {u"api_provider"_s, llm.apiProvider},
                  {u"base_url"_s, llm.baseUrl},           {u"api_key_env"_s, llm.apiKeyEnv},
                  {u"system_prompt"_s, llm.systemPrompt}, {u"chat"_s, llm.chat},
                  {u"temperature"_s, llm.temperature},    {u"top_p"_s, llm.topP},
                  {u"max_tokens"_s, llm.maxTokens}};
    putOptional(o, u"logprobs"_s, llm.logprobs);
    putOptional(o, u"top_logprobs"_s, llm.topLogprobs);
    putOptional(o, u"seed"_s, llm.seed);
    putOptional(o, u"price_per_1k_prompt_tokens"_s, llm.pricePer1kPromptTokens);
    putOptional(o, u"price_per_1k_completion_tokens"_s, llm.pricePer1kCompletionTokens);
    putOptional(o, u"requests_per_minute"_s, llm.requestsPerMinute);
    putOptional(o, u"tokens_per_minute"_s, llm.tokensPerMinute);
    putOptional(o, u"max_n"_s, llm.maxN);
    putOptional(o, u"max_logprobs"_s, llm.maxLogprobs);
    putOptional(o, u"max_in_flight"_s, llm.maxInFlight);
    putOptional(o, u"request_timeout"_s, llm.requestTimeoutS);
    putOptional(o, u"stall_timeout"_s, llm.stallTimeoutS);
    putOptional(o, u"unreachable_timeout"_s, llm.unreachableTimeoutS);
    putOptional(o, u"max_retries"_s, llm.maxRetries);
    if (!llm.endpoints.isEmpty()) {
        QJsonArray endpoints;
        for (const LlmEndpoint &e : llm.endpoints) {
            QJsonObject endpoint{{u"base_url"_s, e.baseUrl}};
            putOptional(endpoint, u"max_in_flight"_s, e.maxInFlight);
            putOptional(endpoint, u"requests_per_minute"_s, e.requestsPerMinute);
            putOptional(endpoint, u"tokens_per_minute"_s, e.tokensPerMinute);
            endpoints.append(endpoint);
        }
        o.insert(u"base_urls"_s, endpoints);
    }
    if (llm.allowInsecure)
        o.insert(u"allow_insecure"_s, true);
    return o;
}

LlmParameters llmParametersFromJson(const QJsonObject &l)
{
    LlmParameters p;
    p.modelName = l.value(u"model_name"_s).toString();
    p.apiProvider = l.value(u"api_provider"_s).toString(u"localhost"_s);
    p.baseUrl = l.value(u"base_url"_s).toString();
    p.apiKeyEnv = l.value(u"api_key_env"_s).toString();
    p.systemPrompt = l.value(u"system_prompt"_s).toString();
    p.chat = l.value(u"chat"_s).toBool();
    p.temperature = l.value(u"temperature"_s).toDouble(1.0);
    p.topP = l.value(u"top_p"_s).toDouble(1.0);
    p.maxTokens = l.value(u"max_tokens"_s).toInt(256);
    p.logprobs = optionalInt(l, u"logprobs"_s);
    p.topLogprobs = optionalInt(l, u"top_logprobs"_s);
    p.seed = optionalInt(l, u"seed"_s);
    p.pricePer1kPromptTokens = optionalDouble(l, u"price_per_1k_prompt_tokens"_s);
    p.pricePer1kCompletionTokens = optionalDouble(l, u"price_per_1k_completion_tokens"_s);
    p.requestsPerMinute = optionalInt(l, u"requests_per_minute"_s);
    p.tokensPerMinute = optionalInt(l, u"tokens_per_minute"_s);
    p.maxN = optionalInt(l, u"max_n"_s);
    p.maxLogprobs = optionalInt(l, u"max_logprobs"_s);
    p.maxInFlight = optionalInt(l, u"max_in_flight"_s);
    p.requestTimeoutS = optionalDouble(l, u"request_timeout"_s);
    p.stallTimeoutS = optionalDouble(l, u"stall_timeout"_s);
    p.unreachableTimeoutS = optionalDouble(l, u"unreachable_timeout"_s);
    p.maxRetries = optionalInt(l, u"max_retries"_s);
    for (const QJsonValue &v : l.value(u"base_urls"_s).toArray()) {
        const QJsonObject o = v.toObject();
        p.endpoints.append({o.value(u"base_url"_s).toString(), optionalInt(o, u"max_in_flight"_s),
                            optionalInt(o, u"requests_per_minute"_s),
                            optionalInt(o, u"tokens_per_minute"_s)});
    }
    p.allowInsecure = l.value(u"allow_insecure"_s).toBool();
    return p;
}

} // namespace anthology
