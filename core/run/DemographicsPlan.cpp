#include "run/DemographicsPlan.h"

#include "run/LlmParametersJson.h"
#include "run/McqFormatJson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace anthology {

const DemographicQuestion *DemographicsPlan::trait(const QString &key) const
{
    for (const DemographicQuestion &t : questionnaire.traits)
        if (t.key == key)
            return &t;
    return nullptr;
}

QJsonObject DemographicsPlan::toJson() const
{
    QJsonArray traits;
    for (const DemographicQuestion &t : questionnaire.traits)
        traits.append(QJsonObject{{u"key"_s, t.key},
                                  {u"question"_s, t.question},
                                  {u"is_numerical"_s, t.isNumerical},
                                  {u"choices"_s, QJsonArray::fromStringList(t.choices)},
                                  {u"llm_parser_question"_s, t.llmParserQuestion},
                                  {u"topic"_s, t.topic},
                                  {u"bio_template"_s, t.bioTemplate}});
    QJsonObject out{{u"kind"_s, kind()},
                    {u"name"_s, name},
                    {u"personas"_s, QJsonArray::fromStringList(personas)},
                    {u"traits"_s, traits},
                    {u"format"_s, mcqFormatToJson(format)},
                    {u"include_answer_forcing"_s, includeAnswerForcing},
                    {u"use_prefer_not_to_answer"_s, usePreferNotToAnswer},
                    {u"num_sample_response"_s, samples},
                    {u"logprob_route"_s, logprobRoute},
                    {u"llm"_s, llmParametersToJson(llm)},
                    {u"seed"_s, seed},
                    {u"fresh_samples"_s, freshSamples}};
    if (numProcesses > 0)
        out.insert(u"num_processes"_s, numProcesses);
    return out;
}

Result<DemographicsPlan> DemographicsPlan::fromJson(const QJsonObject &json)
{
    const QString kind = json.value(u"kind"_s).toString();
    if ((kind != samplingKind() && kind != parserKind()) || !json.contains(u"traits"_s))
        return Error::user(u"the run's stored config is not a demographics plan"_s);
    DemographicsPlan p;
    p.parser = kind == parserKind();
    p.name = json.value(u"name"_s).toString();
    for (const QJsonValue &v : json.value(u"personas"_s).toArray())
        p.personas.append(v.toString());
    for (const QJsonValue &v : json.value(u"traits"_s).toArray()) {
        const QJsonObject o = v.toObject();
        DemographicQuestion t;
        t.key = o.value(u"key"_s).toString();
        t.question = o.value(u"question"_s).toString();
        t.isNumerical = o.value(u"is_numerical"_s).toBool();
        for (const QJsonValue &c : o.value(u"choices"_s).toArray())
            t.choices.append(c.toString());
        t.llmParserQuestion = o.value(u"llm_parser_question"_s).toString();
        t.topic = o.value(u"topic"_s).toString();
        t.bioTemplate = o.value(u"bio_template"_s).toString();
        p.questionnaire.traits.append(t);
    }
    p.format = mcqFormatFromJson(json.value(u"format"_s).toObject());
    p.includeAnswerForcing = json.value(u"include_answer_forcing"_s).toBool(true);
    p.usePreferNotToAnswer = json.value(u"use_prefer_not_to_answer"_s).toBool(true);
    p.samples = json.value(u"num_sample_response"_s).toInt(40);
    p.logprobRoute = json.value(u"logprob_route"_s).toBool();
    p.llm = llmParametersFromJson(json.value(u"llm"_s).toObject());
    p.seed = json.value(u"seed"_s).toInt(42);
    p.numProcesses = json.value(u"num_processes"_s).toInt(0);
    p.freshSamples = json.value(u"fresh_samples"_s).toBool();
    return p;
}

} // namespace anthology
