#pragma once

#include "util/Result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace anthology {

struct Question;

// The order in which a question's options are shown: shown position i holds original
// option originalIndex(i). Drawn once per (persona, question) from the question's
// randomization patterns, so a recorded seed replays exactly the same orders.
class OptionOrder
{
public:
    // Identity order over k options.
    explicit OptionOrder(int k = 0);
    // pattern[i] = original index shown at position i; must be a permutation of 0..k-1.
    static Result<OptionOrder> fromPattern(const QList<int> &pattern);

    // When randomize is on and the question allows it, one of its patterns is drawn from
    // SeededRandom::derive(seed, "options/<personaKey>/<question id>"); otherwise identity.
    // A pattern that is not a permutation of the choice indices is an error (keyed by id).
    static Result<OptionOrder> draw(const Question &question, bool randomize, std::uint64_t seed,
                                    const QString &personaKey);

    int size() const { return int(m_shownToOriginal.size()); }
    bool isIdentity() const;
    int originalIndex(int shown) const; // -1 when out of range
    int shownIndex(int original) const; // -1 when out of range
    const QList<int> &pattern() const { return m_shownToOriginal; }

    // The choices in shown order.
    QStringList apply(const QStringList &originalChoices) const;
    // Values indexed by shown position, re-indexed by original option.
    QList<double> toOriginal(const QList<double> &shownValues) const;

private:
    QList<int> m_shownToOriginal;
};

} // namespace anthology
