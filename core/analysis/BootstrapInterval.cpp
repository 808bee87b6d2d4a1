#include "analysis/BootstrapInterval.h"

#include "util/SeededRandom.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace anthology {

double BootstrapInterval::quantile(const std::vector<double> &sorted, double q)
{
    const double pos = std::clamp(q, 0.0, 1.0) * double(sorted.size() - 1);
    const auto lo = static_cast<size_t>(std::floor(pos));
    const size_t hi = std::min(lo + 1, sorted.size() - 1);
    const double frac = pos - double(lo);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

Interval BootstrapInterval::ofMean(const std::vector<double> &values, int resamples, std::uint64_t seed,
                                   double level)
{
    std::vector<double> finite;
    finite.reserve(values.size());
    for (double v : values)
        if (std::isfinite(v))
            finite.push_back(v);
    if (finite.empty()) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        return {nan, nan, nan};
    }
    double sum = 0.0;
    for (double v : finite)
        sum += v;
    const double n = double(finite.size());
    Interval out{sum / n, sum / n, sum / n};
    if (finite.size() == 1 || resamples < 1)
        return out;

    SeededRandom random = SeededRandom::derive(seed, "bootstrap");
    std::vector<double> means(static_cast<size_t>(resamples));
    for (double &m : means) {
        double s = 0.0;
        for (size_t i = 0; i < finite.size(); ++i)
            s += finite[static_cast<size_t>(random.below(finite.size()))];
        m = s / n;
    }
    std::sort(means.begin(), means.end());
    const double alpha = (1.0 - std::clamp(level, 0.0, 1.0)) / 2.0;
    out.lower = quantile(means, alpha);
    out.upper = quantile(means, 1.0 - alpha);
    return out;
}

} // namespace anthology
