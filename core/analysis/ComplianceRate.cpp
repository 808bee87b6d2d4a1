#include "analysis/ComplianceRate.h"

#include "analysis/CodeMatrix.h"

#include <cmath>
#include <limits>

namespace anthology {

std::vector<double> ComplianceRate::perQuestion(const CodeMatrix &answers, const QList<int> &categoryCounts)
{
    std::vector<double> out(static_cast<size_t>(answers.cols), std::numeric_limits<double>::quiet_NaN());
    if (answers.rows == 0)
        return out;
    for (qsizetype c = 0; c < answers.cols; ++c) {
        qsizetype compliant = 0;
        for (qsizetype r = 0; r < answers.rows; ++r)
            compliant += isValidCode(answers.at(r, c), categoryCounts.value(c)) ? 1 : 0;
        out[static_cast<size_t>(c)] = double(compliant) / double(answers.rows);
    }
    return out;
}

double ComplianceRate::mean(const CodeMatrix &answers, const QList<int> &categoryCounts)
{
    double sum = 0.0;
    int n = 0;
    for (double v : perQuestion(answers, categoryCounts)) {
        if (std::isfinite(v)) {
            sum += v;
            ++n;
        }
    }
    return n ? sum / n : std::numeric_limits<double>::quiet_NaN();
}

} // namespace anthology
