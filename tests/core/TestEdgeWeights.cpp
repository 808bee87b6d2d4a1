#include "OracleProcess.h"
#include "matching/CategoryMap.h"
#include "matching/EdgeWeights.h"
#include "matching/GreedyMatcher.h"
#include "matching/MaxWeightAssignment.h"
#include "util/Result.h"
#include "util/SeededRandom.h"

#include <QTest>

#include <cmath>

using namespace anthology;

namespace {

// 13 fine income brackets onto 4 coarse ones; ATP codes 1..4, 99 refused.
CategoryMap incomeMap()
{
    CategoryMap m;
    m.trait = QStringLiteral("income");
    m.categoryCount = 4;
    m.choiceToCategory = {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, -1};
    m.humanCodeToCategory = {{1, 0}, {2, 1}, {3, 2}, {4, 3}};
    return m;
}

} // namespace

class TestEdgeWeights : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void personaVectorDropsLastTwoBucketsAndSumsIntoCategories()
    {
        // 13 choices + prefer-not + non-compliant.
        QList<double> d(15, 0.0);
        d[0] = 0.1;  // -> 0
        d[4] = 0.2;  // -> 1
        d[5] = 0.1;  // -> 1
        d[12] = 0.1; // mapped to -1: dropped
        d[13] = 0.3; // prefer not: dropped
        d[14] = 0.2; // non-compliant: dropped
        const auto v = incomeMap().personaVector(d);
        QCOMPARE(v.size(), size_t(4));
        QVERIFY(oracle::close(v[0], 0.25, 1e-15));
        QVERIFY(oracle::close(v[1], 0.75, 1e-15));
        QCOMPARE(v[2], 0.0);
        QCOMPARE(v[3], 0.0);
    }

    void personaWithOnlyDroppedMassIsUniform()
    {
        QList<double> d(15, 0.0);
        d[13] = 0.5;
        d[14] = 0.5;
        QCOMPARE(incomeMap().personaVector(d), (std::vector<double>(4, 0.25)));
    }

    void humanCodesOneHotOrUniform()
    {
        const CategoryMap m = incomeMap();
        QCOMPARE(m.humanVector(3), (std::vector<double>{0, 0, 1, 0}));
        QCOMPARE(m.humanVector(99), (std::vector<double>(4, 0.25)));
        QCOMPARE(m.humanVector(-1), (std::vector<double>(4, 0.25)));
    }

    void validateRejectsOutOfRangeIndices()
    {
        CategoryMap m = incomeMap();
        QVERIFY(m.validate().ok());
        m.choiceToCategory[2] = 4;
        QVERIFY(!m.validate().ok());
        m = incomeMap();
        m.humanCodeToCategory.insert(5, -1);
        QVERIFY(!m.validate().ok());
    }

    void weightIsProductOfInnerProducts()
    {
        // Two traits; human 0 = (cat 1, cat 0), human 1 = (uniform, cat 1).
        TraitVectors a{2, {0, 1, 0.5, 0.5}, {0.3, 0.7, 0.9, 0.1}};
        TraitVectors b{3, {1, 0, 0, 0, 1, 0}, {0.2, 0.5, 0.3, 0.6, 0.1, 0.3}};
        const auto w = EdgeWeights::compute({a, b});
        QVERIFY(w.ok());
        QCOMPARE(w->humanCount(), 2);
        QCOMPARE(w->personaCount(), 2);
        QVERIFY(oracle::close(w->weight(0, 0), 0.7 * 0.2, 1e-15));
        QVERIFY(oracle::close(w->weight(0, 1), 0.1 * 0.6, 1e-15));
        QVERIFY(oracle::close(w->weight(1, 0), 0.5 * 0.5, 1e-15));
        QVERIFY(oracle::close(w->weight(1, 1), 0.5 * 0.1, 1e-15));
        const auto scaled = w->scaledWeights();
        QVERIFY(oracle::close(scaled[2], 1.0, 1e-15)); // the largest becomes 1
        QVERIFY(oracle::close(scaled[0], 0.14 / 0.25, 1e-14));
    }

    void underflowStillRanksPersonas()
    {
        // 8 traits at ~1e-60 each: every product is ~1e-480, zero in a double. Persona 2 is
        // slightly more likely on one trait and must rank first; persona 0 second.
        QList<TraitVectors> traits;
        const double tiny = 1e-60;
        for (int t = 0; t < 8; ++t) {
            TraitVectors tv;
            tv.categories = 2;
            tv.humans = {1, 0};
            const double boost0 = t == 3 ? 1.5 : 1.0, boost2 = t == 5 ? 2.0 : 1.0;
            for (double p : {tiny * boost0, tiny, tiny * boost2})
                tv.personas.insert(tv.personas.end(), {p, 1 - p});
            traits.append(tv);
        }
        const auto w = EdgeWeights::compute(traits);
        QVERIFY(w.ok());
        QCOMPARE(w->weight(0, 0), 0.0); // the naive product has underflowed: all would tie
        QCOMPARE(w->weight(0, 2), 0.0);
        QVERIFY(w->logWeight(0, 2) > w->logWeight(0, 0));
        QVERIFY(w->logWeight(0, 0) > w->logWeight(0, 1));
        QVERIFY(oracle::close(w->logWeight(0, 1), 8 * std::log(tiny), 1e-12));
        const auto pairs = GreedyMatcher::match(w.value());
        QCOMPARE(pairs.size(), 1);
        QCOMPARE(pairs[0].persona, 2);
        const auto scaled = w->scaledWeights();
        QCOMPARE(scaled[2], 1.0);
        QVERIFY(oracle::close(scaled[0], 1.5 / 2.0, 1e-12));
    }

    void zeroProbabilityIsMinusInfinityNotNaN()
    {
        TraitVectors t{2, {1, 0}, {0.0, 1.0, 1.0, 0.0}};
        const auto w = EdgeWeights::compute({t});
        QVERIFY(w.ok());
        QVERIFY(std::isinf(w->logWeight(0, 0)) && w->logWeight(0, 0) < 0);
        QCOMPARE(w->scaledWeights()[0], 0.0);
        QCOMPARE(GreedyMatcher::match(w.value())[0].persona, 1);
    }

    void groupedProfilesAgreeWithTheDirectFormula()
    {
        // Enough traits and categories that the traits fall into several groups, humans that
        // repeat (shared profiles), refused humans (uniform) and a spread vector of another
        // shape, and zero probabilities: every log weight, each human's first best persona,
        // the scaled weights and the assignment agree with the formula computed pair by pair.
        SeededRandom r(7);
        const int categories[] = {4, 3, 6, 9, 5, 8};
        const qsizetype H = 60, V = 90;
        QList<TraitVectors> traits;
        for (int c : categories) {
            TraitVectors tv{c, {}, {}};
            for (qsizetype h = 0; h < H; ++h) {
                const auto kind = h >= 50 ? h - 50 : qsizetype(r.below(12));
                for (int k = 0; k < c; ++k) {
                    if (h >= 50) // the last ten repeat the first ten
                        tv.humans.push_back(tv.humans[static_cast<size_t>(kind * c + k)]);
                    else if (kind == 0)
                        tv.humans.push_back(1.0 / c);
                    else if (kind == 1)
                        tv.humans.push_back(k < 2 ? 0.5 : 0.0);
                    else
                        tv.humans.push_back(k == int(kind) % c ? 1.0 : 0.0);
                }
            }
            for (qsizetype v = 0; v < V; ++v) {
                std::vector<double> p(static_cast<size_t>(c));
                double sum = 0;
                for (double &x : p)
                    sum += x = r.below(5) == 0 ? 0.0 : r.uniform();
                for (double x : p)
                    tv.personas.push_back(sum > 0 ? x / sum : 1.0 / c);
            }
            traits.append(tv);
        }
        const auto w = EdgeWeights::compute(traits);
        QVERIFY(w.ok());
        std::vector<double> logs(static_cast<size_t>(H * V));
        double maxLog = -INFINITY;
        for (qsizetype h = 0; h < H; ++h)
            for (qsizetype v = 0; v < V; ++v) {
                double l = 0;
                for (const TraitVectors &tv : traits) {
                    double dot = 0;
                    for (int k = 0; k < tv.categories; ++k)
                        dot += tv.humans[static_cast<size_t>(h * tv.categories + k)] *
                               tv.personas[static_cast<size_t>(v * tv.categories + k)];
                    l += dot > 0 ? std::log(dot) : -INFINITY;
                }
                logs[static_cast<size_t>(h * V + v)] = l;
                maxLog = std::max(maxLog, l);
            }
        QVERIFY(oracle::close(w->maxLogWeight(), maxLog, 1e-12));
        const std::vector<double> scaled = w->scaledWeights();
        std::vector<double> row(static_cast<size_t>(V));
        for (qsizetype h = 0; h < H; ++h) {
            w->logRow(h, row.data());
            for (qsizetype v = 0; v < V; ++v) {
                const double expected = logs[static_cast<size_t>(h * V + v)];
                // The same doubles, not close ones (QCOMPARE on doubles is fuzzy).
                QVERIFY(row[static_cast<size_t>(v)] == w->logWeight(h, v));
                if (std::isinf(expected)) {
                    QVERIFY(std::isinf(w->logWeight(h, v)));
                    QCOMPARE(scaled[static_cast<size_t>(h * V + v)], 0.0);
                    continue;
                }
                QVERIFY(oracle::close(w->logWeight(h, v), expected, 1e-12));
                QVERIFY(oracle::close(scaled[static_cast<size_t>(h * V + v)],
                                      std::exp(w->logWeight(h, v) - w->maxLogWeight()), 1e-15));
                QVERIFY(scaled[static_cast<size_t>(h * V + v)] == w->scaledWeight(h, v));
            }
            // The first persona of highest weight, as a scan of the row finds it.
            qsizetype best = 0;
            for (qsizetype v = 1; v < V; ++v)
                if (row[static_cast<size_t>(v)] > row[static_cast<size_t>(best)])
                    best = v;
            QCOMPARE(w->bestPersona(h), best);
            QVERIFY(w->bestLogWeight(h) == row[static_cast<size_t>(best)]);
            if (h >= 50)
                QCOMPARE(w->bestPersona(h), w->bestPersona(h - 50));
        }
        // The assignment on rows made on demand reaches the optimum of the dense matrix.
        const auto pairs = MaxWeightAssignment::match(w.value());
        const auto dense = MaxWeightAssignment::solve(scaled.data(), H, V);
        QVERIFY(pairs.ok() && dense.ok());
        double onDemand = 0, whole = 0;
        for (qsizetype h = 0; h < H; ++h) {
            onDemand += scaled[static_cast<size_t>(h * V + pairs->at(h).persona)];
            whole += scaled[static_cast<size_t>(h * V + dense.value()[static_cast<size_t>(h)])];
        }
        QVERIFY(oracle::close(onDemand, whole, 1e-12));
    }

    void scaledWeightsFollowExpAcrossTheRange()
    {
        // One human, one trait: persona v's weight is p_v, so the scaled weights are p_v / max p.
        TraitVectors t{2, {1, 0}, {}};
        std::vector<double> p;
        for (double e = 0; e > -760; e -= 0.37)
            p.push_back(std::exp(e));
        p.push_back(0.0);
        for (double x : p)
            t.personas.insert(t.personas.end(), {x, 1 - x});
        const auto w = EdgeWeights::compute({t});
        QVERIFY(w.ok());
        const std::vector<double> scaled = w->scaledWeights();
        QCOMPARE(scaled[0], 1.0);
        for (size_t v = 0; v < p.size(); ++v) {
            // The row's vector forms (SSE2, AVX2 where the CPU has it) and the scalar one give
            // the same double (QCOMPARE on doubles would allow 1e-12 relative).
            QVERIFY(scaled[v] == w->scaledWeight(0, qsizetype(v)));
            const double l = w->logWeight(0, qsizetype(v));
            if (l < -708.0) {
                QCOMPARE(scaled[v], 0.0); // below the smallest normal double: 0 by definition
                continue;
            }
            const double expected = std::exp(l);
            QVERIFY2(std::abs(scaled[v] - expected) <= 4 * std::numeric_limits<double>::epsilon() * expected,
                     qPrintable(QStringLiteral("at log %1: %2 vs %3").arg(l).arg(scaled[v]).arg(expected)));
        }
    }

    void infiniteValuesAreAnError()
    {
        TraitVectors t{2, {1, 0}, {INFINITY, 0.5}};
        const auto w = EdgeWeights::compute({t});
        QVERIFY(!w.ok());
        QVERIFY(w.error().message.contains(QStringLiteral("persona 1")));
    }

    void mismatchedTraitsAreAnError()
    {
        TraitVectors a{2, {1, 0}, {0.5, 0.5}};
        TraitVectors b{2, {1, 0, 0, 1}, {0.5, 0.5}};
        QVERIFY(!EdgeWeights::compute({a, b}).ok());
        TraitVectors c{3, {1, 0}, {0.5, 0.5}};
        QVERIFY(!EdgeWeights::compute({c}).ok());
    }
};

QTEST_GUILESS_MAIN(TestEdgeWeights)
#include "TestEdgeWeights.moc"
