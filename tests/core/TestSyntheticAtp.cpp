#include "data/Dataset.h"
#include "data/SyntheticAtpGenerator.h"
#include "matching/CategoryMapLocator.h"

#include <QTest>

#include <cmath>
#include <set>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

double pearson(const std::vector<double> &a, const std::vector<double> &b, const Variable &va,
               const Variable &vb)
{
    double n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        if (va.isUserMissing(a[i]) || vb.isUserMissing(b[i]))
            continue;
        n += 1;
        sa += a[i];
        sb += b[i];
        saa += a[i] * a[i];
        sbb += b[i] * b[i];
        sab += a[i] * b[i];
    }
    const double cov = sab / n - (sa / n) * (sb / n);
    return cov / std::sqrt((saa / n - (sa / n) * (sa / n)) * (sbb / n - (sb / n) * (sb / n)));
}

} // namespace

class TestSyntheticAtp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shape_data()
    {
        QTest::addColumn<int>("respondents");
        QTest::addColumn<int>("items");
        QTest::addColumn<int>("wave");
        QTest::newRow("small") << 10 << 1 << 1;
        QTest::newRow("ATP-sized") << 2500 << 12 << 34;
        QTest::newRow("no items") << 100 << 0 << 92;
    }

    void shape()
    {
        QFETCH(int, respondents);
        QFETCH(int, items);
        QFETCH(int, wave);
        const SyntheticAtpGenerator generator({respondents, items, wave, 1, 0.02});
        const Dataset ds = generator.generate();
        QCOMPARE(ds.rowCount(), respondents);
        QStringList expected{u"QKEY"_s};
        expected += generator.demographicNames();
        expected += u"WEIGHT_W%1"_s.arg(wave);
        expected += generator.itemNames();
        QCOMPARE(ds.variableNames(), expected);
        QCOMPARE(ds.weightVariable(), u"WEIGHT_W%1"_s.arg(wave));
        QCOMPARE(ds.keyVariable(), u"QKEY"_s);
        QCOMPARE(ds.wave(), wave);
        QVERIFY(ds.fileLabel().contains(u"synthetic"_s, Qt::CaseInsensitive));
        const std::vector<double> &keys = ds.numericColumn(u"QKEY"_s);
        QCOMPARE(std::set<double>(keys.begin(), keys.end()).size(), size_t(respondents));
        for (const Variable &v : ds.variables())
            QCOMPARE(ds.numericColumn(ds.indexOf(v.name)).size(), size_t(respondents));
    }

    void labelsFollowPewConventions()
    {
        const SyntheticAtpGenerator generator({300, 6, 34, 2, 0.02});
        const Dataset ds = generator.generate();
        for (const Variable &v : ds.variables()) {
            QVERIFY2(v.label.startsWith(v.name + u". "_s), qPrintable(v.label));
            if (v.name == "QKEY"_L1 || v.name.startsWith(u"WEIGHT_"_s)) {
                QVERIFY(v.valueLabels.isEmpty());
                continue;
            }
            QVERIFY(v.valueLabels.size() >= 3); // F_SEX: two codes and Refused
            for (qsizetype i = 0; i + 1 < v.valueLabels.size(); ++i)
                QCOMPARE(v.valueLabels.at(i).value, double(i + 1));
            QCOMPARE(v.valueLabels.last().value, 99.0);
            QCOMPARE(v.valueLabels.last().label, u"Refused"_s);
            QCOMPARE(v.missingValues, QList<double>{99.0});
            // Every code in the data is labelled.
            for (double x : ds.numericColumn(v.name))
                QVERIFY2(!v.labelFor(x).isEmpty(), qPrintable(u"%1 = %2"_s.arg(v.name).arg(x)));
        }
        for (int k = 0; k < 6; ++k) {
            const Variable &item = ds.variable(ds.indexOf(generator.itemNames().at(k)));
            QCOMPARE(item.valueLabels.size() - 1, qsizetype(3 + k % 3)); // 3..5 options
        }
    }

    void everyWaveFitsItsCategoryMap_data()
    {
        QTest::addColumn<int>("wave");
        QTest::addColumn<QString>("gender");
        QTest::newRow("w34") << 34 << u"F_SEX"_s;
        QTest::newRow("w92") << 92 << u"F_GENDER"_s;
        QTest::newRow("w99") << 99 << u"F_GENDER"_s;
        QTest::newRow("w111") << 111 << u"F_GENDER"_s;
    }

    void everyWaveFitsItsCategoryMap()
    {
        // The match stage finds every trait's variable and every substantive code has a category.
        QFETCH(int, wave);
        QFETCH(QString, gender);
        const SyntheticAtpGenerator generator({200, 2, wave, 3, 0.02});
        const Dataset ds = generator.generate();
        QVERIFY(generator.demographicNames().contains(gender));
        const auto map = CategoryMapLocator::load(wave, {});
        QVERIFY2(map.ok(), qPrintable(map.ok() ? QString() : map.error().toString()));
        QCOMPARE(map->traits().size(), 8);
        for (const TraitCategoryMap &t : map->traits()) {
            const Result<QString> variable = t.variableIn(ds);
            QVERIFY2(variable.ok(), qPrintable(variable.ok() ? QString() : variable.error().toString()));
            QVERIFY(generator.demographicNames().contains(*variable));
            const Status codes = t.checkCodes(ds.variable(ds.indexOf(*variable)));
            QVERIFY2(codes.ok(), qPrintable(codes.ok() ? QString() : codes.error().toString()));
            // Every code in the data is either a category or Refused.
            for (double x : ds.numericColumn(*variable))
                QVERIFY(x == 99.0 || t.map.humanCodeToCategory.contains(int(x)));
        }
    }

    void refusedRate_data()
    {
        QTest::addColumn<double>("rate");
        QTest::newRow("none") << 0.0;
        QTest::newRow("2%") << 0.02;
        QTest::newRow("10%") << 0.10;
    }

    void refusedRate()
    {
        QFETCH(double, rate);
        const int n = 6000;
        const Dataset ds = SyntheticAtpGenerator({n, 5, 34, 11, rate}).generate();
        for (const Variable &v : ds.variables()) {
            if (!v.hasValueLabels())
                continue;
            qsizetype refused = 0;
            for (double x : ds.numericColumn(v.name))
                refused += x == 99.0;
            const double share = double(refused) / n;
            // Binomial: 4 standard deviations either side.
            const double tolerance = 4.0 * std::sqrt(rate * (1 - rate) / n);
            QVERIFY2(std::abs(share - rate) <= tolerance, qPrintable(u"%1: %2"_s.arg(v.name).arg(share)));
        }
    }

    void weightsArePositiveVariedWithMeanOne()
    {
        const Dataset ds = SyntheticAtpGenerator({4000, 2, 34, 5, 0.02}).generate();
        const std::vector<double> w = ds.weights();
        double sum = 0, squares = 0;
        for (double x : w) {
            QVERIFY(x > 0);
            sum += x;
            squares += x * x;
        }
        const double mean = sum / double(w.size());
        const double sd = std::sqrt(squares / double(w.size()) - mean * mean);
        QVERIFY(std::abs(mean - 1.0) < 1e-3);
        QVERIFY2(sd > 0.2 && sd < 1.5, qPrintable(QString::number(sd)));
    }

    void sameSeedSameData_data()
    {
        QTest::addColumn<quint64>("seedA");
        QTest::addColumn<quint64>("seedB");
        QTest::addColumn<bool>("equal");
        QTest::newRow("same seed") << quint64(7) << quint64(7) << true;
        QTest::newRow("other seed") << quint64(7) << quint64(8) << false;
    }

    void sameSeedSameData()
    {
        QFETCH(quint64, seedA);
        QFETCH(quint64, seedB);
        QFETCH(bool, equal);
        const Dataset a = SyntheticAtpGenerator({500, 4, 34, seedA, 0.02}).generate();
        const Dataset b = SyntheticAtpGenerator({500, 4, 34, seedB, 0.02}).generate();
        bool allEqual = true;
        for (qsizetype c = 1; c < a.variableCount(); ++c) // QKEY is the same by construction
            allEqual = allEqual && a.numericColumn(c) == b.numericColumn(c);
        QCOMPARE(allEqual, equal);
    }

    void itemsCorrelatePositively()
    {
        const SyntheticAtpGenerator generator({3000, 6, 34, 3, 0.02});
        const Dataset ds = generator.generate();
        const QStringList items = generator.itemNames();
        for (qsizetype i = 0; i < items.size(); ++i) {
            for (qsizetype j = i + 1; j < items.size(); ++j) {
                const qsizetype a = ds.indexOf(items.at(i));
                const qsizetype b = ds.indexOf(items.at(j));
                const double r =
                    pearson(ds.numericColumn(a), ds.numericColumn(b), ds.variable(a), ds.variable(b));
                QVERIFY2(r > 0.15, qPrintable(u"%1 x %2: r = %3"_s.arg(items.at(i), items.at(j)).arg(r)));
            }
        }
    }

    void everyAnswerOptionIsUsed()
    {
        const SyntheticAtpGenerator generator({2500, 6, 34, 9, 0.02});
        const Dataset ds = generator.generate();
        for (const QString &name : generator.itemNames()) {
            const Variable &v = ds.variable(ds.indexOf(name));
            const std::vector<double> &column = ds.numericColumn(name);
            const std::set<double> seen(column.begin(), column.end());
            for (const ValueLabel &l : v.valueLabels)
                QVERIFY2(seen.count(l.value), qPrintable(u"%1 never answers %2"_s.arg(name).arg(l.value)));
        }
    }
};

QTEST_GUILESS_MAIN(TestSyntheticAtp)
#include "TestSyntheticAtp.moc"
