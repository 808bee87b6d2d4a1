#include "DatasetFixture.h"
#include "OracleProcess.h"
#include "PsppTables.h"
#include "TempProject.h"

#include "analysis/DatasetDescription.h"
#include "project/ProjectFile.h"
#include "util/SeededRandom.h"

#include <QTest>

#include <cmath>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

const QList<int> kCategories{4, 5, 3}; // q1..q3
constexpr int kRows = 240;

QByteArray number(double v)
{
    return QByteArray::number(v, 'g', 17);
}

} // namespace

// `anthology data describe` and the Data sets tab through their one core service, on a data set
// PSPP wrote and the project imported, checked against PSPP's FREQUENCIES, CORRELATIONS and
// RELIABILITY on the same file and against counts made here from the generated rows.
class TestDatasetDescription : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    std::unique_ptr<ProjectFile> m_project;
    QList<PsppTable> m_tables;     // over the .sav: see initTestCase
    QList<PsppTable> m_replicated; // RELIABILITY over rows repeated w times
    QList<QList<int>> m_codes;     // per row: q1..q3 (99 refused, -1 system-missing), n
    std::vector<double> m_w;       // integer weights 1..4
    std::vector<double> m_w2;      // fractional weights

    const PsppTable *table(const QByteArray &title, int nth) const
    {
        return PsppTables::find(m_tables, title, nth);
    }

    // Our shares, counts, sums of weights, n_eff and SEs of q1..q3 against PSPP's frequency tables
    // number `nth` (one per weighting) and the generated rows weighted by `weights`.
    void compareFrequencies(const DatasetDescription &d, int nth, const std::vector<double> &weights)
    {
        for (int q = 0; q < kCategories.size(); ++q) {
            const VariableDescription &vd = d.variables[q];
            const QByteArray name = "q" + QByteArray::number(q + 1);
            QCOMPARE(vd.variable.name, QString::fromLatin1(name));
            QCOMPARE(vd.categoryCount(), kCategories[q]);
            QVERIFY(vd.note.isEmpty());
            const PsppTable *weighted = table(name, nth);
            const PsppTable *unweighted = table(name, 1);
            QVERIFY2(weighted && unweighted, name.constData());
            const QMap<int, double> shares = weighted->validShares();
            const QMap<int, double> sums = weighted->validFrequencies();
            const QMap<int, double> counts = unweighted->validFrequencies();
            double total = 0.0;
            for (double s : sums)
                total += s;
            QVERIFY(oracle::close(vd.distribution.sumWeights, total));

            double sw = 0.0, sw2 = 0.0;
            qint64 valid = 0;
            for (int r = 0; r < kRows; ++r) {
                const int code = m_codes[r][q];
                if (code >= 1 && code <= kCategories[q]) {
                    sw += weights[size_t(r)];
                    sw2 += weights[size_t(r)] * weights[size_t(r)];
                    ++valid;
                }
            }
            QCOMPARE(vd.distribution.validCount, valid);
            QCOMPARE(vd.missing, kRows - valid);
            QVERIFY(oracle::close(vd.distribution.effectiveSize, sw * sw / sw2));
            for (const CategoryShare &c : vd.categories) {
                const double p = shares.value(c.code, 0.0);
                QVERIFY2(oracle::close(c.share, p),
                         qPrintable(u"%1 code %2: ours %3, pspp %4"_s.arg(QString::fromLatin1(name))
                                        .arg(c.code)
                                        .arg(c.share, 0, 'g', 17)
                                        .arg(p, 0, 'g', 17)));
                QCOMPARE(c.count, qint64(std::lround(counts.value(c.code, 0.0))));
                QVERIFY(oracle::close(c.standardError, std::sqrt(p * (1.0 - p) / total)));
            }
        }
    }

    void compareCorrelations(const DatasetDescription &d, const PsppTable *correlations, double alpha)
    {
        QVERIFY(d.hasCorrelation());
        QVERIFY(correlations);
        const std::vector<double> expected = correlations->pearson();
        QCOMPARE(expected.size(), d.correlation.values().size());
        for (size_t i = 0; i < expected.size(); ++i)
            QVERIFY2(oracle::close(d.correlation.values()[i], expected[i]),
                     qPrintable(u"r[%1]: ours %2, pspp %3"_s.arg(i)
                                    .arg(d.correlation.values()[i], 0, 'g', 17)
                                    .arg(expected[i], 0, 'g', 17)));
        qsizetype complete = 0;
        for (int r = 0; r < kRows; ++r) {
            bool all = true;
            for (int q = 0; q < kCategories.size(); ++q)
                all = all && m_codes[r][q] >= 1 && m_codes[r][q] <= kCategories[q];
            complete += all ? 1 : 0;
        }
        QCOMPARE(d.correlation.rowsUsed(), complete);
        QVERIFY2(oracle::close(d.alpha, alpha),
                 qPrintable(u"alpha: ours %1, pspp %2"_s.arg(d.alpha, 0, 'g', 17).arg(alpha, 0, 'g', 17)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Three correlated items with refusals (99, user-missing) and blanks, an unlabelled
        // count n, an integer weight w (so PSPP's unweighted RELIABILITY over rows repeated w
        // times gives the weighted alpha), a fractional weight w2 and a string.
        SeededRandom rng(20250107);
        QByteArray data, replicated;
        for (int r = 0; r < kRows; ++r) {
            const double latent = rng.uniform();
            QList<int> row;
            QByteArray line, items;
            for (int q = 0; q < kCategories.size(); ++q) {
                const int k = kCategories[q];
                int code = 1 + std::min(k - 1, int((0.6 * latent + 0.4 * rng.uniform()) * k));
                const quint64 roll = rng.below(20);
                code = roll == 0 ? 99 : roll == 1 ? -1 : code;
                row.append(code);
                items += (code < 0 ? QByteArray(".") : QByteArray::number(code)) + ' ';
            }
            const int n = 1 + int(rng.below(6));
            row.append(n);
            m_codes.append(row);
            m_w.push_back(double(1 + rng.below(4)));
            m_w2.push_back(0.25 + double(rng.below(2500)) / 1000.0);
            line = items + QByteArray::number(n) + ' ' + number(m_w.back()) + ' ' + number(m_w2.back()) +
                   " s" + QByteArray::number(r) + '\n';
            data += line;
            for (int copy = 0; copy < int(m_w.back()); ++copy)
                replicated += items + '\n';
        }
        const QByteArray sav = m_dir.dir().toUtf8() + "/synthetic.sav";
        const QByteArray labels =
            "VARIABLE LABELS q1 'How much do you trust your neighbours?' "
            "/q2 'Second item' /q3 'Third item'.\n"
            "VALUE LABELS q1 1 'A lot' 2 'Some' 3 'Not much' 4 'Not at all' 99 'Refused'"
            " /q2 1 'Never' 2 'Rarely' 3 'Sometimes' 4 'Often' 5 'Always' 99 'Refused'"
            " /q3 1 'Yes' 2 'No' 3 'Unsure' 99 'Refused'.\n"
            "MISSING VALUES q1 q2 q3 (99).\n";
        m_tables = PsppTables::run(
            m_dir.dir(),
            PsppTables::precision +
                "DATA LIST LIST /q1 (F8.0) q2 (F8.0) q3 (F8.0) n (F8.0) w (F8.3) w2 (F8.3) name (A8).\n"
                "BEGIN DATA.\n" +
                data + "END DATA.\n" + labels + "SAVE OUTFILE='" + sav +
                "'.\n"
                "WEIGHT BY w.\n"
                "FREQUENCIES /VARIABLES=q1 q2 q3 /STATISTICS=NONE.\n"
                "CORRELATIONS /VARIABLES=q1 q2 q3 /MISSING=LISTWISE.\n"
                "WEIGHT OFF.\n"
                "FREQUENCIES /VARIABLES=q1 q2 q3 n /STATISTICS=NONE.\n"
                "CORRELATIONS /VARIABLES=q1 q2 q3 /MISSING=LISTWISE.\n"
                "RELIABILITY /VARIABLES=q1 q2 q3 /MODEL=ALPHA.\n"
                "WEIGHT BY w2.\n"
                "FREQUENCIES /VARIABLES=q1 q2 q3 /STATISTICS=NONE.\n");
        QVERIFY2(PsppTables::find(m_tables, "q1", 2), "PSPP printed no frequency tables");
        m_replicated = PsppTables::run(
            m_dir.dir(), PsppTables::precision + "DATA LIST LIST /q1 q2 q3.\nBEGIN DATA.\n" + replicated +
                             "END DATA.\n" + labels + "RELIABILITY /VARIABLES=q1 q2 q3 /MODEL=ALPHA.\n");

        QString error;
        m_project = projectWithDataset(m_dir, QString::fromUtf8(sav), u"synthetic"_s, u"w"_s, &error);
        QVERIFY2(m_project, qPrintable(error));
    }

    void theDataSetsWeightAgreesWithPspp()
    {
        auto d = DatasetDescription::compute(*m_project, u"synthetic"_s, {u"q1"_s, u"q2"_s, u"q3"_s});
        QVERIFY2(d, d ? "" : qPrintable(d.error().toString()));
        QCOMPARE(d->dataset, u"synthetic"_s);
        QCOMPARE(d->weightVariable, u"w"_s);
        QCOMPARE(d->variables.size(), 3);
        QCOMPARE(d->variables[0].variable.label, u"How much do you trust your neighbours?"_s);
        QCOMPARE(d->variables[1].categories[4].label, u"Always"_s);
        compareFrequencies(*d, 0, m_w);
        compareCorrelations(*d, PsppTables::find(m_tables, "Correlations", 0),
                            PsppTables::alpha(m_replicated));
    }

    void unweightedAgreesWithPspp()
    {
        auto d =
            DatasetDescription::compute(*m_project, u"synthetic"_s, {u"q1"_s, u"q2"_s, u"q3"_s}, u"None"_s);
        QVERIFY2(d, d ? "" : qPrintable(d.error().toString()));
        QVERIFY(d->weightVariable.isEmpty());
        compareFrequencies(*d, 1, std::vector<double>(size_t(kRows), 1.0));
        compareCorrelations(*d, PsppTables::find(m_tables, "Correlations", 1), PsppTables::alpha(m_tables));
    }

    void anotherWeightVariableAgreesWithPspp()
    {
        auto d =
            DatasetDescription::compute(*m_project, u"synthetic"_s, {u"q1"_s, u"q2"_s, u"q3"_s}, u"w2"_s);
        QVERIFY2(d, d ? "" : qPrintable(d.error().toString()));
        QCOMPARE(d->weightVariable, u"w2"_s);
        compareFrequencies(*d, 2, m_w2);
    }

    void anUnlabelledVariableCountsItsWholeCodes()
    {
        auto d = DatasetDescription::compute(*m_project, u"synthetic"_s, {u"n"_s});
        QVERIFY2(d, d ? "" : qPrintable(d.error().toString()));
        QVERIFY(!d->hasCorrelation());
        QVERIFY(std::isnan(d->alpha));
        const VariableDescription &vd = d->variables.first();
        QVERIFY(!vd.note.isEmpty());
        int highest = 0;
        for (const QList<int> &row : m_codes)
            highest = std::max(highest, row[3]);
        QCOMPARE(vd.categoryCount(), highest);
        const QMap<int, double> counts = PsppTables::find(m_tables, "n")->validFrequencies();
        for (const CategoryShare &c : vd.categories)
            QCOMPARE(c.count, qint64(std::lround(counts.value(c.code, 0.0))));
        QCOMPARE(vd.missing, 0);
    }

    void badRequestsAreErrorsNamingWhatIsWrong_data()
    {
        QTest::addColumn<QString>("dataset");
        QTest::addColumn<QStringList>("variables");
        QTest::addColumn<QString>("weight");
        QTest::addColumn<QString>("named");
        QTest::newRow("string variable")
            << u"synthetic"_s << QStringList{u"q1"_s, u"name"_s} << QString() << u"name"_s;
        QTest::newRow("unknown variable")
            << u"synthetic"_s << QStringList{u"nope"_s} << QString() << u"nope"_s;
        QTest::newRow("unknown weight") << u"synthetic"_s << QStringList{u"q1"_s} << u"wx"_s << u"wx"_s;
        QTest::newRow("string weight") << u"synthetic"_s << QStringList{u"q1"_s} << u"name"_s << u"name"_s;
        QTest::newRow("unknown data set")
            << u"elsewhere"_s << QStringList{u"q1"_s} << QString() << u"elsewhere"_s;
    }

    void badRequestsAreErrorsNamingWhatIsWrong()
    {
        QFETCH(QString, dataset);
        QFETCH(QStringList, variables);
        QFETCH(QString, weight);
        QFETCH(QString, named);
        auto d = DatasetDescription::compute(*m_project, dataset, variables, weight);
        QVERIFY(!d);
        QVERIFY2(d.error().toString().contains(named), qPrintable(d.error().toString()));
    }
};

QTEST_GUILESS_MAIN(TestDatasetDescription)
#include "TestDatasetDescription.moc"
