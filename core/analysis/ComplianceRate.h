#pragma once

#include <QList>

#include <vector>

namespace anthology {

struct CodeMatrix;

// The share of model answers that parsed to a choice 1..K, per question; NaN for a question
// nobody was asked (zero rows).
class ComplianceRate
{
public:
    static std::vector<double> perQuestion(const CodeMatrix &answers, const QList<int> &categoryCounts);
    // Mean over the questions with a defined rate; NaN if none.
    static double mean(const CodeMatrix &answers, const QList<int> &categoryCounts);
};

} // namespace anthology
