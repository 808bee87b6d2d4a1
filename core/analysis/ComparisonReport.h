#pragma once

#include "analysis/SubgroupAnalysis.h"
#include "analysis/SurveyMetrics.h"
#include "survey/SurveyTypes.h"
#include "util/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace anthology {

class Dataset;
class ModelAnswers;

// One set of model answers against a data set's weighted human answers: SurveyMetrics over the
// compared questions and, with a subgroup variable, every metric per group (SubgroupAnalysis).
// What `anthology analyze` prints for one run or answers file, and what each run of a study
// (StudyReport) is made of, so both compute the same numbers the same way.
struct ComparisonReport
{
    QList<Question> questions; // id, body and choices 1..K from the data set's value labels
    QString subgroupVariable;  // empty without subgroups
    SurveyReport overall;
    QList<SubgroupReport> subgroups; // sorted by label; empty without a subgroup variable

    // `questions` empty: every question of the answers, in their order.
    static Result<ComparisonReport> compute(const Dataset &dataset, const ModelAnswers &answers,
                                            const QStringList &questions = {},
                                            const QString &subgroupVariable = {},
                                            const MetricsOptions &options = {});

    // The per-question metrics as `analyze --csv` writes them (RFC 4180, full precision, empty
    // for NaN): subgroup, question, categories, human_n, human_n_eff, model_n, emd,
    // total_variation, split_half_emd, split_half_total_variation, compliance, human_shares,
    // model_shares (';'-separated); an "(average)" row closes the overall table and each group's.
    QByteArray csv() const;
};

} // namespace anthology
