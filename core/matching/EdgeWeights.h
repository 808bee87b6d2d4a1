#pragma once

#include "util/LargeArray.h"
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
// needs weights, not logs, because its objective is the sum of w: scaledRow() returns
// exp(log w - M) with M the largest log weight in the whole problem. That is one common factor
// e^-M for every entry, so it leaves the optimal assignment unchanged, and it brings the
// largest entry to 1. Entries more than 708 nats below the largest are 0; they are below
// 1e-307 of the largest weight, less than any total's rounding.
//
// Storage: the humans x personas matrix is never materialized (2,500 x 10,000 doubles are
// 200 MB, and faulting that memory in alone cost more than all the arithmetic). Humans have
// few distinct trait profiles: per trait a human vector is one-hot on a category or one of a
// few spread vectors (refused: uniform). Consecutive traits are grouped while their profile
// combinations stay few, and each combination that some human has gets one row of summed
// logs over all personas. A human's log row is then the sum of one row per group, made on
// demand; each distinct profile's best persona (greedy, and the assignment's start) is found
// once here. The rows (31 MB in the 2,500 x 10,000 x 8-trait benchmark) sit in a LargeArray,
// not zero-filled and on huge pages: first touches of fresh 4 KiB pages cost more than the
// arithmetic.
class EdgeWeights
{
public:
    // All traits must agree on the human and persona counts, and every value must be finite.
    static Result<EdgeWeights> compute(const QList<TraitVectors> &traits);

    qsizetype humanCount() const { return m_humans; }
    qsizetype personaCount() const { return m_personas; }
    double logWeight(qsizetype h, qsizetype v) const;
    // exp(log w), which may underflow to 0: for reporting a pair's weight.
    double weight(qsizetype h, qsizetype v) const;
    // The largest finite log weight (-inf if every weight is 0).
    double maxLogWeight() const { return m_maxLog; }
    // The first persona of highest log weight for human h, and that log weight.
    qsizetype bestPersona(qsizetype h) const { return m_best[static_cast<size_t>(m_profileOf[size_t(h)])]; }
    double bestLogWeight(qsizetype h) const { return m_bestLog[static_cast<size_t>(m_profileOf[size_t(h)])]; }
    // log w(h, v) for every persona v into out[0..personaCount()).
    void logRow(qsizetype h, double *out) const;
    // exp(log w(h, v) - maxLogWeight()) for every persona v into out[0..personaCount()), and
    // for one pair (the same double as scaledRow's).
    void scaledRow(qsizetype h, double *out) const;
    double scaledWeight(qsizetype h, qsizetype v) const;
    // Row-major humans x personas, scaledRow() of every human (tests and benchmarks; the
    // assignment reads rows on demand).
    std::vector<double> scaledWeights() const;

private:
    const double *groupRow(qsizetype h, int g) const;

    qsizetype m_humans = 0;
    qsizetype m_personas = 0;
    double m_maxLog = 0.0;
    int m_groups = 0;
    LargeArray<double> m_rows;          // summed-log rows of every group, personas wide
    std::vector<qsizetype> m_rowOf;     // per distinct profile and group: its row in m_rows
    std::vector<qsizetype> m_profileOf; // per human: its distinct profile
    std::vector<qsizetype> m_best;      // per profile
    std::vector<double> m_bestLog;      // per profile
};

} // namespace anthology
