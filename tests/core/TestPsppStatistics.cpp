#include "OracleProcess.h"
#include "PsppTables.h"
#include "analysis/CodeMatrix.h"
#include "analysis/CorrelationMatrix.h"
#include "analysis/CronbachAlpha.h"
#include "analysis/WeightedDistribution.h"
#include "util/SeededRandom.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace anthology;

namespace {

using test::PsppTable;
using test::PsppTables;

const QByteArray &kPrecision = PsppTables::precision;

double cellNumber(const QByteArray &cell)
{
    return PsppTables::number(cell);
}

QList<QByteArray> splitCsv(const QByteArray &line)
{
    return PsppTables::splitCsv(line);
}

const PsppTable *find(const QList<PsppTable> &tables, const QByteArray &title, int nth = 0)
{
    return PsppTables::find(tables, title, nth);
}

QList<PsppTable> runPspp(const QTemporaryDir &dir, const QByteArray &syntax)
{
    return PsppTables::run(dir.path(), syntax);
}

QByteArray number(double v)
{
    return QByteArray::number(v, 'g', 17);
}

// A CSV written by SAVE TRANSLATE: header row, then numbers (blank = system-missing).
struct CsvData
{
    QList<QByteArray> names;
    QList<std::vector<double>> columns;
};

CsvData readCsv(const QString &path)
{
    CsvData d;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return d;
    const QList<QByteArray> lines = f.readAll().split('\n');
    d.names = splitCsv(lines.value(0).trimmed());
    d.columns.resize(d.names.size());
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (lines[i].trimmed().isEmpty())
            continue;
        const auto cells = splitCsv(lines[i].trimmed());
        for (qsizetype c = 0; c < d.names.size(); ++c)
            d.columns[c].push_back(cellNumber(cells.value(c)));
    }
    return d;
}

CodeMatrix codesFrom(const CsvData &d, const QList<QByteArray> &names)
{
    const qsizetype rows = d.columns.isEmpty() ? 0 : qsizetype(d.columns[0].size());
    CodeMatrix m(rows, names.size());
    for (qsizetype c = 0; c < names.size(); ++c) {
        const auto &col = d.columns[d.names.indexOf(names[c])];
        for (qsizetype r = 0; r < rows; ++r)
            m.at(r, c) = std::isfinite(col[static_cast<size_t>(r)])
                             ? int(std::lround(col[static_cast<size_t>(r)]))
                             : -1;
    }
    return m;
}

} // namespace

