#include "TestPaths.h"
#include "support/PsppOracle.h"
#include "support/TempProject.h"

#include "data/DatasetReader.h"
#include "data/SavWriter.h"
#include "data/SyntheticAtpGenerator.h"
#include "util/SeededRandom.h"

#include <QFile>
#include <QTest>

#include <cmath>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

const QString kExamples = u"/usr/share/pspp/examples/"_s;

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void compareWithPspp(const Dataset &ds, const QString &open, const QString &workDir)
{
    PsppDictionary pspp;
    QString error;
    QVERIFY2(PsppOracle::dictionary(open, workDir, &pspp, &error), qPrintable(error));
    const QString mismatch = PsppOracle::dictionaryMismatch(ds, pspp);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

} // namespace

class TestDatasetReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!PsppOracle::available())
            QSKIP("pspp is not installed (Debian package pspp)");
    }

    void dictionaryMatchesPspp_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("variables");
        for (const auto &[name, count] :
             {std::pair{"hotel.sav", 5}, std::pair{"personnel.sav", 6}, std::pair{"physiology.sav", 4},
              std::pair{"repairs.sav", 5}, std::pair{"horticulture.sav", 2}})
            QTest::newRow(name) << kExamples + QString::fromLatin1(name) << count;
    }

    void dictionaryMatchesPspp()
    {
        QFETCH(QString, file);
        QFETCH(int, variables);
        TempProject tmp;
        const Result<Dataset> ds = DatasetReader::read(file);
        QVERIFY2(ds.ok(), qPrintable(ds.ok() ? QString() : ds.error().toString()));
        QCOMPARE(ds->variableCount(), variables);
        QCOMPARE(ds->format(), DatasetFormat::Sav);
        compareWithPspp(*ds, u"GET FILE='%1'."_s.arg(file), tmp.dir());
    }

    void valuesMatchPspp_data()
    {
        QTest::addColumn<QString>("file");
        for (const char *name : {"hotel.sav", "physiology.sav", "repairs.sav", "horticulture.sav"})
            QTest::newRow(name) << kExamples + QString::fromLatin1(name);
    }

    void valuesMatchPspp()
    {
        QFETCH(QString, file);
        TempProject tmp;
        const Result<Dataset> ds = DatasetReader::read(file);
        QVERIFY(ds.ok());
        QList<QStringList> rows;
        QString error;
        QVERIFY2(PsppOracle::data(u"GET FILE='%1'."_s.arg(file), tmp.dir(), &rows, &error),
                 qPrintable(error));
        const QString mismatch = PsppOracle::dataMismatch(*ds, rows);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }

    void readsPortableFilesExportedByPspp_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("hotel") << kExamples + u"hotel.sav"_s;
        QTest::newRow("personnel") << kExamples + u"personnel.sav"_s;
        QTest::newRow("repairs") << kExamples + u"repairs.sav"_s;
    }

    void readsPortableFilesExportedByPspp()
    {
        QFETCH(QString, file);
        TempProject tmp;
        const QString por = tmp.dir() + u"/exported.por"_s;
        QString out, error;
        QVERIFY2(PsppOracle::run(u"GET FILE='%1'.\nEXPORT OUTFILE='%2'.\n"_s.arg(file, por), tmp.dir(), &out,
                                 &error),
                 qPrintable(error));
        const Result<Dataset> ds = DatasetReader::read(por);
        QVERIFY2(ds.ok(), qPrintable(ds.ok() ? QString() : ds.error().toString()));
        QCOMPARE(ds->format(), DatasetFormat::Por);
        compareWithPspp(*ds, u"IMPORT FILE='%1'."_s.arg(por), tmp.dir());
        const Result<Dataset> original = DatasetReader::read(file);
        QVERIFY(original.ok());
        QCOMPARE(ds->rowCount(), original->rowCount());
    }

    void readsStataFiles()
    {
        // PSPP 1.6 cannot write Stata; ReadStat's writer makes a Stata 118 file instead.
        TempProject tmp;
        const Dataset synthetic = SyntheticAtpGenerator({200, 4, 51, 7, 0.05}).generate();
        const QString dta = tmp.dir() + u"/synthetic.dta"_s;
        const Status written = SavWriter::write(synthetic, dta, {DatasetFormat::Dta});
        QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));
        const Result<Dataset> ds = DatasetReader::read(dta);
        QVERIFY2(ds.ok(), qPrintable(ds.ok() ? QString() : ds.error().toString()));
        QCOMPARE(ds->format(), DatasetFormat::Dta);
        QCOMPARE(ds->variableNames(), synthetic.variableNames());
        QCOMPARE(ds->rowCount(), synthetic.rowCount());
        QCOMPARE(ds->fileLabel(), synthetic.fileLabel());
        QCOMPARE(ds->weightVariable(), u"WEIGHT_W51"_s);
        QCOMPARE(ds->keyVariable(), u"QKEY"_s);
        for (qsizetype c = 0; c < ds->variableCount(); ++c) {
            QCOMPARE(ds->variable(c).label, synthetic.variable(c).label);
            QCOMPARE(ds->variable(c).valueLabels.size(), synthetic.variable(c).valueLabels.size());
            QVERIFY(ds->numericColumn(c) == synthetic.numericColumn(c));
        }
    }

    void detectsFormatFromContentThenExtension_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QString>("name");
        QTest::addColumn<DatasetFormat>("expected");
        QTest::newRow("sav magic, odd name") << "$FL2@(#) SPSS"_ba << u"data.bin"_s << DatasetFormat::Sav;
        QTest::newRow("zsav magic") << "$FL3@(#) SPSS"_ba << u"x.sav"_s << DatasetFormat::Zsav;
        QTest::newRow("stata 118") << "<stata_dta><header>"_ba << u"x"_s << DatasetFormat::Dta;
        QTest::newRow("stata 114") << QByteArray("\x72\x02\x01\x00", 4) << u"x"_s << DatasetFormat::Dta;
        QTest::newRow("portable") << (QByteArray(200, ' ') + QByteArray(256, '0') + "SPSSPORT"_ba) << u"x"_s
                                  << DatasetFormat::Por;
        QTest::newRow("text named sav") << "a,b\n1,2\n"_ba << u"x.SAV"_s << DatasetFormat::Sav;
        QTest::newRow("text named dta") << "a,b\n1,2\n"_ba << u"x.dta"_s << DatasetFormat::Dta;
        QTest::newRow("text named csv") << "a,b\n1,2\n"_ba << u"x.csv"_s << DatasetFormat::Unknown;
    }

    void detectsFormatFromContentThenExtension()
    {
        QFETCH(QByteArray, head);
        QFETCH(QString, name);
        QFETCH(DatasetFormat, expected);
        QCOMPARE(DatasetReader::detectFormat(head, name), expected);
    }

    void badFilesGiveClearErrors_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const QByteArray hotel = fileBytes(kExamples + u"hotel.sav"_s);
        QByteArray random(4096, '\0');
        SeededRandom rng(99);
        for (char &b : random)
            b = static_cast<char>(rng.below(256));
        QTest::newRow("text named .sav")
            << u"survey.sav"_s << "QKEY,F_AGECAT\n1,2\n"_ba << u"SPSS system file"_s;
        QTest::newRow("truncated header") << u"cut.sav"_s << hotel.left(120) << u"SPSS system file"_s;
        QTest::newRow("truncated dictionary") << u"cut2.sav"_s << hotel.left(700) << u"SPSS system file"_s;
        QTest::newRow("truncated data")
            << u"cut3.sav"_s << hotel.left(hotel.size() - 20) << u"SPSS system file"_s;
        QTest::newRow("zero bytes") << u"empty.sav"_s << QByteArray() << u"empty"_s;
        QTest::newRow("random .sav") << u"noise.sav"_s << random << u"SPSS system file"_s;
        QTest::newRow("random .por") << u"noise.por"_s << random << u"portable"_s;
        QTest::newRow("random .dta") << u"noise.dta"_s << random << u"Stata"_s;
        QTest::newRow("random, no extension") << u"noise.bin"_s << random << u"not a recognised data file"_s;
        QTest::newRow("sav magic then junk")
            << u"magic.sav"_s << ("$FL2"_ba + random) << u"SPSS system file"_s;
    }

    void badFilesGiveClearErrors()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        TempProject tmp;
        const QString path = tmp.writeFile(name, bytes);
        const Result<Dataset> ds = DatasetReader::read(path);
        QVERIFY(!ds.ok());
        QCOMPARE(ds.error().file, path);
        QVERIFY2(ds.error().message.contains(expected, Qt::CaseInsensitive),
                 qPrintable(ds.error().toString()));
        QVERIFY(ds.error().toString().startsWith(path));
    }

    void unsupportedEncodingIsNamed()
    {
        TempProject tmp;
        const QString path = tmp.dir() + u"/codepage.sav"_s;
        QVERIFY(SavWriter::write(SyntheticAtpGenerator({10, 1, 34, 1, 0.0}).generate(), path).ok());
        QByteArray bytes = fileBytes(path);
        // Machine integer info record (type 7, subtype 3, 4-byte ints, 8 of them): the last is the code page.
        const QByteArray header("\x07\0\0\0\x03\0\0\0\x04\0\0\0\x08\0\0\0", 16);
        const qsizetype at = bytes.indexOf(header);
        QVERIFY(at > 0);
        const qint32 unknownCodePage = 12345;
        bytes.replace(at + 16 + 7 * 4, 4, QByteArray(reinterpret_cast<const char *>(&unknownCodePage), 4));
        const QString patched = tmp.writeFile(u"unknown-codepage.sav"_s, bytes);
        const Result<Dataset> ds = DatasetReader::read(patched);
        QVERIFY(!ds.ok());
        QCOMPARE(ds.error().file, patched);
        QVERIFY2(ds.error().message.contains(u"character set"_s), qPrintable(ds.error().message));
        QVERIFY2(ds.error().message.contains(u"12345"_s), qPrintable(ds.error().message));
    }

    void missingFileNamesTheFile()
    {
        const QString path = u"/nonexistent/dir/wave34.sav"_s;
        const Result<Dataset> ds = DatasetReader::read(path);
        QVERIFY(!ds.ok());
        QCOMPARE(ds.error().file, path);
    }

    void choosesWeightAndKey_data()
    {
        QTest::addColumn<QString>("weightOption");
        QTest::addColumn<int>("wave");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("expectedWeight");
        QTest::newRow("default: WEIGHT_W<n>") << QString() << 0 << true << u"WEIGHT_W34"_s;
        QTest::newRow("by wave") << QString() << 34 << true << u"WEIGHT_W34"_s;
        QTest::newRow("wave without weight") << QString() << 35 << true << QString();
        QTest::newRow("named") << u"weight_w34"_s << 0 << true << u"WEIGHT_W34"_s;
        QTest::newRow("named, absent") << u"WEIGHT_W99"_s << 0 << false << QString();
        QTest::newRow("named, string") << u"NOTE"_s << 0 << false << QString();
    }

    void choosesWeightAndKey()
    {
        QFETCH(QString, weightOption);
        QFETCH(int, wave);
        QFETCH(bool, ok);
        QFETCH(QString, expectedWeight);
        TempProject tmp;
        Dataset data = SyntheticAtpGenerator({50, 2, 34, 3, 0.0}).generate();
        Variable note;
        note.name = u"NOTE"_s;
        note.type = VariableType::String;
        const qsizetype c = data.addVariable(note);
        data.stringColumnRef(c).fill(u"n/a"_s);
        const QString path = tmp.dir() + u"/w.sav"_s;
        QVERIFY(SavWriter::write(data, path).ok());
        DatasetReadOptions options;
        options.weightVariable = weightOption;
        options.wave = wave;
        const Result<Dataset> ds = DatasetReader::read(path, options);
        QCOMPARE(ds.ok(), ok);
        if (!ok) {
            QCOMPARE(ds.error().file, path);
            return;
        }
        QCOMPARE(ds->weightVariable(), expectedWeight);
        QCOMPARE(ds->keyVariable(), u"QKEY"_s);
        QCOMPARE(ds->weights().size(), size_t(50));
        if (expectedWeight.isEmpty())
            QCOMPARE(ds->weights().front(), 1.0);
    }
};

QTEST_GUILESS_MAIN(TestDatasetReader)
#include "TestDatasetReader.moc"
