#pragma once

#include <QJsonObject>

namespace anthology {

struct McqFormat;
enum class Behaviour;

// The stored form of a multiple-choice format inside a run's config (survey and demographics
// runs), and of a seed/ours behaviour switch.
QJsonObject mcqFormatToJson(const McqFormat &format);
McqFormat mcqFormatFromJson(const QJsonObject &json);
QString behaviourName(Behaviour behaviour);
Behaviour behaviourFrom(const QJsonValue &value);

} // namespace anthology
