// Metrics benchmark: every SurveyMetrics figure for 10,000 human rows and 10,000 model rows
// x 20 questions, 20 split-half iterations, 1,000 bootstrap resamples per average.
//   build/bench/analysis_metrics [rows questions]

#include "analysis/SurveyMetrics.h"
#include "util/SeededRandom.h"

#include <QElapsedTimer>

#include <cstdio>

using namespace anthology;

int main(int argc, char **argv)
{
    const qsizetype rows = argc > 2 ? QByteArray(argv[1]).toLongLong() : 10000;
    const qsizetype questions = argc > 2 ? QByteArray(argv[2]).toLongLong() : 20;
    SeededRandom r(99);
    SurveyData data;
    for (qsizetype c = 0; c < questions; ++c)
        data.categoryCounts.append(2 + int(r.below(6)));
    data.humanCodes = CodeMatrix(rows, questions);
    data.modelAnswers = CodeMatrix(rows, questions);
    for (qsizetype i = 0; i < rows; ++i) {
        data.humanWeights.push_back(0.2 + 3.0 * r.uniform());
        const double latentH = r.uniform(), latentM = r.uniform();
        for (qsizetype c = 0; c < questions; ++c) {
            const int k = data.categoryCounts[c];
            const auto roll = r.below(50);
            data.humanCodes.at(i, c) =
                roll == 0 ? 99 : 1 + std::min(k - 1, int((0.5 * latentH + 0.5 * r.uniform()) * k));
            data.modelAnswers.at(i, c) =
                roll == 1 ? 0 : 1 + std::min(k - 1, int((0.3 * latentM + 0.7 * r.uniform()) * k));
        }
    }
    MetricsOptions options;
    options.seed = 1;
    QElapsedTimer t;
    t.start();
    const auto report = SurveyMetrics::compute(data, options);
    const double ms = double(t.nsecsElapsed()) / 1e6;
    if (!report) {
        std::fprintf(stderr, "%s\n", qPrintable(report.error().message));
        return 1;
    }
    std::printf("%lld rows x %lld questions, %d split halves, %d bootstrap resamples: %.1f ms\n",
                (long long)rows, (long long)questions, options.splitHalfIterations,
                options.bootstrapResamples, ms);
    std::printf("EMD %.4f [%.4f, %.4f], split-half EMD %.4f, TV %.4f, CBS %.4f (split-half %.4f), "
                "alpha human %.3f model %.3f, compliance %.3f\n",
                report->emd.estimate, report->emd.lower, report->emd.upper, report->splitHalfEmd.estimate,
                report->totalVariation.estimate, report->cbs, report->splitHalfCbs, report->humanAlpha,
                report->modelAlpha, report->compliance.estimate);
    return 0;
}
