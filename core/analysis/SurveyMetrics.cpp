#include "analysis/SurveyMetrics.h"

#include "analysis/ComplianceRate.h"
#include "analysis/CronbachAlpha.h"
#include "analysis/DistributionDistance.h"
#include "analysis/MatrixDistance.h"
#include "analysis/SplitHalfBound.h"

#include <QString>

#include <cmath>

namespace anthology {
using namespace Qt::StringLiterals;

namespace {

Status validate(const SurveyData &d)
{
    const qsizetype q = d.categoryCounts.size();
    if (d.humanCodes.cols != q || d.modelAnswers.cols != q)
        return Error::user(
            u"expected %1 question columns (one per category count), got %2 human and %3 model"_s.arg(q)
                .arg(d.humanCodes.cols)
                .arg(d.modelAnswers.cols));
    if (d.humanCodes.codes.size() != static_cast<size_t>(d.humanCodes.rows * q) ||
        d.modelAnswers.codes.size() != static_cast<size_t>(d.modelAnswers.rows * q))
        return Error::user(u"expected code matrices of rows x columns entries"_s);
    if (d.humanWeights.size() != static_cast<size_t>(d.humanCodes.rows))
        return Error::user(u"expected one weight per human row (%1), got %2"_s.arg(d.humanCodes.rows)
                               .arg(d.humanWeights.size()));
    for (qsizetype c = 0; c < q; ++c)
        if (d.categoryCounts[c] < 1)
            return Error::user(u"expected a category count >= 1 for question %1, got %2"_s.arg(c + 1).arg(
                d.categoryCounts[c]));
    for (size_t i = 0; i < d.humanWeights.size(); ++i)
        if (!std::isfinite(d.humanWeights[i]) || d.humanWeights[i] < 0.0)
            return Error::user(
                u"expected a finite non-negative weight for human row %1, got %2"_s.arg(i + 1).arg(
                    d.humanWeights[i]));
    return Status::success();
}

double representativeness(const std::vector<double> &emd, const QList<int> &k)
{
    double sum = 0.0;
    int n = 0;
    for (qsizetype c = 0; c < k.size(); ++c) {
        const double d = emd[static_cast<size_t>(c)];
        if (k[c] < 2 || !std::isfinite(d))
            continue;
        sum += d / double(k[c] - 1);
        ++n;
    }
    return n > 0 ? 1.0 - sum / n : std::nan("");
}

} // namespace

Result<SurveyReport> SurveyMetrics::compute(const SurveyData &data, const MetricsOptions &options)
{
    if (Status s = validate(data); !s)
        return s.error();
    const QList<int> &k = data.categoryCounts;
    SurveyReport report;

    const SplitHalfResult split = SplitHalfBound::compute(data.humanCodes, data.humanWeights, k,
                                                          options.splitHalfIterations, options.seed);
    const std::vector<double> compliance = ComplianceRate::perQuestion(data.modelAnswers, k);

    std::vector<double> emd, tv, shEmd, shTv;
    for (qsizetype c = 0; c < k.size(); ++c) {
        const auto i = static_cast<size_t>(c);
        QuestionMetrics m;
        m.human = WeightedDistribution::fromCodes(data.humanCodes.column(c), data.humanWeights, k[c]);
        m.model = WeightedDistribution::fromAnswers(data.modelAnswers.column(c), k[c]);
        m.emd = DistributionDistance::emd(m.human.shares, m.model.shares);
        m.totalVariation = DistributionDistance::totalVariation(m.human.shares, m.model.shares);
        m.splitHalfEmd = split.emd[i];
        m.splitHalfTotalVariation = split.totalVariation[i];
        m.compliance = compliance[i];
        emd.push_back(m.emd);
        tv.push_back(m.totalVariation);
        shEmd.push_back(m.splitHalfEmd);
        shTv.push_back(m.splitHalfTotalVariation);
        report.questions.append(m);
    }

    // Each average gets its own keyed stream so adding one never shifts another's interval.
    const auto interval = [&](const std::vector<double> &v, std::uint64_t salt) {
        return BootstrapInterval::ofMean(v, options.bootstrapResamples, options.seed ^ salt,
                                         options.confidenceLevel);
    };
    report.emd = interval(emd, 1);
    report.totalVariation = interval(tv, 2);
    report.splitHalfEmd = interval(shEmd, 3);
    report.splitHalfTotalVariation = interval(shTv, 4);
    report.compliance = interval(compliance, 5);
    report.representativeness = representativeness(emd, k);
    report.splitHalfRepresentativeness = representativeness(shEmd, k);

    report.humanCorrelation = CorrelationMatrix::weighted(data.humanCodes, data.humanWeights, k);
    report.modelCorrelation = CorrelationMatrix::pairwise(data.modelAnswers, k);
    report.cbs = MatrixDistance::cbs(report.humanCorrelation, report.modelCorrelation);
    report.frobenius = MatrixDistance::frobenius(report.humanCorrelation, report.modelCorrelation);
    report.l1 = MatrixDistance::l1(report.humanCorrelation, report.modelCorrelation);
    report.splitHalfCbs = split.cbs;
    report.splitHalfFrobenius = split.frobenius;
    report.splitHalfL1 = split.l1;

    if (options.pairwiseAlpha) {
        report.humanAlpha = CronbachAlpha::pairwise(data.humanCodes, k, data.humanWeights);
        report.modelAlpha = CronbachAlpha::pairwise(data.modelAnswers, k);
    } else {
        report.humanAlpha = CronbachAlpha::listwise(data.humanCodes, k, data.humanWeights);
        report.modelAlpha = CronbachAlpha::listwise(data.modelAnswers, k);
    }
    return report;
}

} // namespace anthology
