#pragma once

#include "survey/SurveyTypes.h"
#include "util/Result.h"

namespace anthology {

// Reads a questionnaire file in the reference layout (wave, then questions: id ->
// question_body, choices, allow_randomization, randomization_pattern) through the config
// layer (YamlReader + ConfigSchema), so `anthology run survey --questionnaire` accepts
// exactly what a survey config's questionnaire group accepts, with the same messages.
class QuestionnaireFile
{
public:
    // Warnings (unknown keys, ...) are appended to `warnings` when given.
    static Result<Questionnaire> load(const QString &path, QList<Error> *warnings = nullptr);
};

} // namespace anthology
