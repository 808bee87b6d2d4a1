#include "TestPaths.h"
#include "support/PsppOracle.h"
#include "support/TempProject.h"

#include "data/DatasetReader.h"
#include "data/DatasetStore.h"
#include "data/SavWriter.h"
#include "data/SyntheticAtpGenerator.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "util/SeededRandom.h"

#include <QFile>
#include <QTest>

#include <cmath>
#include <limits>

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

QString errorText(const Error &e)
{
    return e.toString();
}

bool sameValue(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

// Empty when both data sets say the same; otherwise the first difference.
QString difference(const Dataset &a, const Dataset &b)
{
    if (a.variableNames() != b.variableNames())
        return u"variable names differ"_s;
    if (a.rowCount() != b.rowCount())
        return u"row counts %1 and %2"_s.arg(a.rowCount()).arg(b.rowCount());
    if (a.weightVariable() != b.weightVariable() || a.keyVariable() != b.keyVariable())
        return u"weight or key differ"_s;
    if (a.fileLabel() != b.fileLabel() || a.format() != b.format() || a.encoding() != b.encoding())
        return u"file label, format or encoding differ"_s;
    for (qsizetype c = 0; c < a.variableCount(); ++c) {
        const Variable &x = a.variable(c);
        const Variable &y = b.variable(c);
        if (x.label != y.label || x.type != y.type || x.format != y.format)
            return x.name + u": label, type or format"_s;
        if (x.valueLabels.size() != y.valueLabels.size())
            return x.name + u": value label count"_s;
        for (qsizetype i = 0; i < x.valueLabels.size(); ++i)
            if (!sameValue(x.valueLabels[i].value, y.valueLabels[i].value) ||
                x.valueLabels[i].stringValue != y.valueLabels[i].stringValue ||
                x.valueLabels[i].label != y.valueLabels[i].label)
                return x.name + u": value label %1"_s.arg(i);
        if (x.missingValues != y.missingValues || x.missingRanges != y.missingRanges ||
            x.missingStrings != y.missingStrings)
            return x.name + u": missing codes"_s;
        if (x.isNumeric()) {
            for (qsizetype r = 0; r < a.rowCount(); ++r)
                if (!sameValue(a.numericColumn(c)[size_t(r)], b.numericColumn(c)[size_t(r)]))
                    return x.name + u": row %1"_s.arg(r);
        } else if (a.stringColumn(c) != b.stringColumn(c)) {
            return x.name + u": string values"_s;
        }
    }
    return {};
}

// Everything the store writes, as row counts; equal snapshots mean an unchanged project.
QString snapshot(ProjectFile &p)
{
    QStringList parts;
    for (const char *table : {"datasets", "dataset_variables", "dataset_values"}) {
        Statement st = p.prepare(QByteArray(QByteArray("SELECT count(*) FROM ") + table));
        if (!st.ok() || !st.step().ok())
            return u"error"_s;
        parts.append(QString::number(st.columnInt64(0)));
    }
    for (const DatasetInfo &i : DatasetStore(p).list())
        parts.append(i.name + u':' + QString::number(i.rowCount) + u':' + QString::number(i.variableCount));
    return parts.join(u' ');
}

} // namespace

class TestDatasetStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void syntheticSavRoundTripsThroughTheProjectFile()
    {
        TempProject tmp;
        const QString sav = tmp.dir() + u"/wave34.sav"_s;
        QVERIFY(SavWriter::write(SyntheticAtpGenerator({400, 6, 34, 17, 0.03}).generate(), sav).ok());
        {
            auto project = ProjectFile::create(tmp.path());
            QVERIFY2(project.ok(), qPrintable(project.ok() ? QString() : errorText(project.error())));
            auto info = DatasetStore(**project).importFile(sav);
            QVERIFY2(info.ok(), qPrintable(info.ok() ? QString() : errorText(info.error())));
            QCOMPARE(info->name, u"wave34"_s);
            QCOMPARE(info->rowCount, 400);
            QCOMPARE(info->variableCount, 1 + 8 + 1 + 6);
            QCOMPARE(info->wave, 34);
            QCOMPARE(info->weightVariable, u"WEIGHT_W34"_s);
            QCOMPARE(info->keyVariable, u"QKEY"_s);
            QCOMPARE(info->format, DatasetFormat::Sav);
            QVERIFY(info->importedAt.isValid());
        }
        // A fresh connection reads back exactly what the file holds.
        auto project = ProjectFile::open(tmp.path(), ProjectFile::Mode::ReadOnly);
        QVERIFY(project.ok());
        const Result<Dataset> stored = DatasetStore(**project).load(u"WAVE34"_s);
        QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : errorText(stored.error())));
        const Result<Dataset> direct = DatasetReader::read(sav);
        QVERIFY(direct.ok());
        const QString diff = difference(*stored, *direct);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        QCOMPARE(stored->sourcePath(), sav);
    }

    void psppExamplesRoundTripAndStillAgreeWithPspp_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("compareValues");
        // personnel.sav holds dates, which PSPP prints formatted and we keep as SPSS seconds.
        for (const char *name : {"hotel.sav", "physiology.sav", "repairs.sav"})
            QTest::newRow(name) << kExamples + QString::fromLatin1(name) << true;
        QTest::newRow("personnel.sav") << kExamples + u"personnel.sav"_s << false;
    }

    void psppExamplesRoundTripAndStillAgreeWithPspp()
    {
        if (!PsppOracle::available())
            QSKIP("pspp is not installed (Debian package pspp)");
        QFETCH(QString, file);
        QFETCH(bool, compareValues);
        TempProject tmp;
        auto project = ProjectFile::create(tmp.path());
        QVERIFY(project.ok());
        DatasetStore store(**project);
        auto info = store.importFile(file, {u"example"_s, {}});
        QVERIFY2(info.ok(), qPrintable(info.ok() ? QString() : errorText(info.error())));
        const Result<Dataset> stored = store.load(u"example"_s);
        QVERIFY(stored.ok());
        const QString diff = difference(*stored, *DatasetReader::read(file));
        QVERIFY2(diff.isEmpty(), qPrintable(diff));

        PsppDictionary dictionary;
        QList<QStringList> rows;
        QString error;
        const QString open = u"GET FILE='%1'."_s.arg(file);
        QVERIFY2(PsppOracle::dictionary(open, tmp.dir(), &dictionary, &error), qPrintable(error));
        const QString dictDiff = PsppOracle::dictionaryMismatch(*stored, dictionary);
        QVERIFY2(dictDiff.isEmpty(), qPrintable(dictDiff));
        if (!compareValues)
            return;
        QVERIFY2(PsppOracle::data(open, tmp.dir(), &rows, &error), qPrintable(error));
        const QString dataDiff = PsppOracle::dataMismatch(*stored, rows);
        QVERIFY2(dataDiff.isEmpty(), qPrintable(dataDiff));
    }

    void loadsOnlyTheAskedColumnsWithWeightAndKey()
    {
        TempProject tmp;
        auto project = ProjectFile::create(tmp.path());
        QVERIFY(project.ok());
        DatasetStore store(**project);
        const Dataset data = SyntheticAtpGenerator({120, 5, 92, 3, 0.0}).generate();
        QVERIFY(store.store(data, u"w92"_s).ok());
        const Result<Dataset> subset = store.load(u"w92"_s, {u"synq4_w92"_s, u"F_AGECAT"_s});
        QVERIFY(subset.ok());
        QCOMPARE(subset->variableNames(),
                 (QStringList{u"QKEY"_s, u"F_AGECAT"_s, u"WEIGHT_W92"_s, u"SYNQ4_W92"_s}));
        QVERIFY(subset->numericColumn(u"SYNQ4_W92"_s) == data.numericColumn(u"SYNQ4_W92"_s));
        QVERIFY(subset->weights() == data.weights());
        const Result<Dataset> unknown = store.load(u"w92"_s, {u"NOPE_W92"_s});
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().key, u"NOPE_W92"_s);
        const Result<Dataset> absent = store.load(u"w93"_s);
        QVERIFY(!absent.ok());
        QVERIFY2(absent.error().message.contains(u"w92"_s), qPrintable(absent.error().message));
    }

    void dictionaryDetailsSurvive()
    {
        // Missing ranges open at either end (LOWEST THRU -1, 90 THRU HIGHEST), string variables with
        // missing strings and labels, system-missing values.
        const double inf = std::numeric_limits<double>::infinity();
        Dataset ds;
        ds.setRowCount(3);
        Variable n;
        n.name = u"SCORE"_s;
        n.label = u"A score, with \"quotes\" and ünïcode"_s;
        n.format = u"F8.2"_s;
        n.missingRanges = {{-inf, -1.0}, {90.0, inf}};
        n.valueLabels = {{-5.0, {}, u"Below scale"_s}, {1.5, {}, u"One and a half"_s}};
        const qsizetype nc = ds.addVariable(n);
        ds.numericColumnRef(nc) = {1.5, std::nan(""), -7.0};
        Variable s;
        s.name = u"NOTE"_s;
        s.type = VariableType::String;
        s.missingStrings = {u"n/a"_s};
        s.valueLabels = {{0.0, u"x"_s, u"Crossed"_s}};
        const qsizetype sc = ds.addVariable(s);
        ds.stringColumnRef(sc) = QStringList{u"x"_s, QString(), u"line\nbreak, comma"_s};
        ds.setFileLabel(u"hand made"_s);
        ds.setFormat(DatasetFormat::Dta);

        TempProject tmp;
        auto project = ProjectFile::create(tmp.path());
        QVERIFY(project.ok());
        DatasetStore store(**project);
        QVERIFY(store.store(ds, u"hand"_s, 7).ok());
        const Result<Dataset> back = store.load(u"hand"_s);
        QVERIFY(back.ok());
        QCOMPARE(back->stringColumn(1).at(1), QString());
        const QString diff = difference(*back, ds);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        QCOMPARE(store.info(u"hand"_s)->wave, 7);
    }

    void badFilesLeaveTheProjectUnchanged_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        TempProject scratch;
        const QString good = scratch.dir() + u"/good.sav"_s;
        QVERIFY(SavWriter::write(SyntheticAtpGenerator({60, 3, 34, 5, 0.0}).generate(), good).ok());
        const QByteArray sav = fileBytes(good);
        QByteArray codepage = sav;
        const QByteArray header("\x07\0\0\0\x03\0\0\0\x04\0\0\0\x08\0\0\0", 16);
        const qsizetype at = codepage.indexOf(header);
        QVERIFY(at > 0);
        const qint32 unknown = 4242;
        codepage.replace(at + 16 + 7 * 4, 4, QByteArray(reinterpret_cast<const char *>(&unknown), 4));
        QByteArray noise(2048, '\0');
        SeededRandom rng(5);
        for (char &b : noise)
            b = char(rng.below(256));

        QTest::newRow("csv named .sav")
            << u"survey.sav"_s << "QKEY,F_AGECAT\n1,2\n"_ba << u"SPSS system file"_s;
        QTest::newRow("truncated header") << u"cut.sav"_s << sav.left(150) << u"SPSS system file"_s;
        QTest::newRow("truncated data")
            << u"cut2.sav"_s << sav.left(sav.size() - 37) << u"SPSS system file"_s;
        QTest::newRow("unknown code page") << u"codepage.sav"_s << codepage << u"character set"_s;
        QTest::newRow("empty") << u"empty.sav"_s << QByteArray() << u"empty"_s;
        QTest::newRow("noise .dta") << u"noise.dta"_s << noise << u"Stata"_s;
        QTest::newRow("noise, no extension") << u"noise.bin"_s << noise << u"not a recognised"_s;
    }

    void badFilesLeaveTheProjectUnchanged()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        TempProject tmp;
        auto project = ProjectFile::create(tmp.path());
        QVERIFY(project.ok());
        DatasetStore store(**project);
        QVERIFY(store.store(SyntheticAtpGenerator({30, 2, 34, 9, 0.0}).generate(), u"existing"_s).ok());
        const QString before = snapshot(**project);

        const QString path = tmp.writeFile(name, bytes);
        auto info = store.importFile(path, {u"bad"_s, {}});
        QVERIFY(!info.ok());
        QCOMPARE(info.error().file, path);
        QCOMPARE(info.error().kind, Error::Kind::User);
        QVERIFY2(info.error().message.contains(expected, Qt::CaseInsensitive),
                 qPrintable(errorText(info.error())));
        QCOMPARE(snapshot(**project), before);
        QVERIFY(store.load(u"existing"_s).ok());
        QVERIFY((*project)->checkIntegrity(true).ok());
    }

    void nameClashAndBadOptionsLeaveTheProjectUnchanged()
    {
        TempProject tmp;
        const QString sav = tmp.dir() + u"/w.sav"_s;
        QVERIFY(SavWriter::write(SyntheticAtpGenerator({50, 2, 34, 2, 0.0}).generate(), sav).ok());
        auto project = ProjectFile::create(tmp.path());
        QVERIFY(project.ok());
        DatasetStore store(**project);
        QVERIFY(store.importFile(sav, {u"first"_s, {}}).ok());
        const QString before = snapshot(**project);

        auto clash = store.importFile(sav, {u"FIRST"_s, {}});
        QVERIFY(!clash.ok());
        QVERIFY2(clash.error().message.contains(u"already"_s), qPrintable(clash.error().message));
        DatasetImportOptions badWeight{u"second"_s, {}};
        badWeight.read.weightVariable = u"WEIGHT_W12"_s;
        auto weight = store.importFile(sav, badWeight);
        QVERIFY(!weight.ok());
        QCOMPARE(weight.error().key, u"WEIGHT_W12"_s);
        QCOMPARE(snapshot(**project), before);
    }

    void readOnlyProjectRefusesAnImport()
    {
        TempProject tmp;
        const QString sav = tmp.dir() + u"/w.sav"_s;
        QVERIFY(SavWriter::write(SyntheticAtpGenerator({20, 2, 34, 2, 0.0}).generate(), sav).ok());
        QVERIFY(ProjectFile::create(tmp.path()).ok());
        auto project = ProjectFile::open(tmp.path(), ProjectFile::Mode::ReadOnly);
        QVERIFY(project.ok());
        DatasetStore store(**project);
        QVERIFY(!store.importFile(sav).ok());
        QVERIFY(store.list().isEmpty());
    }

    void schemaOneProjectGainsDataSets()
    {
        // A project written before data sets existed (user_version 1) is upgraded on open and keeps
        // its backstories.
        TempProject tmp;
        {
            auto p = ProjectFile::create(tmp.path());
            QVERIFY(p.ok());
            QVERIFY(
                (*p)->exec(
                        "DROP TABLE dataset_values; DROP TABLE dataset_variables; DROP TABLE datasets; "
                        "ALTER TABLE backstories DROP COLUMN token_count_estimated; " // schema 5
                        "ALTER TABLE backstory_revisions DROP COLUMN token_count; "
                        "ALTER TABLE backstory_revisions DROP COLUMN token_count_estimated; "
                        "INSERT INTO backstories (uid, text) VALUES ('b1', 'kept'); PRAGMA user_version = 1")
                    .ok());
        }
        auto p = ProjectFile::open(tmp.path());
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : errorText(p.error())));
        QCOMPARE((*p)->schemaVersion(), ProjectFile::currentSchemaVersion());
        DatasetStore store(**p);
        QVERIFY(store.list().isEmpty());
        QVERIFY(store.store(SyntheticAtpGenerator({10, 1, 34, 1, 0.0}).generate(), u"after upgrade"_s).ok());
        Statement st = (*p)->prepare("SELECT text FROM backstories WHERE uid = 'b1'");
        QVERIFY(st.step().value());
        QCOMPARE(st.columnText(0), u"kept"_s);
    }

    void removeTakesTheValuesWithIt()
    {
        TempProject tmp;
        auto project = ProjectFile::create(tmp.path());
        QVERIFY(project.ok());
        DatasetStore store(**project);
        QVERIFY(store.store(SyntheticAtpGenerator({40, 3, 99, 1, 0.0}).generate(), u"a"_s).ok());
        QVERIFY(store.store(SyntheticAtpGenerator({40, 3, 99, 2, 0.0}).generate(), u"b"_s).ok());
        QCOMPARE(store.list().size(), 2);
        QVERIFY(store.remove(u"a"_s).ok());
        QCOMPARE(store.list().size(), 1);
        QCOMPARE(store.list().first().name, u"b"_s);
        QCOMPARE(snapshot(**project).section(u' ', 0, 2), u"1 13 13"_s);
        QVERIFY(!store.remove(u"a"_s).ok());
    }
};

QTEST_GUILESS_MAIN(TestDatasetStore)
#include "TestDatasetStore.moc"
