#pragma once

#include "analysis/SurveyMetrics.h"
#include "survey/SurveyTypes.h"
#include "util/Result.h"

#include <QStringList>

namespace anthology {

class Dataset;
class ModelAnswers;

// Human answers and model answers lined up over the same questions, ready for SurveyMetrics and
// SubgroupAnalysis.
struct ComparisonData
{
    QList<Question> questions; // id, body and choices 1..K from the data set's value labels
    SurveyData data;
    QString subgroupVariable; // empty without subgroups
    QStringList humanGroups;  // one per human row: the code's value label, empty when missing
    QStringList modelGroups;  // one per persona: its group, as a value label
};

// Builds ComparisonData from a stored data set and a table of model answers.
//
// Human codes are the data set's values (system missing and user-missing codes such as 99 fall
// outside 1..K and are left out of every metric); a weight that is missing or negative counts as
// 0, as PSPP's WEIGHT BY treats it. A persona without an answer to a question counts as
// non-compliant on it. A persona's group may be given as the value label or as the code.
class ComparisonBuilder
{
public:
    // `questions` empty: every question of the answers, in their order.
    static Result<ComparisonData> build(const Dataset &dataset, const ModelAnswers &answers,
                                        const QStringList &questions = {},
                                        const QString &subgroupVariable = {});
    // The value label of a code, or the code itself when unlabelled; empty for a missing value.
    static QString groupLabel(const Dataset &dataset, qsizetype column, qsizetype row);
};

} // namespace anthology
