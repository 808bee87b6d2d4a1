#include "pipeline/SurveyStep.h"

#include "data/Dataset.h"
#include "data/DatasetStore.h"
#include "data/QuestionnaireFromDataset.h"
#include "pipeline/EndpointCheck.h"
#include "pipeline/StepRunMatch.h"
#include "project/ProjectFile.h"
#include "run/PersonaSetStore.h"
#include "run/RunPlanner.h"
#include "run/RunStore.h"
#include "run/SurveyPlan.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace anthology {

Status SurveyStep::checkChoices(const Questionnaire &questionnaire, const Dataset &dataset)
{
    for (const Question &q : questionnaire.questions) {
        const qsizetype index = dataset.indexOf(q.id);
        if (index < 0)
            continue;
        const Variable &v = dataset.variable(index);
        QStringList labels;
        for (const ValueLabel &l : v.valueLabels) {
            if (QuestionnaireFromDataset::isNonSubstantive(l.value, l.label) || v.isUserMissing(l.value))
                continue;
            labels.append(l.label);
        }
        if (labels.isEmpty())
            continue;
        for (qsizetype i = 0; i < qMax(labels.size(), q.choices.size()); ++i) {
            const QString choice = q.choices.value(i);
            const QString label = labels.value(i);
            if (choice.trimmed().compare(label.trimmed(), Qt::CaseInsensitive) != 0)
                return Error::user(
                           u"question %1: choice %2 is '%3' but the data set's value label %2 of %1 is "
                           "'%4'; the answers could not be compared"_s.arg(q.id)
                               .arg(i + 1)
                               .arg(choice.isNull() ? u"(none)"_s : choice,
                                    label.isNull() ? u"(none)"_s : label))
                    .withKey(q.id);
        }
    }
    return {};
}

Status SurveyStep::check(ProjectFile &project, const SurveyConfig &config, const QString &dataset)
{
    if (!dataset.isEmpty()) {
        Result<Dataset> data = DatasetStore(project).load(dataset);
        if (!data)
            return data.error();
        if (Status st = checkChoices(config.questionnaire, *data); !st)
            return st;
    }
    return checkEndpoint(config.llm, u"llm_parameters"_s);
}

SurveyPlan SurveyStep::promptPlan(const SurveyConfig &c)
{
    SurveyPlan plan;
    plan.questionnaire = c.questionnaire;
    if (c.wave > 0 && plan.questionnaire.wave <= 0)
        plan.questionnaire.wave = c.wave;
    plan.format = c.format;
    plan.options = c.run;
    plan.llm = c.llm;
    return plan;
}

Result<SurveyPlan> SurveyStep::plan(ProjectFile &project, const SurveyStepRequest &request)
{
    const SurveyConfig &c = request.config;
    if (!c.hasQuestionnaire || c.questionnaire.questions.isEmpty())
        return Error::user(
                   u"the config has no opinion questionnaire (a questionnaire group with questions)"_s)
            .withKey(u"questionnaire"_s);
    if (!c.hasLlm)
        return Error::user(u"the config has no llm_parameters"_s).withKey(u"llm_parameters"_s);
    if (request.samples < 1)
        return Error::user(u"samples must be at least 1, got %1"_s.arg(request.samples))
            .withKey(u"samples"_s);
    SurveyPlan plan = promptPlan(c);
    plan.name = request.runName.isEmpty() ? (c.name.isEmpty() ? u"survey"_s : c.name) : request.runName;
    plan.samples = request.samples;
    plan.freshSamples = request.freshSamples;

    QString dataset = request.dataset;
    if (!request.personaSet.isEmpty()) {
        Result<PersonaSet> set = PersonaSetStore(project).load(request.personaSet);
        if (!set)
            return set.error();
        plan.personaSetId = set->id;
        plan.personaSetName = set->name;
        plan.noConditioning = set->kind == u"respondents"_s && set->style == u"nothing"_s;
        if (dataset.isEmpty())
            dataset = set->source.value(u"dataset"_s).toString();
    }
    SurveyConfig checked = c;
    checked.questionnaire = plan.questionnaire;
    if (Status st = check(project, checked, dataset); !st)
        return st.error();
    return plan;
}

Result<SurveyStepResult> SurveyStep::prepare(ProjectFile &project, const SurveyStepRequest &request)
{
    Result<SurveyPlan> p = plan(project, request);
    if (!p)
        return p.error();
    // Resuming by name must not continue a different survey under the same name.
    Result<std::optional<RunInfo>> existing =
        StepRunMatch::find(project, u"survey"_s, p->name, p->toJson(), request.restart,
                           request.rename.isEmpty() ? u"name=NEW"_s : request.rename);
    if (!existing)
        return existing.error();
    SurveyStepResult out;
    if (existing->has_value()) {
        const std::optional<RunInfo> &info = *existing;
        out.runId = info->id;
        out.resumed = true;
        out.status = info->status;
        return out;
    }
    Result<qint64> id = RunPlanner::plan(project, *p);
    if (!id)
        return id.error();
    out.runId = *id;
    out.status = u"planned"_s;
    return out;
}

} // namespace anthology
