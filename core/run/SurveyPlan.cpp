#include "run/SurveyPlan.h"

#include "run/LlmParametersJson.h"
#include "run/McqFormatJson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace anthology {

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
    const QJsonObject run{{u"seed"_s, options.seed},
                          {u"num_processes"_s, options.numProcesses},
                          {u"in_series"_s, options.inSeries},
                          {u"include_compliance_forcing"_s, options.includeComplianceForcing},
                          {u"number_compliance_forcing"_s, options.numberComplianceForcing},
                          {u"randomize_option_order"_s, options.randomizeOptionOrder},
                          {u"randomize_question_order"_s, options.randomizeQuestionOrder},
                          {u"include_answer_forcing"_s, options.includeAnswerForcing},
                          {u"consistency_prompt"_s, options.consistencyPrompt},
                          {u"text_rule"_s, behaviourName(options.textRule)},
                          {u"label_match"_s, behaviourName(options.labelMatch)},
                          {u"no_conditioning"_s, noConditioning}};
    QJsonObject out{{u"name"_s, name},
                    {u"personas"_s, QJsonArray::fromStringList(personas)},
                    {u"wave"_s, questionnaire.wave},
                    {u"questions"_s, questions},
                    {u"format"_s, mcqFormatToJson(format)},
                    {u"run"_s, run},
                    {u"llm"_s, llmParametersToJson(llm)},
                    {u"samples"_s, samples},
                    {u"fresh_samples"_s, freshSamples}};
    if (personaSetId > 0)
        out.insert(u"persona_set"_s,
                   QJsonObject{{u"id"_s, double(personaSetId)}, {u"name"_s, personaSetName}});
    return out;
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
    p.format = mcqFormatFromJson(json.value(u"format"_s).toObject());
    const QJsonObject r = json.value(u"run"_s).toObject();
    p.options.seed = r.value(u"seed"_s).toInt(42);
    p.options.numProcesses = r.value(u"num_processes"_s).toInt(p.options.numProcesses);
    p.options.inSeries = r.value(u"in_series"_s).toBool(true);
    p.options.includeComplianceForcing = r.value(u"include_compliance_forcing"_s).toBool();
    p.options.numberComplianceForcing = r.value(u"number_compliance_forcing"_s).toInt(100);
    p.options.randomizeOptionOrder = r.value(u"randomize_option_order"_s).toBool();
    p.options.randomizeQuestionOrder = r.value(u"randomize_question_order"_s).toBool();
    p.options.includeAnswerForcing = r.value(u"include_answer_forcing"_s).toBool(true);
    p.options.consistencyPrompt = r.value(u"consistency_prompt"_s).toString();
    p.options.textRule = behaviourFrom(r.value(u"text_rule"_s));
    p.options.labelMatch = behaviourFrom(r.value(u"label_match"_s));
    p.noConditioning = r.value(u"no_conditioning"_s).toBool();
    const QJsonObject set = json.value(u"persona_set"_s).toObject();
    p.personaSetId = set.value(u"id"_s).toInteger();
    p.personaSetName = set.value(u"name"_s).toString();
    p.llm = llmParametersFromJson(json.value(u"llm"_s).toObject());
    p.samples = json.value(u"samples"_s).toInt(1);
    p.freshSamples = json.value(u"fresh_samples"_s).toBool();
    return p;
}

} // namespace anthology
