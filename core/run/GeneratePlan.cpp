#include "run/GeneratePlan.h"

#include "prompt/RoleText.h"
#include "run/LlmParametersJson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace anthology {

QString GeneratePlan::storyKey(int index)
{
    return u"story-%1"_s.arg(qlonglong(index), 5, 10, QChar(u'0'));
}

QString GeneratePlan::turn(const QString &question) const
{
    return RoleText::ask(roles, question) + u"\n\n"_s + RoleText::answerCue(roles);
}

QString GeneratePlan::passageHead() const
{
    return turn(backstoryQuestion);
}

QString GeneratePlan::storyPrompt(int index, const std::optional<QString> &preambleAnswer) const
{
    if (!primed.isEmpty())
        return primed.value(index).prefix + turn(backstoryQuestion);
    if (preambleAnswer)
        return turn(preambleQuestion) + *preambleAnswer + u"\n\n"_s + turn(backstoryQuestion);
    return turn(backstoryQuestion);
}

QJsonObject GeneratePlan::toJson() const
{
    QJsonArray primedJson;
    for (const PrimedStory &p : primed)
        primedJson.append(QJsonObject{{u"qkey"_s, p.qkey}, {u"weight"_s, p.weight}, {u"prefix"_s, p.prefix}});
    QJsonObject out{{u"kind"_s, QString::fromLatin1(kind)},
                    {u"name"_s, name},
                    {u"surveyor"_s, roles.surveyor},
                    {u"respondent"_s, roles.respondent},
                    {u"connector"_s, roles.connector},
                    {u"preamble_question"_s, preambleQuestion},
                    {u"backstory_question"_s, backstoryQuestion},
                    {u"num_backstories"_s, count},
                    {u"llm"_s, llmParametersToJson(llm)},
                    {u"seed"_s, seed},
                    {u"max_preamble_attempts"_s, maxPreambleAttempts},
                    {u"fresh_samples"_s, freshSamples},
                    {u"prompt_style"_s, promptStyle},
                    {u"dataset"_s, dataset},
                    {u"primed"_s, primedJson}};
    if (numProcesses > 0)
        out.insert(u"num_processes"_s, numProcesses);
    return out;
}

Result<GeneratePlan> GeneratePlan::fromJson(const QJsonObject &json)
{
    if (json.value(u"kind"_s).toString() != QLatin1StringView(kind) || !json.contains(u"llm"_s))
        return Error::user(u"the run's stored config is not a generation plan (expected kind 'generate')"_s);
    GeneratePlan p;
    p.name = json.value(u"name"_s).toString();
    p.roles.surveyor = json.value(u"surveyor"_s).toString(u"Question"_s);
    p.roles.respondent = json.value(u"respondent"_s).toString(u"Answer"_s);
    p.roles.connector = json.value(u"connector"_s).toString(u":"_s);
    p.preambleQuestion = json.value(u"preamble_question"_s).toString();
    p.backstoryQuestion = json.value(u"backstory_question"_s).toString();
    p.count = json.value(u"num_backstories"_s).toInt();
    p.llm = llmParametersFromJson(json.value(u"llm"_s).toObject());
    p.seed = json.value(u"seed"_s).toInt(42);
    p.numProcesses = json.value(u"num_processes"_s).toInt(0);
    p.maxPreambleAttempts = json.value(u"max_preamble_attempts"_s).toInt(10);
    p.freshSamples = json.value(u"fresh_samples"_s).toBool();
    p.promptStyle = json.value(u"prompt_style"_s).toString();
    p.dataset = json.value(u"dataset"_s).toString();
    for (const QJsonValue &v : json.value(u"primed"_s).toArray()) {
        const QJsonObject o = v.toObject();
        p.primed.append({o.value(u"qkey"_s).toString(), o.value(u"weight"_s).toDouble(1.0),
                         o.value(u"prefix"_s).toString()});
    }
    return p;
}

} // namespace anthology
