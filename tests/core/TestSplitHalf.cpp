#include "OracleProcess.h"
#include "analysis/CodeMatrix.h"
#include "analysis/SplitHalfBound.h"
#include "util/SeededRandom.h"

#include <QTest>

#include <cmath>

using namespace anthology;

namespace {

CodeMatrix randomCodes(std::uint64_t seed, qsizetype rows, const QList<int> &k, std::vector<double> &weights)
{
    SeededRandom r(seed);
    CodeMatrix m(rows, k.size());
    weights.clear();
    for (qsizetype i = 0; i < rows; ++i) {
        weights.push_back(0.5 + r.uniform());
        const double latent = r.uniform();
        for (qsizetype c = 0; c < k.size(); ++c)
            m.at(i, c) = 1 + std::min(k[c] - 1, int((0.5 * latent + 0.5 * r.uniform()) * k[c]));
    }
    return m;
}

} // namespace

class TestSplitHalf : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameSeedSameBound()
    {
        std::vector<double> w;
        const QList<int> k{4, 5, 3};
        const CodeMatrix m = randomCodes(1, 400, k, w);
        const auto a = SplitHalfBound::compute(m, w, k, 20, 42);
        const auto b = SplitHalfBound::compute(m, w, k, 20, 42);
        const auto c = SplitHalfBound::compute(m, w, k, 20, 43);
        QCOMPARE(a.emd, b.emd);
        QCOMPARE(a.cbs, b.cbs);
        QVERIFY(a.emd != c.emd);
        QCOMPARE(a.iterations, 20);
    }

    void boundShrinksWithSampleSize()
    {
        // Sampling noise between halves falls like 1/sqrt(n): 16x the rows, about 1/4 the distance.
        std::vector<double> w;
        const QList<int> k{5, 5};
        const CodeMatrix small = randomCodes(2, 200, k, w);
        const auto s = SplitHalfBound::compute(small, w, k, 20, 7);
        const CodeMatrix large = randomCodes(3, 3200, k, w);
        const auto l = SplitHalfBound::compute(large, w, k, 20, 7);
        for (size_t q = 0; q < 2; ++q) {
            QVERIFY(l.emd[q] < 0.5 * s.emd[q]);
            QVERIFY(l.totalVariation[q] < 0.5 * s.totalVariation[q]);
            QVERIFY(l.emd[q] > 0.0);
        }
        QVERIFY(l.frobenius < s.frobenius);
    }

    void identicalRowsGiveZero()
    {
        // Every human answered the same: both halves agree exactly; correlations are undefined
        // (constant columns), so the matrix bounds are NaN rather than a made-up number.
        CodeMatrix m(50, 2, 3);
        std::vector<double> w;
        for (int i = 0; i < 50; ++i)
            w.push_back(0.3 + 0.17 * i); // uneven, so weighted means round
        const auto b = SplitHalfBound::compute(m, w, {4, 4}, 20, 1);
        QCOMPARE(b.emd, (std::vector<double>{0.0, 0.0}));
        QCOMPARE(b.totalVariation, (std::vector<double>{0.0, 0.0}));
        QVERIFY(std::isnan(b.cbs));
    }

    void questionWithoutValidAnswersIsNaN()
    {
        CodeMatrix m(10, 2, 1);
        for (qsizetype i = 0; i < 10; ++i)
            m.at(i, 1) = 99;
        const auto b = SplitHalfBound::compute(m, std::vector<double>(10, 1.0), {2, 2}, 5, 1);
        QCOMPARE(b.emd[0], 0.0);
        QVERIFY(std::isnan(b.emd[1]));
    }

    void tooFewRowsDoesNotCrash()
    {
        CodeMatrix m(1, 1, 1);
        const auto b = SplitHalfBound::compute(m, {1.0}, {3}, 20, 1);
        QVERIFY(std::isnan(b.emd[0])); // one half is empty
        const auto none = SplitHalfBound::compute(CodeMatrix(0, 2), {}, {3, 3}, 20, 1);
        QCOMPARE(none.emd.size(), size_t(2));
    }
};

QTEST_GUILESS_MAIN(TestSplitHalf)
#include "TestSplitHalf.moc"
