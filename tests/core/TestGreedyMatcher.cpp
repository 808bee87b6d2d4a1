#include "matching/EdgeWeights.h"
#include "matching/GreedyMatcher.h"
#include "matching/MaxWeightAssignment.h"
#include "matching/RandomMatcher.h"
#include "util/SeededRandom.h"

#include <QSet>
#include <QTest>

using namespace anthology;

namespace {

EdgeWeights oneTrait(int categories, const std::vector<double> &humans, const std::vector<double> &personas)
{
    auto w = EdgeWeights::compute({TraitVectors{categories, humans, personas}});
    return w.ok() ? w.value() : EdgeWeights();
}

} // namespace

class TestGreedyMatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyHumanTakesItsBestPersonaEvenIfShared()
    {
        // Both humans are category 0; persona 1 is the most likely for both and serves both.
        const EdgeWeights w = oneTrait(2, {1, 0, 1, 0, 0, 1}, {0.2, 0.8, 0.9, 0.1, 0.6, 0.4});
        const auto pairs = GreedyMatcher::match(w);
        QCOMPARE(pairs.size(), 3);
        QCOMPARE(pairs[0].persona, 1);
        QCOMPARE(pairs[1].persona, 1);
        QCOMPARE(pairs[2].persona, 0);
        QCOMPARE(pairs[0].human, 0);
        QCOMPARE(pairs[1].weight, 0.9);
    }

    void tiesGoToTheLowestPersonaIndex()
    {
        const EdgeWeights w = oneTrait(2, {1, 0}, {0.1, 0.9, 0.7, 0.3, 0.7, 0.3});
        QCOMPARE(GreedyMatcher::match(w)[0].persona, 1);
        const EdgeWeights allZero = oneTrait(2, {1, 0}, {0, 1, 0, 1});
        QCOMPARE(GreedyMatcher::match(allZero)[0].persona, 0);
    }

    void greedyTotalNeverBelowAssignment()
    {
        // Greedy may reuse personas, so its total bounds the one-to-one optimum from above.
        SeededRandom r(12);
        for (int n = 0; n < 10; ++n) {
            const int humans = 20, personas = 35, c = 4;
            std::vector<double> hv, pv;
            for (int h = 0; h < humans; ++h) {
                const auto hot = r.below(c);
                for (int k = 0; k < c; ++k)
                    hv.push_back(k == int(hot) ? 1.0 : 0.0);
            }
            for (int v = 0; v < personas; ++v) {
                double s = 0;
                std::vector<double> p(c);
                for (double &x : p)
                    s += x = r.uniform();
                for (double x : p)
                    pv.push_back(x / s);
            }
            const EdgeWeights w = oneTrait(c, hv, pv);
            double greedy = 0, optimum = 0;
            for (const auto &p : GreedyMatcher::match(w))
                greedy += p.weight;
            const auto opt = MaxWeightAssignment::match(w);
            QVERIFY(opt.ok());
            QSet<qsizetype> used;
            for (const auto &p : opt.value()) {
                optimum += p.weight;
                used.insert(p.persona);
            }
            QCOMPARE(used.size(), humans);
            QVERIFY(greedy >= optimum - 1e-12);
        }
    }

    void randomMatcherIsSeededAndDistinct()
    {
        const auto personasOf = [](const QList<MatchPair> &pairs) {
            QList<qsizetype> out;
            for (const auto &p : pairs)
                out.append(p.persona);
            return out;
        };
        const auto a = RandomMatcher::match(10, 25, 3);
        QCOMPARE(personasOf(a), personasOf(RandomMatcher::match(10, 25, 3)));
        QVERIFY(personasOf(a) != personasOf(RandomMatcher::match(10, 25, 4)));
        QVERIFY(qIsNaN(a[0].weight)); // no weights given
        QSet<qsizetype> used;
        for (const auto &p : a) {
            QVERIFY(p.persona >= 0 && p.persona < 25);
            used.insert(p.persona);
        }
        QCOMPARE(used.size(), 10);
        // Fewer personas than humans: every persona used before any repeats.
        const auto wrap = RandomMatcher::match(7, 3, 1);
        QCOMPARE(wrap.size(), 7);
        QSet<qsizetype> firstThree;
        for (int i = 0; i < 3; ++i)
            firstThree.insert(wrap[i].persona);
        QCOMPARE(firstThree.size(), 3);
        QVERIFY(RandomMatcher::match(0, 3, 1).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestGreedyMatcher)
#include "TestGreedyMatcher.moc"
