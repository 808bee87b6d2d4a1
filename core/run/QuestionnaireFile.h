#pragma once

#include "survey/SurveyTypes.h"
#include "util/Result.h"

namespace anthology {

// Reads a questionnaire in the reference layout (wave, then questions: id -> question_body,
// choices, allow_randomization, randomization_pattern), as QuestionnaireFromDataset writes
// it. A minimal loader for `anthology run survey` until the config layer provides one.
class QuestionnaireFile
{
public:
    static Result<Questionnaire> load(const QString &path);
    static Result<Questionnaire> parse(const QByteArray &yaml, const QString &fileName = {});
};

} // namespace anthology
