#pragma once

#include <cstdint>
#include <vector>

namespace anthology {

// A point estimate with its percentile bootstrap interval.
struct Interval
{
    double estimate = 0.0;
    double lower = 0.0;
    double upper = 0.0;
};

// Percentile bootstrap of a mean: resample the values with replacement `resamples` times
// (SeededRandom::derive(seed, "bootstrap")), take the mean of each resample, report the
// (1-level)/2 and (1+level)/2 quantiles of those means (linear interpolation between order
// statistics, numpy's default). Non-finite values are ignored (a question without data);
// with none left everything is NaN; with one value, or resamples < 1, the interval collapses
// onto the estimate.
class BootstrapInterval
{
public:
    static Interval ofMean(const std::vector<double> &values, int resamples, std::uint64_t seed,
                           double level = 0.95);
    // numpy.quantile(sorted, q) with the default linear method; `sorted` ascending, non-empty.
    static double quantile(const std::vector<double> &sorted, double q);
};

} // namespace anthology
