#include "OracleProcess.h"
#include "analysis/CodeMatrix.h"
#include "analysis/CronbachAlpha.h"
#include "util/SeededRandom.h"

#include <QTest>

#include <cmath>

using namespace anthology;

class TestCronbachAlpha : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTextbookFormulaInNumpy()
    {
        // Independent computation: numpy variances (ddof=1) after listwise deletion.
        SeededRandom r(4);
        const qsizetype rows = 300, items = 6;
        const QList<int> k(items, 5);
        CodeMatrix m(rows, items);
        QByteArray input;
        for (qsizetype i = 0; i < rows; ++i) {
            const double latent = r.uniform();
            for (qsizetype c = 0; c < items; ++c) {
                int code = 1 + std::min(4, int((0.7 * latent + 0.3 * r.uniform()) * 5));
                if (r.below(50) == 0)
                    code = 99;
                m.at(i, c) = code;
                input += QByteArray::number(code) + ' ';
            }
            input += '\n';
        }
        const auto res =
            oracle::python("import sys, numpy as np\n"
                           "X = np.loadtxt(sys.stdin, ndmin=2)\n"
                           "X = X[np.all((X >= 1) & (X <= 5), axis=1)]\n"
                           "k = X.shape[1]\n"
                           "a = k / (k - 1) * (1 - X.var(axis=0, ddof=1).sum() / X.sum(axis=1).var(ddof=1))\n"
                           "print(repr(float(a)))\n",
                           input);
        QVERIFY2(res.ok, res.err.constData());
        const auto expected = oracle::numbers(res.out);
        QCOMPARE(expected.size(), 1);
        QVERIFY(oracle::close(CronbachAlpha::listwise(m, k), expected[0]));
        QVERIFY(CronbachAlpha::listwise(m, k) > 0.7); // the items share a latent trait
    }

    void perfectlyParallelItemsGiveOne()
    {
        CodeMatrix m(4, 3);
        m.codes = {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4};
        QVERIFY(oracle::close(CronbachAlpha::listwise(m, {4, 4, 4}), 1.0, 1e-14));
        QVERIFY(oracle::close(CronbachAlpha::pairwise(m, {4, 4, 4}), 1.0, 1e-14));
    }

    void pairwiseEqualsListwiseOnCompleteData()
    {
        SeededRandom r(8);
        CodeMatrix m(80, 4);
        for (int &c : m.codes)
            c = 1 + int(r.below(3));
        QVERIFY(oracle::close(CronbachAlpha::pairwise(m, {3, 3, 3, 3}),
                              CronbachAlpha::listwise(m, {3, 3, 3, 3})));
    }

    void pairwiseUsesRowsListwiseWouldDrop()
    {
        // Items 1-2 agree perfectly; a third item missing for half the rows makes listwise drop
        // them, pairwise keeps them for the first two items' variances.
        CodeMatrix m(6, 3);
        m.codes = {1, 1, 1, 2, 2, 2, 3, 3, 2, 1, 1, 99, 2, 2, 99, 3, 3, 99};
        const QList<int> k{3, 3, 3};
        const double listwise = CronbachAlpha::listwise(m, k);
        const double pairwise = CronbachAlpha::pairwise(m, k);
        QVERIFY(std::isfinite(listwise));
        QVERIFY(std::isfinite(pairwise));
        QVERIFY(std::abs(listwise - pairwise) > 1e-6);
    }

    void degenerateInputsAreNaN_data()
    {
        QTest::addColumn<int>("items");
        QTest::addColumn<int>("fill");
        QTest::newRow("one item") << 1 << 2;
        QTest::newRow("constant answers") << 3 << 2;
        QTest::newRow("all missing") << 3 << 99;
    }

    void degenerateInputsAreNaN()
    {
        QFETCH(int, items);
        QFETCH(int, fill);
        const CodeMatrix m(10, items, fill);
        const QList<int> k(items, 4);
        QVERIFY(std::isnan(CronbachAlpha::listwise(m, k)));
        QVERIFY(std::isnan(CronbachAlpha::pairwise(m, k)));
        QVERIFY(std::isnan(CronbachAlpha::listwise(m, k, std::vector<double>(10, 0.0))));
        // Uneven weights must not turn a constant total into rounding noise.
        std::vector<double> w;
        for (int i = 0; i < 10; ++i)
            w.push_back(0.1 + 0.37 * i);
        QVERIFY(std::isnan(CronbachAlpha::listwise(m, k, w)));
    }
};

QTEST_GUILESS_MAIN(TestCronbachAlpha)
#include "TestCronbachAlpha.moc"
