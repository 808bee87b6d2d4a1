#include "OracleProcess.h"
#include "analysis/CodeMatrix.h"
#include "analysis/CorrelationMatrix.h"
#include "analysis/MatrixDistance.h"
#include "util/SeededRandom.h"

#include <QTest>

#include <cmath>

using namespace anthology;

namespace {

// Correlated 1..K answers with some missing codes (99, -1) and varied weights.
struct Sample
{
    QList<int> k;
    CodeMatrix codes;
    std::vector<double> weights;
};

Sample makeSample(std::uint64_t seed, qsizetype rows, qsizetype cols)
{
    SeededRandom r(seed);
    Sample s;
    for (qsizetype c = 0; c < cols; ++c)
        s.k.append(2 + int(r.below(5)));
    s.codes = CodeMatrix(rows, cols);
    for (qsizetype i = 0; i < rows; ++i) {
        const double latent = r.uniform();
        s.weights.push_back(0.2 + 3.0 * r.uniform());
        for (qsizetype c = 0; c < cols; ++c) {
            const int k = s.k[c];
            const double x = 0.6 * latent + 0.4 * r.uniform();
            int code = 1 + std::min(k - 1, int(x * k));
            const auto roll = r.below(40);
            if (roll == 0)
                code = 99;
            else if (roll == 1)
                code = -1;
            s.codes.at(i, c) = code;
        }
    }
    return s;
}

} // namespace

