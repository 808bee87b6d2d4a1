#include "pipeline/PromptPreview.h"

#include "pipeline/DemographicsStep.h"
#include "pipeline/SurveyStep.h"
#include "prompt/ChatMessage.h"
#include "run/DemographicsPlan.h"
#include "run/DemographicsPrompts.h"

using namespace Qt::StringLiterals;

namespace anthology {

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
