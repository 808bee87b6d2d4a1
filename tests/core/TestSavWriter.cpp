#include "support/PsppOracle.h"
#include "support/TempProject.h"

#include "data/DatasetReader.h"
#include "data/SavWriter.h"
#include "data/SyntheticAtpGenerator.h"

#include <QFile>
#include <QTest>

#include <cmath>
#include <limits>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

// A synthetic wave plus the awkward parts: a string variable with value labels and a missing
// code, a numeric range of missing codes, system-missing cells, non-ASCII labels.
Dataset fixture()
{
    Dataset ds = SyntheticAtpGenerator({120, 4, 42, 5, 0.05}).generate();
    Variable mode;
    mode.name = u"MODE"_s;
    mode.label = u"MODE. How the interview was completed"_s;
    mode.type = VariableType::String;
    mode.valueLabels = {{0, u"web"_s, u"Online"_s}, {0, u"phone"_s, u"By telephone"_s}};
    mode.missingStrings = {u"none"_s};
    const qsizetype m = ds.addVariable(mode);
    Variable score;
    score.name = u"SCORE_W42"_s;
    score.label = u"SCORE_W42. Índice de confianza (0–10)"_s;
    score.missingRanges = {{97.0, 99.0}};
    score.missingValues = {-1.0};
    score.valueLabels = {{0, {}, u"None at all"_s}, {10, {}, u"Complete"_s}, {98, {}, u"Don’t know"_s}};
    const qsizetype s = ds.addVariable(score);
    for (qsizetype r = 0; r < ds.rowCount(); ++r) {
        ds.stringColumnRef(m)[r] = r % 7 == 0 ? u"none"_s : r % 2 ? u"web"_s : u"phone"_s;
        ds.numericColumnRef(s)[static_cast<size_t>(r)] = r % 11 == 0
                                                             ? std::numeric_limits<double>::quiet_NaN()
                                                         : r % 13 == 0 ? 98.0
                                                                       : double(r % 11) + 0.25;
    }
    return ds;
}

} // namespace

class TestSavWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!PsppOracle::available())
            QSKIP("pspp is not installed (Debian package pspp)");
    }

    void psppReadsWhatWeWrite_data()
    {
        QTest::addColumn<DatasetFormat>("format");
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QString>("open");
        QTest::newRow("sav") << DatasetFormat::Sav << u"out.sav"_s << u"GET FILE='%1'."_s;
        QTest::newRow("zsav") << DatasetFormat::Zsav << u"out.zsav"_s << u"GET FILE='%1'."_s;
    }

    void psppReadsWhatWeWrite()
    {
        QFETCH(DatasetFormat, format);
        QFETCH(QString, fileName);
        QFETCH(QString, open);
        TempProject tmp;
        const Dataset ds = fixture();
        const QString path = tmp.dir() + u'/' + fileName;
        const Status written = SavWriter::write(ds, path, {format});
        QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));

        PsppDictionary dictionary;
        QString error;
        QVERIFY2(PsppOracle::dictionary(open.arg(path), tmp.dir(), &dictionary, &error), qPrintable(error));
        QString mismatch = PsppOracle::dictionaryMismatch(ds, dictionary);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));

        QList<QStringList> rows;
        QVERIFY2(PsppOracle::data(open.arg(path), tmp.dir(), &rows, &error), qPrintable(error));
        mismatch = PsppOracle::dataMismatch(ds, rows);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }

    void psppSeesTheFileLabel()
    {
        TempProject tmp;
        const QString path = tmp.dir() + u"/label.sav"_s;
        QVERIFY(SavWriter::write(fixture(), path).ok());
        QString out, error;
        QVERIFY2(
            PsppOracle::run(u"GET FILE='%1'.\nDISPLAY FILE LABEL.\n"_s.arg(path), tmp.dir(), &out, &error),
            qPrintable(error));
        QVERIFY2(out.contains(u"Synthetic ATP-like data, wave 42"_s), qPrintable(out));
    }

    void ourReaderReadsWhatWeWrite_data()
    {
        QTest::addColumn<DatasetFormat>("format");
        QTest::addColumn<QString>("fileName");
        QTest::newRow("sav") << DatasetFormat::Sav << u"out.sav"_s;
        QTest::newRow("zsav") << DatasetFormat::Zsav << u"out.zsav"_s;
    }

    void ourReaderReadsWhatWeWrite()
    {
        QFETCH(DatasetFormat, format);
        QFETCH(QString, fileName);
        TempProject tmp;
        const Dataset ds = fixture();
        const QString path = tmp.dir() + u'/' + fileName;
        QVERIFY(SavWriter::write(ds, path, {format}).ok());
        const Result<Dataset> back = DatasetReader::read(path);
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().toString()));
        QCOMPARE(back->format(), format);
        QCOMPARE(back->rowCount(), ds.rowCount());
        QCOMPARE(back->weightVariable(), u"WEIGHT_W42"_s);
        QCOMPARE(back->keyVariable(), u"QKEY"_s);
        if (format != DatasetFormat::Por) // portable files hold a 20-character file label
            QCOMPARE(back->fileLabel(), ds.fileLabel());
        for (qsizetype c = 0; c < ds.variableCount(); ++c) {
            const Variable &want = ds.variable(c);
            const Variable &got = back->variable(c);
            QCOMPARE(got.name.toUpper(), want.name.toUpper());
            QCOMPARE(got.label, want.label);
            QCOMPARE(got.type, want.type);
            QCOMPARE(got.missingValues, want.missingValues);
            QCOMPARE(got.missingRanges, want.missingRanges);
            QCOMPARE(got.valueLabels.size(), want.valueLabels.size());
            for (qsizetype i = 0; i < want.valueLabels.size(); ++i) {
                QCOMPARE(got.valueLabels.at(i).label, want.valueLabels.at(i).label);
                QCOMPARE(got.valueLabels.at(i).value, want.valueLabels.at(i).value);
                QCOMPARE(got.valueLabels.at(i).stringValue.trimmed(), want.valueLabels.at(i).stringValue);
            }
            if (want.isNumeric()) {
                const std::vector<double> &a =
                    got.isNumeric() ? back->numericColumn(c) : std::vector<double>();
                const std::vector<double> &b = ds.numericColumn(c);
                QCOMPARE(a.size(), b.size());
                for (size_t r = 0; r < b.size(); ++r)
                    QVERIFY2(std::isnan(a[r]) ? std::isnan(b[r])
                                              : std::abs(a[r] - b[r]) <= 1e-9 * std::max(1.0, std::abs(b[r])),
                             qPrintable(u"%1 row %2"_s.arg(want.name).arg(r)));
            } else {
                for (qsizetype r = 0; r < ds.rowCount(); ++r)
                    QCOMPARE(back->stringColumn(c).at(r).trimmed(), ds.stringColumn(c).at(r));
            }
        }
    }

    void badVariableNamesAreNamedAndKeepTheOldFile_data()
    {
        QTest::addColumn<DatasetFormat>("format");
        QTest::addColumn<QString>("badName");
        QTest::newRow("starts with a digit") << DatasetFormat::Sav << u"1ITEM"_s;
        QTest::newRow("contains a space") << DatasetFormat::Sav << u"MY ITEM"_s;
        QTest::newRow("portable: over 8 characters") << DatasetFormat::Por << u"F_EDUCCAT2"_s;
    }

    void badVariableNamesAreNamedAndKeepTheOldFile()
    {
        QFETCH(DatasetFormat, format);
        QFETCH(QString, badName);
        TempProject tmp;
        const QString path = tmp.writeFile(u"keep.data"_s, "previous contents"_ba);
        Dataset ds;
        ds.setRowCount(3);
        for (const QString &name : {u"QKEY"_s, badName, u"OTHER"_s}) {
            Variable v;
            v.name = name;
            ds.addVariable(v);
        }
        const Status s = SavWriter::write(ds, path, {format});
        QVERIFY(!s.ok());
        QCOMPARE(s.error().file, path);
        QCOMPARE(s.error().key, badName);
        QVERIFY2(s.error().message.contains(badName), qPrintable(s.error().toString()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), "previous contents"_ba);
    }

    void unwritableDirectoryIsAnError()
    {
        const QString path = u"/nonexistent/dir/out.sav"_s;
        const Status s = SavWriter::write(fixture(), path);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().file, path);
    }
};

QTEST_GUILESS_MAIN(TestSavWriter)
#include "TestSavWriter.moc"
