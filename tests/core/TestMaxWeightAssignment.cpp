#include "OracleProcess.h"
#include "matching/EdgeWeights.h"
#include "matching/MaxWeightAssignment.h"
#include "util/SeededRandom.h"

#include <QSet>
#include <QTest>

using namespace anthology;

namespace {

struct Instance
{
    qsizetype rows = 0;
    qsizetype cols = 0;
    std::vector<double> w;
};

// Random rectangular instances: continuous weights, coarse integer weights (many ties) and
// zero rows, up to 60 x 150.
Instance makeInstance(SeededRandom &r, int kind)
{
    Instance in;
    in.rows = 1 + qsizetype(r.below(60));
    in.cols = in.rows + qsizetype(r.below(static_cast<std::uint64_t>(151 - in.rows)));
    in.w.resize(static_cast<size_t>(in.rows * in.cols));
    for (double &x : in.w)
        x = kind == 0 ? r.uniform() : kind == 1 ? double(r.below(4)) : r.uniform() * 1e-3;
    if (kind == 2)
        for (qsizetype i = 0; i < in.rows; i += 3)
            for (qsizetype j = 0; j < in.cols; ++j)
                in.w[static_cast<size_t>(i * in.cols + j)] = 0.0;
    return in;
}

double total(const Instance &in, const std::vector<qsizetype> &cols)
{
    double s = 0.0;
    for (qsizetype i = 0; i < in.rows; ++i)
        s += in.w[static_cast<size_t>(i * in.cols + cols[static_cast<size_t>(i)])];
    return s;
}

} // namespace

class TestMaxWeightAssignment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesScipyOptimum()
    {
        // 30 instances; one python process solves them all.
        SeededRandom r(2024);
        QList<Instance> instances;
        QByteArray input;
        for (int n = 0; n < 30; ++n) {
            instances.append(makeInstance(r, n % 3));
            const Instance &in = instances.last();
            input += QByteArray::number(in.rows) + ' ' + QByteArray::number(in.cols) + '\n';
            for (double x : in.w)
                input += oracle::formatted(x) + ' ';
            input += '\n';
        }
        const auto res = oracle::python("import sys, numpy as np\n"
                                        "from scipy.optimize import linear_sum_assignment\n"
                                        "lines = sys.stdin.read().split('\\n')\n"
                                        "for k in range(0, len(lines) - 1, 2):\n"
                                        "    n, m = map(int, lines[k].split())\n"
                                        "    W = np.array(lines[k + 1].split(), dtype=float).reshape(n, m)\n"
                                        "    r, c = linear_sum_assignment(W, maximize=True)\n"
                                        "    print(repr(float(W[r, c].sum())))\n",
                                        input);
        QVERIFY2(res.ok, res.err.constData());
        const QList<double> expected = oracle::numbers(res.out);
        QCOMPARE(expected.size(), instances.size());
        for (qsizetype n = 0; n < instances.size(); ++n) {
            const Instance &in = instances[n];
            const auto cols = MaxWeightAssignment::solve(in.w.data(), in.rows, in.cols);
            QVERIFY(cols.ok());
            QSet<qsizetype> used;
            for (qsizetype c : cols.value()) {
                QVERIFY(c >= 0 && c < in.cols);
                used.insert(c);
            }
            QCOMPARE(used.size(), in.rows); // one-to-one
            const double ours = total(in, cols.value());
            QVERIFY2(oracle::close(ours, expected[n]),
                     qPrintable(QStringLiteral("instance %1 (%2x%3): ours %4, scipy %5")
                                    .arg(n)
                                    .arg(in.rows)
                                    .arg(in.cols)
                                    .arg(ours, 0, 'g', 17)
                                    .arg(expected[n], 0, 'g', 17)));
        }
    }

    void squareProblemWhereGreedyIsWrong()
    {
        // Row 0's best column is also row 1's only good one: the optimum gives it up.
        const std::vector<double> w = {10, 9, 10, 1};
        const auto cols = MaxWeightAssignment::solve(w.data(), 2, 2);
        QVERIFY(cols.ok());
        QCOMPARE(cols.value(), (std::vector<qsizetype>{1, 0}));
    }

    void rejectsMoreHumansThanPersonas()
    {
        const std::vector<double> w(6, 1.0);
        QVERIFY(!MaxWeightAssignment::solve(w.data(), 3, 2).ok());
    }

    void rejectsNonFiniteWeights()
    {
        std::vector<double> w(4, 1.0);
        w[2] = qQNaN();
        QVERIFY(!MaxWeightAssignment::solve(w.data(), 2, 2).ok());
    }

    void emptyProblem()
    {
        const auto cols = MaxWeightAssignment::solve(nullptr, 0, 5);
        QVERIFY(cols.ok());
        QVERIFY(cols.value().empty());
    }

    void underflowingWeightsStillOptimal()
    {
        // Two identical traits with tiny probabilities: every raw product is ~1e-400, zero in a
        // double. Weights h0: 4, 9, 1 and h1: 1, 9, 1 (x 1e-400): the optimum 4 + 9 beats
        // greedy's 9 + 1, and only scaling in log space can tell.
        TraitVectors t;
        t.categories = 3;
        t.humans = {1, 0, 0, 0, 1, 0};
        const double a = 1e-200;
        t.personas = {2 * a, a, 1 - 3 * a, 3 * a, 3 * a, 1 - 6 * a, a, a, 1 - 2 * a};
        auto weights = EdgeWeights::compute({t, t});
        QVERIFY(weights.ok());
        QCOMPARE(weights->weight(0, 0), 0.0); // the raw product does underflow
        const auto pairs = MaxWeightAssignment::match(weights.value());
        QVERIFY(pairs.ok());
        QCOMPARE(pairs->size(), 2);
        QCOMPARE(pairs->at(0).persona, 0);
        QCOMPARE(pairs->at(1).persona, 1);
        QVERIFY(oracle::close(pairs->at(0).logWeight, 2 * std::log(2 * a), 1e-12));
    }
};

QTEST_GUILESS_MAIN(TestMaxWeightAssignment)
#include "TestMaxWeightAssignment.moc"
