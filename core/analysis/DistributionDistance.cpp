#include "analysis/DistributionDistance.h"

#include <cmath>
#include <limits>

namespace anthology {
namespace {

bool comparable(const std::vector<double> &p, const std::vector<double> &q)
{
    if (p.size() != q.size() || p.empty())
        return false;
    double sp = 0.0, sq = 0.0;
    for (size_t k = 0; k < p.size(); ++k) {
        sp += p[k];
        sq += q[k];
    }
    return sp > 0.0 && sq > 0.0;
}

} // namespace

double DistributionDistance::emd(const std::vector<double> &p, const std::vector<double> &q)
{
    if (!comparable(p, q))
        return std::numeric_limits<double>::quiet_NaN();
    double cp = 0.0, cq = 0.0, sum = 0.0;
    // Both CDFs reach 1 at K, so the last term is 0 and is left out (it would only add rounding noise).
    for (size_t k = 0; k + 1 < p.size(); ++k) {
        cp += p[k];
        cq += q[k];
        sum += std::abs(cp - cq);
    }
    return sum;
}

double DistributionDistance::totalVariation(const std::vector<double> &p, const std::vector<double> &q)
{
    if (!comparable(p, q))
        return std::numeric_limits<double>::quiet_NaN();
    double sum = 0.0;
    for (size_t k = 0; k < p.size(); ++k)
        sum += std::abs(p[k] - q[k]);
    return 0.5 * sum;
}

} // namespace anthology
