#include "run/SurveyPlan.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

QString symbolName(SymbolSet s)
{
    switch (s) {
    case SymbolSet::Uppercase:
        return u"uppercase"_s;
    case SymbolSet::Lowercase:
        return u"lowercase"_s;
    case SymbolSet::Number:
        return u"number"_s;
    }
    return u"uppercase"_s;
}

SymbolSet symbolFrom(const QString &s)
{
    if (s == u"lowercase"_s)
        return SymbolSet::Lowercase;
    if (s == u"number"_s)
        return SymbolSet::Number;
    return SymbolSet::Uppercase;
}

QString behaviourName(Behaviour b)
{
    return b == Behaviour::Seed ? u"seed"_s : u"ours"_s;
}
Behaviour behaviourFrom(const QJsonValue &v)
{
    return v.toString() == u"seed"_s ? Behaviour::Seed : Behaviour::Ours;
}

void putOptional(QJsonObject &o, const QString &key, const std::optional<int> &v)
{
    if (v)
        o.insert(key, *v);
}
void putOptional(QJsonObject &o, const QString &key, const std::optional<double> &v)
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

QJsonObject SurveyPlan::toJson() const
{
    QJsonArray questions;
    for (const Question &q : questionnaire.questions) {
        QJsonArray patterns;
        for (const QList<int> &p : q.randomizationPatterns) {
            QJsonArray pattern;
            for (int i : p)
                pattern.append(i);
            patterns.append(pattern);
        }
        questions.append(QJsonObject{{u"id"_s, q.id},
                                     {u"question_body"_s, q.body},
                                     {u"choices"_s, QJsonArray::fromStringList(q.choices)},
                                     {u"allow_randomization"_s, q.allowRandomization},
                                     {u"randomization_pattern"_s, patterns}});
    }
    const QJsonObject format{{u"mcq_symbol"_s, symbolName(this->format.symbol)},
                             {u"choice_left"_s, this->format.choice.leftSymbol},
                             {u"choice_right"_s, this->format.choice.rightSymbol},
                             {u"surveyor"_s, this->format.roles.surveyor},
                             {u"respondent"_s, this->format.roles.respondent},
                             {u"connector"_s, this->format.roles.connector},
                             {u"answer_forcing"_s, behaviourName(this->format.forcing)}};
    const QJsonObject run{{u"seed"_s, options.seed},
                          {u"in_series"_s, options.inSeries},
                          {u"include_compliance_forcing"_s, options.includeComplianceForcing},
                          {u"number_compliance_forcing"_s, options.numberComplianceForcing},
                          {u"randomize_option_order"_s, options.randomizeOptionOrder},
                          {u"randomize_question_order"_s, options.randomizeQuestionOrder},
                          {u"include_answer_forcing"_s, options.includeAnswerForcing},
                          {u"consistency_prompt"_s, options.consistencyPrompt},
                          {u"text_rule"_s, behaviourName(options.textRule)},
                          {u"label_match"_s, behaviourName(options.labelMatch)}};
    QJsonObject llmJson{{u"model_name"_s, llm.modelName},       {u"api_provider"_s, llm.apiProvider},
                        {u"base_url"_s, llm.baseUrl},           {u"api_key_env"_s, llm.apiKeyEnv},
                        {u"system_prompt"_s, llm.systemPrompt}, {u"chat"_s, llm.chat},
                        {u"temperature"_s, llm.temperature},    {u"top_p"_s, llm.topP},
                        {u"max_tokens"_s, llm.maxTokens}};
    putOptional(llmJson, u"logprobs"_s, llm.logprobs);
    putOptional(llmJson, u"top_logprobs"_s, llm.topLogprobs);
    putOptional(llmJson, u"seed"_s, llm.seed);
    putOptional(llmJson, u"price_per_1k_prompt_tokens"_s, llm.pricePer1kPromptTokens);
    putOptional(llmJson, u"price_per_1k_completion_tokens"_s, llm.pricePer1kCompletionTokens);
    putOptional(llmJson, u"max_n"_s, llm.maxN);
    putOptional(llmJson, u"max_logprobs"_s, llm.maxLogprobs);
    putOptional(llmJson, u"max_in_flight"_s, llm.maxInFlight);
    putOptional(llmJson, u"requests_per_minute"_s, llm.requestsPerMinute);
    putOptional(llmJson, u"tokens_per_minute"_s, llm.tokensPerMinute);
    if (!llm.endpoints.isEmpty()) {
        QJsonArray endpoints;
        for (const LlmEndpoint &e : llm.endpoints) {
            QJsonObject o{{u"base_url"_s, e.baseUrl}};
            putOptional(o, u"max_in_flight"_s, e.maxInFlight);
            putOptional(o, u"requests_per_minute"_s, e.requestsPerMinute);
            putOptional(o, u"tokens_per_minute"_s, e.tokensPerMinute);
            endpoints.append(o);
        }
        llmJson.insert(u"base_urls"_s, endpoints);
    }
    return QJsonObject{{u"name"_s, name},
                       {u"personas"_s, QJsonArray::fromStringList(personas)},
                       {u"wave"_s, questionnaire.wave},
                       {u"questions"_s, questions},
                       {u"format"_s, format},
                       {u"run"_s, run},
                       {u"llm"_s, llmJson},
                       {u"samples"_s, samples},
                       {u"fresh_samples"_s, freshSamples}};
}

