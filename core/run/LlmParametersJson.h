#pragma once

#include <QJsonObject>

namespace anthology {

struct LlmParameters;

// The stored form of an endpoint's parameters inside a run's config (every run kind).
QJsonObject llmParametersToJson(const LlmParameters &llm);
LlmParameters llmParametersFromJson(const QJsonObject &json);

} // namespace anthology
