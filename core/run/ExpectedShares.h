#pragma once

#include "util/Result.h"

#include <QHash>
#include <QString>

#include <vector>

namespace anthology {

class ProjectFile;
struct FinalItem;

// What a run's logprobs expect, beside what it sampled (METHOD.md section 5, logprob route):
// per question, the mean over personas of the option probabilities stored with each final
// answer (FinalAnswerQuery's rows, those RunAnswers reads), in the questionnaire's option
// order. Questions without any stored distribution are absent; an empty hash means the run
// stored none.
struct ExpectedDistribution
{
    std::vector<double> shares; // one per option, summing to 1
    qsizetype personas = 0;     // final answers that carried a distribution
};

class ExpectedShares
{
public:
    static Result<QHash<QString, ExpectedDistribution>> load(const ProjectFile &project, qint64 runId,
                                                             int sample = 0);

    // The sums of load(), fed one FinalAnswerQuery row (read with its logprobs) at a time.
    explicit ExpectedShares(qint64 runId) : m_runId(runId) {}
    Status add(const FinalItem &item);
    QHash<QString, ExpectedDistribution> means() &&;

private:
    qint64 m_runId;
    QHash<QString, ExpectedDistribution> m_sums;
};

} // namespace anthology
