#include "pipeline/AnswerAnalysis.h"

#include "analysis/ModelAnswers.h"
#include "data/Dataset.h"
#include "data/DatasetStore.h"
#include "pipeline/LinkedHumans.h"
#include "run/RunAnswers.h"

namespace anthology {

Result<AnswerAnalysis> AnswerAnalysis::compute(ProjectFile &project, const AnswerAnalysisOptions &options)
{
    Result<ModelAnswers> answers = options.runId > 0 ? RunAnswers::load(project, options.runId)
                                                     : ModelAnswers::readCsv(options.answersFile);
    if (!answers)
        return answers.error();
    // Only the compared columns are read (the weight and key come along).
    QStringList variables = options.questions.isEmpty() ? answers->questions() : options.questions;
    if (!options.subgroupVariable.isEmpty())
        variables.append(options.subgroupVariable);
    Result<Dataset> data = DatasetStore(project).load(options.dataset, variables);
    if (!data)
        return data.error();
    if (options.runId > 0 && !options.subgroupVariable.isEmpty())
        if (Status st =
                LinkedHumans::assignGroups(project, options.runId, *data, options.subgroupVariable, *answers);
            !st)
            return st.error();
    Result<ComparisonReport> comparison = ComparisonReport::compute(
        *data, *answers, options.questions, options.subgroupVariable, options.metrics);
    if (!comparison)
        return comparison.error();
    AnswerAnalysis analysis;
    analysis.dataset = options.dataset;
    analysis.weightVariable = data->weightVariable();
    analysis.humanRows = data->rowCount();
    analysis.personas = answers->personas().size();
    analysis.comparison = std::move(*comparison);
    return analysis;
}

} // namespace anthology