class TestPsppStatistics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void generatedWeightedDataWithMissingValues_data()
    {
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<int>("rows");
        QTest::newRow("small") << quint64(5) << 40;
        QTest::newRow("larger") << quint64(6) << 600;
    }

    void generatedWeightedDataWithMissingValues()
    {
        QFETCH(quint64, seed);
        QFETCH(int, rows);
        const int items = 4;
        SeededRandom r(seed);
        QList<int> k;
        for (int c = 0; c < items; ++c)
            k.append(3 + int(r.below(3)));
        CodeMatrix codes(rows, items);
        std::vector<double> weights;
        QByteArray data;
        for (int i = 0; i < rows; ++i) {
            const double latent = r.uniform();
            weights.push_back(0.25 + 2.5 * r.uniform());
            for (int c = 0; c < items; ++c) {
                int code = 1 + std::min(k[c] - 1, int((0.5 * latent + 0.5 * r.uniform()) * k[c]));
                const auto roll = r.below(25);
                code = roll == 0 ? 99 : roll == 1 ? -1 : code; // refused, not asked
                codes.at(i, c) = code;
                data += QByteArray::number(code) + ' ';
            }
            data += number(weights.back()) + '\n';
        }
        const QByteArray syntax = kPrecision + "DATA LIST LIST /q1 q2 q3 q4 w.\nBEGIN DATA.\n" + data +
                                  "END DATA.\n"
                                  "MISSING VALUES q1 TO q4 (99, -1).\n"
                                  "WEIGHT BY w.\n"
                                  "FREQUENCIES /VARIABLES=q1 q2 q3 q4 /STATISTICS=NONE.\n"
                                  "CORRELATIONS /VARIABLES=q1 q2 q3 q4 /MISSING=LISTWISE.\n"
                                  // PSPP 1.6's RELIABILITY does not apply WEIGHT BY (its alpha
                                  // equals the unweighted one), so ask for that explicitly; the
                                  // weighted definition is checked by frequencyWeightedAlpha.
                                  "WEIGHT OFF.\n"
                                  "RELIABILITY /VARIABLES=q1 q2 q3 q4 /MODEL=ALPHA.\n";
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto tables = runPspp(dir, syntax);

        for (int c = 0; c < items; ++c) {
            const PsppTable *t = find(tables, "q" + QByteArray::number(c + 1));
            QVERIFY2(t, "frequency table missing from PSPP output");
            const QMap<int, double> expected = t->validShares();
            const auto ours = WeightedDistribution::fromCodes(codes.column(c), weights, k[c]);
            for (int v = 1; v <= k[c]; ++v)
                QVERIFY2(oracle::close(ours.shares[static_cast<size_t>(v - 1)], expected.value(v, 0.0)),
                         qPrintable(QStringLiteral("q%1 code %2: ours %3, pspp %4")
                                        .arg(c + 1)
                                        .arg(v)
                                        .arg(ours.shares[static_cast<size_t>(v - 1)], 0, 'g', 17)
                                        .arg(expected.value(v), 0, 'g', 17)));
        }

        const PsppTable *rel = find(tables, "Reliability Statistics");
        QVERIFY(rel && rel->rows.size() >= 2);
        const double alpha = cellNumber(rel->rows[1][0]);
        QVERIFY2(oracle::close(CronbachAlpha::listwise(codes, k), alpha),
                 qPrintable(QStringLiteral("alpha ours %1, pspp %2")
                                .arg(CronbachAlpha::listwise(codes, k), 0, 'g', 17)
                                .arg(alpha, 0, 'g', 17)));

        const PsppTable *corr = find(tables, "Correlations");
        QVERIFY(corr);
        const std::vector<double> expected = corr->pearson();
        const auto ours = CorrelationMatrix::weighted(codes, weights, k);
        QCOMPARE(expected.size(), ours.values().size());
        for (size_t i = 0; i < expected.size(); ++i)
            QVERIFY2(oracle::close(ours.values()[i], expected[i]),
                     qPrintable(QStringLiteral("r[%1] ours %2 pspp %3")
                                    .arg(i)
                                    .arg(ours.values()[i], 0, 'g', 17)
                                    .arg(expected[i], 0, 'g', 17)));
    }

    void frequencyWeightedAlpha()
    {
        // Our weighted alpha treats weights as frequencies: integer weights must give PSPP's alpha
        // on the data with each row repeated weight times (no WEIGHT BY involved).
        SeededRandom r(11);
        const int rows = 120, items = 5;
        const QList<int> k(items, 4);
        CodeMatrix codes(rows, items);
        std::vector<double> weights;
        QByteArray data;
        for (int i = 0; i < rows; ++i) {
            const double latent = r.uniform();
            weights.push_back(double(1 + r.below(4)));
            QByteArray line;
            for (int c = 0; c < items; ++c) {
                int code = 1 + std::min(3, int((0.6 * latent + 0.4 * r.uniform()) * 4));
                if (r.below(30) == 0)
                    code = 99;
                codes.at(i, c) = code;
                line += QByteArray::number(code) + ' ';
            }
            for (int copy = 0; copy < int(weights.back()); ++copy)
                data += line + '\n';
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto tables =
            runPspp(dir, kPrecision + "DATA LIST LIST /q1 q2 q3 q4 q5.\nBEGIN DATA.\n" + data +
                             "END DATA.\n"
                             "MISSING VALUES q1 TO q5 (99).\n"
                             "RELIABILITY /VARIABLES=q1 TO q5 /MODEL=ALPHA.\n");
        const PsppTable *rel = find(tables, "Reliability Statistics");
        QVERIFY(rel && rel->rows.size() >= 2);
        const double expected = cellNumber(rel->rows[1][0]);
        QVERIFY2(oracle::close(CronbachAlpha::listwise(codes, k, weights), expected),
                 qPrintable(QStringLiteral("ours %1, pspp %2")
                                .arg(CronbachAlpha::listwise(codes, k, weights), 0, 'g', 17)
                                .arg(expected, 0, 'g', 17)));
        // Scaling the weights changes nothing in the listwise form.
        std::vector<double> scaled = weights;
        for (double &w : scaled)
            w *= 0.37;
        QVERIFY(oracle::close(CronbachAlpha::listwise(codes, k, scaled), expected));
    }

    void hotelExample()
    {
        // PSPP's own example survey: five 1..5 items; data read back through SAVE TRANSLATE.
        const QString sav = QStringLiteral("/usr/share/pspp/examples/hotel.sav");
        QVERIFY2(QFile::exists(sav), "pspp's examples are part of the pspp package");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray csvPath = dir.filePath(QStringLiteral("hotel.csv")).toUtf8();
        const auto tables = runPspp(dir, kPrecision + "GET FILE='" + sav.toUtf8() +
                                             "'.\n"
                                             "FREQUENCIES /VARIABLES=v1 TO v5 /STATISTICS=NONE.\n"
                                             "RELIABILITY /VARIABLES=v1 TO v5 /MODEL=ALPHA.\n"
                                             "CORRELATIONS /VARIABLES=v1 TO v5 /MISSING=LISTWISE.\n"
                                             "SAVE TRANSLATE /OUTFILE='" +
                                             csvPath + "' /TYPE=CSV /FIELDNAMES /REPLACE.\n");
        const QList<QByteArray> names{"v1", "v2", "v3", "v4", "v5"};
        const CodeMatrix codes = codesFrom(readCsv(QString::fromUtf8(csvPath)), names);
        QCOMPARE(codes.rows, 17);
        const QList<int> k(5, 5);
        const std::vector<double> ones(static_cast<size_t>(codes.rows), 1.0);

        for (qsizetype c = 0; c < names.size(); ++c) {
            const PsppTable *t = find(tables, names[c]);
            QVERIFY(t);
            const QMap<int, double> expected = t->validShares();
            const auto ours = WeightedDistribution::fromCodes(codes.column(c), ones, 5);
            for (int v = 1; v <= 5; ++v)
                QVERIFY(oracle::close(ours.shares[static_cast<size_t>(v - 1)], expected.value(v, 0.0)));
        }
        const PsppTable *rel = find(tables, "Reliability Statistics");
        QVERIFY(rel && rel->rows.size() >= 2);
        QVERIFY(oracle::close(CronbachAlpha::listwise(codes, k), cellNumber(rel->rows[1][0])));
        QVERIFY(oracle::close(CronbachAlpha::listwise(codes, k, ones), cellNumber(rel->rows[1][0])));

        const PsppTable *corr = find(tables, "Correlations");
        QVERIFY(corr);
        const std::vector<double> expected = corr->pearson();
        const auto ours = CorrelationMatrix::weighted(codes, ones, k);
        QCOMPARE(expected.size(), ours.values().size());
        for (size_t i = 0; i < expected.size(); ++i)
            QVERIFY(oracle::close(ours.values()[i], expected[i]));
        // Unweighted pairwise on complete data is the same Pearson matrix.
        const auto pairwise = CorrelationMatrix::pairwise(codes, k);
        for (size_t i = 0; i < expected.size(); ++i)
            QVERIFY(oracle::close(pairwise.values()[i], expected[i]));
    }

    void physiologyExampleWeightedBySomethingReal()
    {
        // Continuous, partly missing weights from a real file: sex (0/1 -> codes 1/2) weighted by
        // body weight; cases whose weight is missing or non-positive are ignored on both sides.
        const QString sav = QStringLiteral("/usr/share/pspp/examples/physiology.sav");
        QVERIFY(QFile::exists(sav));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray csvPath = dir.filePath(QStringLiteral("physiology.csv")).toUtf8();
        const auto tables = runPspp(dir, kPrecision + "GET FILE='" + sav.toUtf8() +
                                             "'.\n"
                                             "COMPUTE s = sex + 1.\n"
                                             "FORMATS weight (F40.16).\n"
                                             "SAVE TRANSLATE /OUTFILE='" +
                                             csvPath +
                                             "' /TYPE=CSV /FIELDNAMES /REPLACE.\n"
                                             "WEIGHT BY weight.\n"
                                             "FREQUENCIES /VARIABLES=s /STATISTICS=NONE.\n");
        const CsvData data = readCsv(QString::fromUtf8(csvPath));
        QVERIFY(data.names.contains("weight"));
        const CodeMatrix codes = codesFrom(data, {"s"});
        QVERIFY(codes.rows > 10);
        std::vector<double> weights = data.columns[data.names.indexOf("weight")];
        const PsppTable *t = find(tables, "s");
        QVERIFY(t);
        const QMap<int, double> expected = t->validShares();
        const auto ours = WeightedDistribution::fromCodes(codes.column(0), weights, 2);
        QCOMPARE(expected.size(), 2);
        QVERIFY(oracle::close(ours.shares[0], expected.value(1)));
        QVERIFY(oracle::close(ours.shares[1], expected.value(2)));
    }
};

QTEST_GUILESS_MAIN(TestPsppStatistics)
#include "TestPsppStatistics.moc"
