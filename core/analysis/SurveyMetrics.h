#pragma once

#include "analysis/BootstrapInterval.h"
#include "analysis/CodeMatrix.h"
#include "analysis/CorrelationMatrix.h"
#include "analysis/WeightedDistribution.h"
#include "util/Result.h"

#include <QList>

#include <cstdint>
#include <vector>

namespace anthology {

// What the metrics see of a run: human ATP codes with their survey weights and the model's
// parsed answers, both over the same questions (columns) in the same order.
struct SurveyData
{
    QList<int> categoryCounts; // K per question
    CodeMatrix humanCodes;
    std::vector<double> humanWeights; // one per human row
    CodeMatrix modelAnswers;          // one row per persona; non-compliant = outside 1..K
};

struct MetricsOptions
{
    int splitHalfIterations = 20;
    int bootstrapResamples = 1000;
    double confidenceLevel = 0.95;
    std::uint64_t seed = 0;
    bool pairwiseAlpha = false; // Cronbach's alpha with pairwise instead of listwise deletion
};

struct QuestionMetrics
{
    WeightedDistribution human;
    WeightedDistribution model;
    double emd = 0.0; // NaN when either side has no valid answer
    double totalVariation = 0.0;
    double splitHalfEmd = 0.0;
    double splitHalfTotalVariation = 0.0;
    double compliance = 0.0;
};

// Averages are over the questions where the value is defined; each carries its bootstrap
// interval (resampling questions).
struct SurveyReport
{
    QList<QuestionMetrics> questions;
    Interval emd;
    Interval totalVariation;
    Interval splitHalfEmd;
    Interval splitHalfTotalVariation;
    Interval compliance;

    CorrelationMatrix humanCorrelation;
    CorrelationMatrix modelCorrelation;
    double cbs = 0.0;
    double frobenius = 0.0;
    double l1 = 0.0;
    double splitHalfCbs = 0.0;
    double splitHalfFrobenius = 0.0;
    double splitHalfL1 = 0.0;

    double humanAlpha = 0.0; // weighted
    double modelAlpha = 0.0;

    // OpinionQA's representativeness: 1 - mean over questions of EMD / (K - 1), the largest
    // EMD a K-option question allows; over the questions where the EMD is defined and K > 1.
    double representativeness = 0.0;
    double splitHalfRepresentativeness = 0.0; // the same of the split-half EMDs
};

// Every METHOD.md section 8 metric for one run, as plain numbers.
class SurveyMetrics
{
public:
    // Errors only for malformed input (shapes that disagree, K < 1, negative or non-finite
    // weights); degenerate data (no valid answers, constant columns) gives NaN entries instead.
    static Result<SurveyReport> compute(const SurveyData &data, const MetricsOptions &options = {});
};

} // namespace anthology