class TestCorrelation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void weightedMatchesNumpyCovAweights_data()
    {
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::newRow("small") << quint64(1) << 30 << 3;
        QTest::newRow("medium") << quint64(2) << 500 << 8;
        QTest::newRow("wide") << quint64(3) << 2000 << 15;
    }

    void weightedMatchesNumpyCovAweights()
    {
        QFETCH(quint64, seed);
        QFETCH(int, rows);
        QFETCH(int, cols);
        const Sample s = makeSample(seed, rows, cols);
        // numpy does the listwise deletion on its side from the raw codes.
        QByteArray input;
        for (int k : s.k)
            input += QByteArray::number(k) + ' ';
        input += '\n';
        for (qsizetype i = 0; i < rows; ++i) {
            input += oracle::formatted(s.weights[static_cast<size_t>(i)]);
            for (qsizetype c = 0; c < cols; ++c)
                input += ' ' + QByteArray::number(s.codes.at(i, c));
            input += '\n';
        }
        const auto res = oracle::python("import sys, numpy as np\n"
                                        "lines = sys.stdin.read().strip().split('\\n')\n"
                                        "K = np.array(lines[0].split(), dtype=float)\n"
                                        "D = np.array([l.split() for l in lines[1:]], dtype=float)\n"
                                        "w, X = D[:, 0], D[:, 1:]\n"
                                        "keep = np.all((X >= 1) & (X <= K), axis=1)\n"
                                        "w, X = w[keep] / w[keep].sum(), X[keep]\n"
                                        "C = np.cov(X, rowvar=False, aweights=w)\n"
                                        "d = np.sqrt(np.diag(C))\n"
                                        "R = C / np.outer(d, d)\n"
                                        "print(int(keep.sum()))\n"
                                        "print(' '.join(repr(float(v)) for v in R.ravel()))\n",
                                        input);
        QVERIFY2(res.ok, res.err.constData());
        const QList<double> expected = oracle::numbers(res.out);
        QCOMPARE(expected.size(), 1 + cols * cols);
        const auto ours = CorrelationMatrix::weighted(s.codes, s.weights, s.k);
        QCOMPARE(double(ours.rowsUsed()), expected[0]);
        for (qsizetype i = 0; i < cols * cols; ++i)
            QVERIFY2(oracle::close(ours.values()[static_cast<size_t>(i)], expected[i + 1]),
                     qPrintable(QStringLiteral("entry %1: ours %2, numpy %3")
                                    .arg(i)
                                    .arg(ours.values()[static_cast<size_t>(i)], 0, 'g', 17)
                                    .arg(expected[i + 1], 0, 'g', 17)));
    }

    void pairwiseMatchesNumpyPerPair()
    {
        // Model answers: each pair over the rows compliant on both; numpy corrcoef per pair.
        const Sample s = makeSample(9, 300, 6);
        QByteArray input;
        for (int k : s.k)
            input += QByteArray::number(k) + ' ';
        input += '\n';
        for (qsizetype i = 0; i < s.codes.rows; ++i) {
            for (qsizetype c = 0; c < s.codes.cols; ++c)
                input += QByteArray::number(s.codes.at(i, c)) + ' ';
            input += '\n';
        }
        const auto res = oracle::python("import sys, numpy as np\n"
                                        "lines = sys.stdin.read().strip().split('\\n')\n"
                                        "K = np.array(lines[0].split(), dtype=float)\n"
                                        "X = np.array([l.split() for l in lines[1:]], dtype=float)\n"
                                        "V = (X >= 1) & (X <= K)\n"
                                        "q = X.shape[1]\n"
                                        "out = []\n"
                                        "for i in range(q):\n"
                                        "    for j in range(q):\n"
                                        "        m = V[:, i] & V[:, j]\n"
                                        "        out.append(np.corrcoef(X[m, i], X[m, j])[0, 1])\n"
                                        "print(' '.join(repr(float(v)) for v in out))\n",
                                        input);
        QVERIFY2(res.ok, res.err.constData());
        const QList<double> expected = oracle::numbers(res.out);
        const auto ours = CorrelationMatrix::pairwise(s.codes, s.k);
        QCOMPARE(qsizetype(expected.size()), ours.size() * ours.size());
        for (qsizetype i = 0; i < expected.size(); ++i)
            QVERIFY(oracle::close(ours.values()[static_cast<size_t>(i)], expected[i]));
    }

    void constantColumnIsNaNNotACrash()
    {
        CodeMatrix m(4, 2);
        const int data[] = {1, 1, 2, 1, 3, 1, 4, 1};
        std::copy(std::begin(data), std::end(data), m.codes.begin());
        const auto c = CorrelationMatrix::weighted(m, {1, 1, 1, 1}, {4, 4});
        QCOMPARE(c.at(0, 0), 1.0);
        QVERIFY(std::isnan(c.at(1, 1)));
        QVERIFY(std::isnan(c.at(0, 1)));
        QVERIFY(std::isnan(CorrelationMatrix::weighted(m, {0, 0, 0, 0}, {4, 4}).at(0, 0)));
    }

    void matrixDistances()
    {
        // A = [[1, .5], [.5, 1]], B = [[1, -.5], [-.5, 1]]: tr(AB) = 1.5, |A|_F^2 = |B|_F^2 = 2.5.
        CodeMatrix a(3, 2), b(3, 2);
        a.codes = {1, 1, 2, 3, 3, 2};
        b.codes = {1, 3, 2, 1, 3, 2};
        const auto ca = CorrelationMatrix::pairwise(a, {3, 3});
        const auto cb = CorrelationMatrix::pairwise(b, {3, 3});
        QVERIFY(oracle::close(ca.at(0, 1), 0.5, 1e-15));
        QVERIFY(oracle::close(cb.at(0, 1), -0.5, 1e-15));
        QVERIFY(oracle::close(MatrixDistance::cbs(ca, cb), 1.0 - 1.5 / 2.5, 1e-15));
        QVERIFY(oracle::close(MatrixDistance::frobenius(ca, cb), std::sqrt(2.0), 1e-15));
        QVERIFY(oracle::close(MatrixDistance::l1(ca, cb), 2.0, 1e-15));
        QCOMPARE(MatrixDistance::cbs(ca, ca), 0.0);
    }

    void undefinedModelCorrelationsGiveNoDistance()
    {
        // A model that answered each question with one option only has no defined correlation;
        // its matrix agrees with the humans' on the diagonal alone, which says nothing.
        CodeMatrix human(3, 2), model(3, 2);
        human.codes = {1, 1, 2, 3, 3, 2};
        model.codes = {2, 1, 2, 1, 2, 1};
        const auto ch = CorrelationMatrix::pairwise(human, {3, 3});
        const auto cm = CorrelationMatrix::pairwise(model, {3, 3});
        QVERIFY(std::isnan(cm.at(0, 1)));
        QVERIFY(std::isnan(MatrixDistance::cbs(ch, cm)));
        QVERIFY(std::isnan(MatrixDistance::frobenius(ch, cm)));
        QVERIFY(std::isnan(MatrixDistance::l1(ch, cm)));
    }
};

QTEST_GUILESS_MAIN(TestCorrelation)
#include "TestCorrelation.moc"
