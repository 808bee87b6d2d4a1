#pragma once

#include "survey/SurveyTypes.h"
#include "util/Result.h"

#include <QString>
#include <QStringList>

namespace anthology {

class Dataset;
struct Variable;

// Turns labelled survey variables into a Questionnaire: the body is the variable label
// without its "NAME. " prefix, the choices are the value labels of codes 1..K (codes >= 90
// and non-substantive labels such as Refused or Don't know left out), the wave comes from
// the weight's or the variables' _W<n> suffix.
class QuestionnaireFromDataset
{
public:
    static Result<Questionnaire> build(const Dataset &dataset, const QStringList &variableNames);
    static Result<Question> question(const Variable &variable);

    // The reference questionnaire layout: wave, then questions id -> {question_body, choices,
    // allow_randomization, randomization_pattern}.
    static Result<QString> toYaml(const Questionnaire &questionnaire);

    static QString stripNamePrefix(const QString &name, const QString &label);
    static bool isNonSubstantive(double code, const QString &label);
    // 34 for WEIGHT_W34 or FUD37A_W34; 0 without such a suffix.
    static int waveFromName(const QString &name);
};

} // namespace anthology
