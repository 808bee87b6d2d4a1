#pragma once

#include "util/Result.h"

#include <QList>

#include <vector>

namespace anthology {

// One trait's vectors in its shared category space: a row per human and a row per persona,
// each `categories` wide, row-major.
struct TraitVectors
{
    int categories = 0;
    std::vector<double> humans;
    std::vector<double> personas;
};

// w(h, v) = product over traits of <human_h, persona_v>: the probability that persona v has
// human h's demographics (METHOD.md section 7).
//
// Underflow: eight traits at ~1e-60 each give 1e-480, below the smallest double, so every
// product would tie at 0. We therefore keep log w = sum_t log <h_t, p_v_t> (log 0 = -inf), which
// has no range problem; rankings within a row (greedy) compare logs directly. The assignment
// needs weights, not logs, because its objective is the sum of w: scaledWeights() returns
// exp(log w - M) with M the largest log weight in the whole problem. That is one common factor
// e^-M for every entry, so it leaves the optimal assignment unchanged, and it brings the
// largest entry to 1. Entries more than ~708 nats below the largest still flush to 0; they
// are below 1e-308 of the largest weight, less than any total's rounding.
class EdgeWeights
{
public:
    // All traits must agree on the human and persona counts.
    static Result<EdgeWeights> compute(const QList<TraitVectors> &traits);

    qsizetype humanCount() const { return m_humans; }
    qsizetype personaCount() const { return m_personas; }
    double logWeight(qsizetype h, qsizetype v) const
    {
        return m_log[static_cast<size_t>(h * m_personas + v)];
    }
    const double *logRow(qsizetype h) const { return m_log.data() + h * m_personas; }
    const std::vector<double> &logWeights() const { return m_log; }
    // exp(log w), which may underflow to 0: for reporting a pair's weight.
    double weight(qsizetype h, qsizetype v) const;
    // The largest finite log weight (-inf if every weight is 0).
    double maxLogWeight() const { return m_maxLog; }
    // Row-major humans x personas, exp(log w - maxLogWeight()).
    std::vector<double> scaledWeights() const;

private:
    qsizetype m_humans = 0;
    qsizetype m_personas = 0;
    double m_maxLog = 0.0;
    std::vector<double> m_log;
};

} // namespace anthology
