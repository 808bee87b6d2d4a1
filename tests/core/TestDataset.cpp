#include "data/Dataset.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace anthology;
using namespace Qt::StringLiterals;

class TestDataset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void userMissingNumeric_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<bool>("missing");
        QTest::newRow("discrete code") << 99.0 << true;
        QTest::newRow("range low end") << 7.0 << true;
        QTest::newRow("inside range") << 8.5 << true;
        QTest::newRow("range high end") << 9.0 << true;
        QTest::newRow("valid code") << 1.0 << false;
        QTest::newRow("just outside range") << 9.01 << false;
        QTest::newRow("system missing is not user missing")
            << std::numeric_limits<double>::quiet_NaN() << false;
    }

    void userMissingNumeric()
    {
        QFETCH(double, value);
        QFETCH(bool, missing);
        Variable v;
        v.missingValues = {99.0};
        v.missingRanges = {{7.0, 9.0}};
        QCOMPARE(v.isUserMissing(value), missing);
    }

    void userMissingString_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("missing");
        QTest::newRow("exact") << u"NA"_s << true;
        QTest::newRow("blank padded") << u"NA    "_s << true;
        QTest::newRow("other") << u"N"_s << false;
        QTest::newRow("case matters") << u"na"_s << false;
    }

    void userMissingString()
    {
        QFETCH(QString, value);
        QFETCH(bool, missing);
        Variable v;
        v.type = VariableType::String;
        v.missingStrings = {u"NA  "_s};
        QCOMPARE(v.isUserMissing(value), missing);
    }

    void labelsByCode()
    {
        Variable v;
        v.valueLabels = {{1, {}, u"Yes"_s}, {2, {}, u"No"_s}};
        QCOMPARE(v.labelFor(2.0), u"No"_s);
        QCOMPARE(v.labelFor(3.0), QString());
    }

    void columnsFollowTheRowCount()
    {
        Dataset ds;
        ds.setRowCount(2);
        Variable num;
        num.name = u"Weight_W5"_s;
        Variable str;
        str.name = u"NOTE"_s;
        str.type = VariableType::String;
        const qsizetype n = ds.addVariable(num);
        const qsizetype s = ds.addVariable(str);
        QCOMPARE(ds.numericColumn(n).size(), size_t(2));
        QVERIFY(std::isnan(ds.numericColumn(n)[1]));
        QCOMPARE(ds.stringColumn(s).size(), 2);
        ds.setRowCount(4);
        QCOMPARE(ds.numericColumn(n).size(), size_t(4));
        QCOMPARE(ds.stringColumn(s).size(), 4);
        QCOMPARE(ds.indexOf(u"weight_w5"_s), n); // SPSS names ignore case
        QCOMPARE(ds.indexOf(u"absent"_s), -1);
        QVERIFY(ds.numericColumn(u"absent"_s).empty());
    }

    void weightsDefaultToOne()
    {
        Dataset ds;
        ds.setRowCount(3);
        Variable w;
        w.name = u"WEIGHT_W12"_s;
        const qsizetype c = ds.addVariable(w);
        ds.numericColumnRef(c) = {0.5, 1.0, 1.5};
        QCOMPARE(ds.weights(), (std::vector<double>{1.0, 1.0, 1.0}));
        QVERIFY(ds.setWeightVariable(u"weight_w12"_s).ok());
        QCOMPARE(ds.weightVariable(), u"WEIGHT_W12"_s);
        QCOMPARE(ds.wave(), 12);
        QCOMPARE(ds.weights(), (std::vector<double>{0.5, 1.0, 1.5}));
        QVERIFY(!ds.setWeightVariable(u"WEIGHT_W13"_s).ok());
        QVERIFY(!ds.setKeyVariable(u"QKEY"_s).ok());
    }

    void defaultWeightName_data()
    {
        QTest::addColumn<QStringList>("names");
        QTest::addColumn<int>("wave");
        QTest::addColumn<QString>("expected");
        QTest::newRow("main weight, not the variants")
            << QStringList{u"WEIGHT_W34_ATPONLY"_s, u"WEIGHT_W34"_s} << 0 << u"WEIGHT_W34"_s;
        QTest::newRow("wave picks among several")
            << QStringList{u"WEIGHT_W33"_s, u"WEIGHT_W34"_s} << 34 << u"WEIGHT_W34"_s;
        QTest::newRow("wave absent") << QStringList{u"WEIGHT_W33"_s} << 34 << QString();
        QTest::newRow("none") << QStringList{u"WEIGHT"_s} << 0 << QString();
    }

    void defaultWeightName()
    {
        QFETCH(QStringList, names);
        QFETCH(int, wave);
        QFETCH(QString, expected);
        QCOMPARE(Dataset::defaultWeightName(names, wave), expected);
    }
};

QTEST_GUILESS_MAIN(TestDataset)
#include "TestDataset.moc"
