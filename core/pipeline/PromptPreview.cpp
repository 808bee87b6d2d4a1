#include "pipeline/PromptPreview.h"

#include "backstories/BackstoryStore.h"
#include "pipeline/DemographicsStep.h"
#include "pipeline/SurveyStep.h"
#include "prompt/ChatMessage.h"
#include "run/DemographicsPlan.h"
#include "run/GenerateItemBuilder.h"
#include "run/DemographicsPrompts.h"
#include "run/PersonaPassage.h"
#include "run/PersonaSetStore.h"

using namespace Qt::StringLiterals;

namespace anthology {

Result<QList<PreviewPrompt>> PromptPreview::story(ProjectFile &project, const SurveyConfig &config,
                                                  const GenerateOptions &options, const QString &answerTemplate)
{
    // Only the first story shows: a demographics-primed plan need not prefix every respondent
    // (the composer asks on each edit).
    GenerateOptions first = options;
    if (!first.dataset.isEmpty())
        first.numUsers = 1;
    Result<GeneratePlan> plan = GenerateStep::draftPlan(project, config, first);
    if (!plan)
        return plan.error();
    return GenerateItemBuilder(std::move(*plan)).preview(0, answerTemplate);
}

Result<QList<PreviewPrompt>> PromptPreview::prompts(const SurveyConfig &config, const Request &request)
{
    if (config.hasQuestionnaire) {
        SurveyPlan plan = SurveyStep::promptPlan(config);
        plan.noConditioning = request.noConditioning || config.baseline.promptStyle == "nothing"_L1;
        const SurveyItemBuilder builder(std::move(plan));
        return builder.preview(request.persona, request.passage, [&request](const QString &id) {
            return QString(request.answerTemplate).replace(u"{id}"_s, id);
        });
    }
    if (config.hasDemographics) {
        const DemographicsPlan plan = DemographicsStep::promptPlan(config);
        const DemographicsPrompts prompts(plan);
        QList<PreviewPrompt> out;
        for (const DemographicQuestion &trait : plan.questionnaire.traits)
            out.append({trait.key, prompts.prompt(request.passage, trait), {}});
        return out;
    }
    return Error::user(u"config '%1' has neither an opinion questionnaire nor a demographic questionnaire"_s.arg(
        config.name));
}

namespace {

// The members of a persona set as the run asks them (key, revision), and in `plan` the part
// of a survey plan that says whose passages the run reads.
Result<QList<QPair<QString, int>>> setMembers(ProjectFile &project, const QString &personaSet, SurveyPlan &plan)
{
    Result<PersonaSet> set = PersonaSetStore(project).load(personaSet);
    if (!set)
        return set.error();
    plan.personaSetId = set->id;
    plan.personaSetName = set->name;
    plan.noConditioning = set->kind == u"respondents"_s && set->style == u"nothing"_s;
    return PersonaPassage::personas(project, plan);
}

} // namespace

Result<PromptPreview::Request> PromptPreview::forPersona(ProjectFile &project, const QString &personaSet,
                                                         const QString &persona)
{
    if (personaSet.isEmpty()) { // a backstory: its current text, as a new run reads it
        const std::optional<Backstory> b = BackstoryStore(project).get(persona);
        if (!b)
            return Error::user(u"no backstory with uid '%1' in the project"_s.arg(persona));
        Request request;
        request.persona = persona;
        request.passage = b->passage();
        return request;
    }
    SurveyPlan plan;
    Result<QList<QPair<QString, int>>> all = setMembers(project, personaSet, plan);
    if (!all)
        return all.error();
    for (const auto &[key, revision] : std::as_const(*all)) {
        if (key != persona)
            continue;
        Result<QString> passage = PersonaPassage::passage(BackstoryStore(project), plan, persona, revision);
        if (!passage)
            return passage.error();
        Request request;
        request.persona = persona;
        request.passage = *passage;
        request.noConditioning = plan.noConditioning;
        return request;
    }
    return Error::user(u"no persona '%1' in the persona set '%2'"_s.arg(persona, personaSet));
}

Result<QStringList> PromptPreview::personas(ProjectFile &project, const QString &personaSet, int limit)
{
    QStringList out;
    if (personaSet.isEmpty()) {
        for (const BackstorySummary &s : BackstoryStore(project).page(0, limit))
            out.append(s.uid);
        return out;
    }
    SurveyPlan plan;
    Result<QList<QPair<QString, int>>> all = setMembers(project, personaSet, plan);
    if (!all)
        return all.error();
    for (qsizetype i = 0; i < all->size() && i < limit; ++i)
        out.append(all->at(i).first);
    return out;
}

QString PromptPreview::text(const PreviewPrompt &prompt)
{
    if (prompt.text.messages.isEmpty())
        return prompt.text.prompt;
    QList<ChatMessage> messages;
    for (const auto &[role, content] : prompt.text.messages)
        messages.append({role, content});
    return QString::fromUtf8(ChatMessage::toJson(messages));
}

} // namespace anthology
