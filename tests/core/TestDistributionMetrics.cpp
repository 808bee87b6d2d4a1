#include "OracleProcess.h"
#include "analysis/DistributionDistance.h"
#include "analysis/WeightedDistribution.h"
#include "util/SeededRandom.h"

#include <QTest>

#include <cmath>

using namespace anthology;

namespace {

std::vector<double> randomDistribution(SeededRandom &r, int k, bool sparse)
{
    std::vector<double> p(static_cast<size_t>(k));
    double s = 0.0;
    for (double &x : p) {
        x = sparse && r.below(3) == 0 ? 0.0 : r.uniform();
        s += x;
    }
    if (s == 0.0)
        p[0] = s = 1.0;
    for (double &x : p)
        x /= s;
    return p;
}

} // namespace

class TestDistributionMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emdMatchesScipyWasserstein()
    {
        // 200 random pairs, K from 2 to 12, some with zero shares.
        SeededRandom r(77);
        QList<std::vector<double>> ps, qs;
        QByteArray input;
        for (int n = 0; n < 200; ++n) {
            const int k = 2 + int(r.below(11));
            ps.append(randomDistribution(r, k, n % 2 == 0));
            qs.append(randomDistribution(r, k, n % 3 == 0));
            for (const auto *v : {&ps.last(), &qs.last()}) {
                for (double x : *v)
                    input += oracle::formatted(x) + ' ';
                input += '\n';
            }
        }
        const auto res = oracle::python("import sys\n"
                                        "from scipy.stats import wasserstein_distance\n"
                                        "lines = sys.stdin.read().split('\\n')\n"
                                        "for i in range(0, len(lines) - 1, 2):\n"
                                        "    p = [float(x) for x in lines[i].split()]\n"
                                        "    q = [float(x) for x in lines[i + 1].split()]\n"
                                        "    pos = list(range(1, len(p) + 1))\n"
                                        "    print(repr(wasserstein_distance(pos, pos, p, q)))\n",
                                        input);
        QVERIFY2(res.ok, res.err.constData());
        const QList<double> expected = oracle::numbers(res.out);
        QCOMPARE(expected.size(), ps.size());
        for (qsizetype n = 0; n < ps.size(); ++n) {
            const double ours = DistributionDistance::emd(ps[n], qs[n]);
            QVERIFY2(
                oracle::close(ours, expected[n]),
                qPrintable(QStringLiteral("pair %1: ours %2, scipy %3").arg(n).arg(ours).arg(expected[n])));
        }
    }

    void distances_data()
    {
        QTest::addColumn<QList<double>>("p");
        QTest::addColumn<QList<double>>("q");
        QTest::addColumn<double>("emd");
        QTest::addColumn<double>("tv");
        QTest::newRow("identical") << QList<double>{0.2, 0.3, 0.5} << QList<double>{0.2, 0.3, 0.5} << 0.0
                                   << 0.0;
        QTest::newRow("ends of a 4-point scale")
            << QList<double>{1, 0, 0, 0} << QList<double>{0, 0, 0, 1} << 3.0 << 1.0;
        QTest::newRow("one step") << QList<double>{0.5, 0.5, 0} << QList<double>{0, 0.5, 0.5} << 1.0 << 0.5;
    }

    void distances()
    {
        QFETCH(QList<double>, p);
        QFETCH(QList<double>, q);
        QFETCH(double, emd);
        QFETCH(double, tv);
        const std::vector<double> pv(p.begin(), p.end()), qv(q.begin(), q.end());
        QVERIFY(oracle::close(DistributionDistance::emd(pv, qv), emd, 1e-12));
        QVERIFY(oracle::close(DistributionDistance::totalVariation(pv, qv), tv, 1e-12));
    }

    void emptyOrMismatchedIsNaN()
    {
        QVERIFY(std::isnan(DistributionDistance::emd({0, 0, 0}, {0.5, 0.5, 0})));
        QVERIFY(std::isnan(DistributionDistance::totalVariation({1, 0}, {0.5, 0.25, 0.25})));
    }

    void weightedSharesIgnoreMissingCodes()
    {
        // Codes 99 (refused), -1 and 5 (> K) are missing; shares renormalize over the valid rows.
        const std::vector<int> codes = {1, 2, 2, 99, 3, -1, 5, 1};
        const std::vector<double> w = {1.0, 2.0, 1.0, 10.0, 4.0, 3.0, 7.0, 2.0};
        const auto d = WeightedDistribution::fromCodes(codes, w, 4);
        QCOMPARE(d.validCount, 5);
        QCOMPARE(d.sumWeights, 10.0);
        QVERIFY(oracle::close(d.shares[0], 0.3, 1e-15));
        QVERIFY(oracle::close(d.shares[1], 0.3, 1e-15));
        QVERIFY(oracle::close(d.shares[2], 0.4, 1e-15));
        QCOMPARE(d.shares[3], 0.0);
        QVERIFY(oracle::close(d.standardErrors[2], std::sqrt(0.4 * 0.6 / 10.0), 1e-15));
        QVERIFY(oracle::close(d.effectiveSize, 100.0 / 26.0, 1e-15)); // Kish: 10^2 / (1+4+1+16+4)
    }

    void noValidAnswersIsEmptyNotACrash()
    {
        const auto d = WeightedDistribution::fromCodes({99, 98, -1}, {1, 1, 1}, 3);
        QVERIFY(d.empty());
        QCOMPARE(d.shares, (std::vector<double>{0, 0, 0}));
        QVERIFY(std::isnan(d.standardErrors[0]));
        const auto z = WeightedDistribution::fromCodes({1, 2}, {0.0, 0.0}, 3);
        QVERIFY(z.empty());
        QCOMPARE(z.validCount, 2);
    }

    void modelSharesCountCompliantOnly()
    {
        // 0 and -1 are non-compliant answers, left out of the shares; choice 3 is zero-filled.
        const auto d = WeightedDistribution::fromAnswers({1, 1, 2, 0, -1, 4}, 4);
        QCOMPARE(d.shares, (std::vector<double>{0.5, 0.25, 0.0, 0.25}));
    }
};

QTEST_GUILESS_MAIN(TestDistributionMetrics)
#include "TestDistributionMetrics.moc"
