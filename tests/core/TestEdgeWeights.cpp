#include "OracleProcess.h"
#include "matching/CategoryMap.h"
#include "matching/EdgeWeights.h"
#include "matching/GreedyMatcher.h"
#include "util/Result.h"

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
