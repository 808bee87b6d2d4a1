#include "pipeline/EndpointCheck.h"

#include "llm/EndpointProfile.h"
#include "survey/SurveyTypes.h"

using namespace Qt::StringLiterals;

namespace anthology {

Status checkEndpoint(const LlmParameters &llm, const QString &group)
{
    if (!llm.chat && llm.topLogprobs && *llm.topLogprobs > 0)
        return Error::user(u"top_logprobs is a chat-model parameter but %1 describes a completion model: set "
                           "chat: true, or ask for logprobs instead"_s.arg(group))
            .withKey(group + u".top_logprobs"_s);
    if (!llm.chat && !llm.systemPrompt.isEmpty())
        return Error::user(
                   u"system_prompt is a chat-model parameter but %1 describes a completion model"_s.arg(
                       group))
            .withKey(group + u".system_prompt"_s);
    Result<EndpointProfile> profile = EndpointProfile::fromParameters(llm);
    if (!profile)
        return profile.error();
    if (!profile->apiKeyEnv.isEmpty() && profile->apiKey().isEmpty())
        return Error::user(
                   u"%1 needs an API key: set the environment variable %2"_s.arg(group, profile->apiKeyEnv))
            .withKey(group + u".api_key_env"_s);
    return {};
}

} // namespace anthology