Result<SurveyPlan> SurveyPlan::fromJson(const QJsonObject &json)
{
    if (!json.contains(u"questions"_s) || !json.contains(u"run"_s))
        return Error::user(
            u"the run's stored config is not a survey plan (expected 'questions' and 'run')"_s);
    SurveyPlan p;
    p.name = json.value(u"name"_s).toString();
    for (const QJsonValue &v : json.value(u"personas"_s).toArray())
        p.personas.append(v.toString());
    p.questionnaire.wave = json.value(u"wave"_s).toInt();
    for (const QJsonValue &qv : json.value(u"questions"_s).toArray()) {
        const QJsonObject qo = qv.toObject();
        Question q;
        q.id = qo.value(u"id"_s).toString();
        q.body = qo.value(u"question_body"_s).toString();
        for (const QJsonValue &c : qo.value(u"choices"_s).toArray())
            q.choices.append(c.toString());
        q.allowRandomization = qo.value(u"allow_randomization"_s).toBool();
        for (const QJsonValue &pv : qo.value(u"randomization_pattern"_s).toArray()) {
            QList<int> pattern;
            for (const QJsonValue &i : pv.toArray())
                pattern.append(i.toInt());
            q.randomizationPatterns.append(pattern);
        }
        p.questionnaire.questions.append(q);
    }
    const QJsonObject f = json.value(u"format"_s).toObject();
    p.format.symbol = symbolFrom(f.value(u"mcq_symbol"_s).toString());
    p.format.choice.leftSymbol = f.value(u"choice_left"_s).toString(u"("_s);
    p.format.choice.rightSymbol = f.value(u"choice_right"_s).toString(u")"_s);
    p.format.roles.surveyor = f.value(u"surveyor"_s).toString(u"Question"_s);
    p.format.roles.respondent = f.value(u"respondent"_s).toString(u"Answer"_s);
    p.format.roles.connector = f.value(u"connector"_s).toString(u":"_s);
    p.format.forcing = behaviourFrom(f.value(u"answer_forcing"_s));
    const QJsonObject r = json.value(u"run"_s).toObject();
    p.options.seed = r.value(u"seed"_s).toInt(42);
    p.options.inSeries = r.value(u"in_series"_s).toBool(true);
    p.options.includeComplianceForcing = r.value(u"include_compliance_forcing"_s).toBool();
    p.options.numberComplianceForcing = r.value(u"number_compliance_forcing"_s).toInt(100);
    p.options.randomizeOptionOrder = r.value(u"randomize_option_order"_s).toBool();
    p.options.randomizeQuestionOrder = r.value(u"randomize_question_order"_s).toBool();
    p.options.includeAnswerForcing = r.value(u"include_answer_forcing"_s).toBool(true);
    p.options.consistencyPrompt = r.value(u"consistency_prompt"_s).toString();
    p.options.textRule = behaviourFrom(r.value(u"text_rule"_s));
    p.options.labelMatch = behaviourFrom(r.value(u"label_match"_s));
    const QJsonObject l = json.value(u"llm"_s).toObject();
    p.llm.modelName = l.value(u"model_name"_s).toString();
    p.llm.apiProvider = l.value(u"api_provider"_s).toString(u"localhost"_s);
    p.llm.baseUrl = l.value(u"base_url"_s).toString();
    p.llm.apiKeyEnv = l.value(u"api_key_env"_s).toString();
    p.llm.systemPrompt = l.value(u"system_prompt"_s).toString();
    p.llm.chat = l.value(u"chat"_s).toBool();
    p.llm.temperature = l.value(u"temperature"_s).toDouble(1.0);
    p.llm.topP = l.value(u"top_p"_s).toDouble(1.0);
    p.llm.maxTokens = l.value(u"max_tokens"_s).toInt(256);
    p.llm.logprobs = optionalInt(l, u"logprobs"_s);
    p.llm.topLogprobs = optionalInt(l, u"top_logprobs"_s);
    p.llm.seed = optionalInt(l, u"seed"_s);
    p.llm.pricePer1kPromptTokens = optionalDouble(l, u"price_per_1k_prompt_tokens"_s);
    p.llm.pricePer1kCompletionTokens = optionalDouble(l, u"price_per_1k_completion_tokens"_s);
    p.llm.maxN = optionalInt(l, u"max_n"_s);
    p.llm.maxLogprobs = optionalInt(l, u"max_logprobs"_s);
    p.llm.maxInFlight = optionalInt(l, u"max_in_flight"_s);
    p.llm.requestsPerMinute = optionalInt(l, u"requests_per_minute"_s);
    p.llm.tokensPerMinute = optionalInt(l, u"tokens_per_minute"_s);
    for (const QJsonValue &v : l.value(u"base_urls"_s).toArray()) {
        const QJsonObject o = v.toObject();
        p.llm.endpoints.append({o.value(u"base_url"_s).toString(), optionalInt(o, u"max_in_flight"_s),
                                optionalInt(o, u"requests_per_minute"_s),
                                optionalInt(o, u"tokens_per_minute"_s)});
    }
    p.samples = json.value(u"samples"_s).toInt(1);
    p.freshSamples = json.value(u"fresh_samples"_s).toBool();
    return p;
}

} // namespace anthology
