#include "OracleProcess.h"
#include "analysis/BootstrapInterval.h"
#include "util/SeededRandom.h"

#include <QTest>

#include <cmath>

using namespace anthology;

class TestBootstrapInterval : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quantileMatchesNumpyLinear()
    {
        SeededRandom r(3);
        std::vector<double> v(37);
        for (double &x : v)
            x = r.uniform() * 10.0;
        std::sort(v.begin(), v.end());
        QByteArray input;
        for (double x : v)
            input += oracle::formatted(x) + ' ';
        const auto res = oracle::python("import sys, numpy as np\n"
                                        "v = np.array(sys.stdin.read().split(), dtype=float)\n"
                                        "print(' '.join(repr(float(np.quantile(v, q))) for q in "
                                        "(0.0, 0.025, 0.5, 0.975, 1.0)))\n",
                                        input);
        QVERIFY2(res.ok, res.err.constData());
        const auto expected = oracle::numbers(res.out);
        QCOMPARE(expected.size(), 5);
        const double qs[] = {0.0, 0.025, 0.5, 0.975, 1.0};
        for (int i = 0; i < 5; ++i)
            QVERIFY(oracle::close(BootstrapInterval::quantile(v, qs[i]), expected[i], 1e-12));
    }

    void intervalBracketsTheMeanAndIsSeeded()
    {
        SeededRandom r(5);
        std::vector<double> v(20);
        for (double &x : v)
            x = r.uniform();
        const Interval a = BootstrapInterval::ofMean(v, 2000, 9);
        const Interval b = BootstrapInterval::ofMean(v, 2000, 9);
        const Interval c = BootstrapInterval::ofMean(v, 2000, 10);
        QCOMPARE(a.lower, b.lower);
        QCOMPARE(a.upper, b.upper);
        QVERIFY(a.lower != c.lower || a.upper != c.upper);
        QVERIFY(a.lower < a.estimate && a.estimate < a.upper);
        // Standard error of a mean of U(0,1) over 20 values is ~0.065: a 95% interval ~0.25 wide.
        QVERIFY(a.upper - a.lower > 0.1 && a.upper - a.lower < 0.45);
    }

    void wideningWithLevel()
    {
        const std::vector<double> v{0.1, 0.4, 0.35, 0.8, 0.2, 0.55, 0.6, 0.05};
        const Interval i90 = BootstrapInterval::ofMean(v, 1000, 1, 0.90);
        const Interval i99 = BootstrapInterval::ofMean(v, 1000, 1, 0.99);
        QVERIFY(i99.lower <= i90.lower && i99.upper >= i90.upper);
    }

    void degenerateInputs()
    {
        const Interval none = BootstrapInterval::ofMean({qQNaN(), qQNaN()}, 100, 1);
        QVERIFY(std::isnan(none.estimate) && std::isnan(none.lower));
        const Interval one = BootstrapInterval::ofMean({0.3, qQNaN()}, 100, 1);
        QCOMPARE(one.estimate, 0.3);
        QCOMPARE(one.lower, 0.3);
        QCOMPARE(one.upper, 0.3);
        const Interval noResamples = BootstrapInterval::ofMean({0.1, 0.5}, 0, 1);
        QCOMPARE(noResamples.lower, noResamples.estimate);
    }
};

QTEST_GUILESS_MAIN(TestBootstrapInterval)
#include "TestBootstrapInterval.moc"
