#pragma once

#include "util/Result.h"

#include <QString>

namespace anthology {

struct LlmParameters;

// Refuses, before anything is planned, an endpoint a step cannot use: parameters the
// profile layer rejects, a chat-only parameter (top_logprobs, system_prompt) on a completion
// model, or an API key variable that is named but not set. `group` names the config group
// in the message (llm_parameters, llm_parsing_parameters).
Status checkEndpoint(const LlmParameters &llm, const QString &group);

} // namespace anthology
