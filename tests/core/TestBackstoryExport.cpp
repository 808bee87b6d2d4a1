#include "backstories/BackstoryExporter.h"
#include "backstories/BackstoryImporter.h"
#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"

#include "support/TempProject.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

// Texts as real backstories have them: quotes, commas, both newline styles, blank lines,
// leading and trailing spaces, tabs, accents, emoji, a text that is only a quote.
const QByteArray source =
    "uid,backstory,full_passage,num_tokens,logprob,model,sampling,wave,Région\n"
    "plain,Plain text.,,41,-12.5,m1,,W1,Nord\n"
    "quotes,\"He said \"\"no\"\", then \"\"yes\"\".\",,300,-401.123456789012345,m1,"
    "\"{\"\"temperature\"\":1,\"\"top_p\"\":0.95}\",W1,\n"
    "newlines,\"Line one\nLine two\r\nLine three\n\nAfter a blank line\n\",\"Question: Tell me.\n\nAnswer: "
    "Line one\nLine two\r\nLine three\n\nAfter a blank line\n\",512,,,,W2,Sud\n"
    "commas,\"a, b, c,,\",,,,,,,\n"
    "spaces,\"  two leading, two trailing  \t\",,,,,,W3,\"Est, Ouest\"\n"
    "emoji,\"Grandma 👵🏽 made crème brûlée; 日本語 too. 🎉\",,77,-0.0001,m2,,W1,Ouest\n"
    "onlyquote,\"\"\"\",,,,,,,\n";

std::unique_ptr<ProjectFile> importInto(const QString &projectPath, const QString &file,
                                        std::optional<BackstoryFormat> format = std::nullopt)
{
    auto p = ProjectFile::create(projectPath);
    if (!p)
        return nullptr;
    BackstoryImportOptions options;
    options.dropShort = false;
    options.format = format;
    auto report = BackstoryImporter(**p).importFile(file, options);
    if (!report) {
        qWarning() << report.error().toString();
        return nullptr;
    }
    return std::move(*p);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

const QStringList uids{u"plain"_s,  u"quotes"_s, u"newlines"_s, u"commas"_s,
                       u"spaces"_s, u"emoji"_s,  u"onlyquote"_s};

} // namespace

class TestBackstoryExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripKeepsEveryByte_data()
    {
        QTest::addColumn<QString>("exportName");
        QTest::addColumn<bool>("textOnly");
        QTest::newRow("csv") << u"out.csv"_s << false;
        QTest::newRow("jsonl") << u"out.jsonl"_s << false;
        QTest::newRow("txt folder") << u"out-folder"_s << true;
    }

    void roundTripKeepsEveryByte()
    {
        QFETCH(QString, exportName);
        QFETCH(bool, textOnly);
        test::TempProject tmp;
        auto original = importInto(tmp.path(u"a.anthology"_s), tmp.writeFile(u"in.csv"_s, source));
        QVERIFY(original);
        BackstoryStore a(*original);
        QCOMPARE(a.count(), int(uids.size()));

        const QString out = tmp.path(exportName);
        BackstoryExportOptions options;
        if (textOnly)
            options.format = BackstoryFormat::TextFolder;
        auto written = BackstoryExporter(*original).exportFile(out, options);
        QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));
        QCOMPARE(*written, qint64(uids.size()));

        auto copy = importInto(tmp.path(u"b.anthology"_s), out, options.format);
        QVERIFY(copy);
        BackstoryStore b(*copy);
        QCOMPARE(b.count(), a.count());
        for (const QString &uid : uids) {
            const Backstory x = *a.get(uid);
            const std::optional<Backstory> y = b.get(uid);
            QVERIFY2(y, qPrintable(uid));
            QCOMPARE(y->text.toUtf8(), x.text.toUtf8());
            if (textOnly)
                continue;
            QCOMPARE(y->fullPassage, x.fullPassage);
            QCOMPARE(y->tokenCount, x.tokenCount);
            QCOMPARE(y->logprob, x.logprob);
            QCOMPARE(y->model, x.model);
            QCOMPARE(y->sampling, x.sampling);
            QCOMPARE(y->attributes, x.attributes);
        }
        const Backstory newlines = *b.get(u"newlines"_s);
        QCOMPARE(newlines.text, u"Line one\nLine two\r\nLine three\n\nAfter a blank line\n"_s);
        QCOMPARE(b.get(u"onlyquote"_s)->text, u"\""_s);
        if (!textOnly) {
            QCOMPARE(newlines.attributes.value(u"Région"_s).toString(), u"Sud"_s);
            QCOMPARE(*b.get(u"quotes"_s)->logprob, -401.123456789012345);
            // A second export of the copy is byte-identical to the first.
            const QString again = tmp.path(u"again-"_s + exportName);
            QVERIFY(BackstoryExporter(*copy).exportFile(again).ok());
            QCOMPARE(readAll(again), readAll(out));
        }
    }

    void pythonsCsvModuleReadsTheExport()
    {
        // An independent RFC 4180 reader must see exactly our texts.
        test::TempProject tmp;
        auto project = importInto(tmp.path(), tmp.writeFile(u"in.csv"_s, source));
        QVERIFY(project);
        const QString out = tmp.path(u"o.csv"_s);
        QVERIFY(BackstoryExporter(*project).exportFile(out).ok());
        QProcess python;
        python.start(u"python3"_s, {u"-c"_s,
                                    u"import csv, json, sys\n"
                                    u"with open(sys.argv[1], newline='', encoding='utf-8') as f:\n"
                                    u"    rows = {r['uid']: r['backstory'] for r in csv.DictReader(f)}\n"
                                    u"sys.stdout.write(json.dumps(rows))\n"_s,
                                    out});
        QVERIFY(python.waitForFinished(60000));
        QCOMPARE(python.exitCode(), 0);
        const QJsonObject rows = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
        QCOMPARE(rows.size(), uids.size());
        BackstoryStore store(*project);
        for (const QString &uid : uids)
            QCOMPARE(rows.value(uid).toString(), store.get(uid)->text);
    }

    void csvHeaderNamesCanonicalColumns()
    {
        test::TempProject tmp;
        auto project = importInto(tmp.path(), tmp.writeFile(u"in.csv"_s, source));
        QVERIFY(project);
        QVERIFY(BackstoryExporter(*project).exportFile(tmp.path(u"o.csv"_s)).ok());
        const QByteArray csv = readAll(tmp.path(u"o.csv"_s));
        QVERIFY2(
            csv.startsWith("uid,backstory,full_passage,token_count,logprob,model,sampling,Région,wave\r\n"),
            csv.left(120).constData());
        QVERIFY(csv.contains("\r\nonlyquote,\"\"\"\",,"));
    }

    // token_count is what the model generated: an edited text's estimate goes out as an
    // attribute of its own, never in that column.
    void anEditedTextsEstimateIsExportedAsSuch()
    {
        test::TempProject tmp;
        auto project = importInto(tmp.path(), tmp.writeFile(u"in.csv"_s, source));
        QVERIFY(project);
        QVERIFY(BackstoryStore(*project).edit(u"plain"_s, u"Plain text. Plain text."_s).ok()); // 41 -> 82

        QVERIFY(BackstoryExporter(*project).exportFile(tmp.path(u"e.csv"_s)).ok());
        const QByteArray csv = readAll(tmp.path(u"e.csv"_s));
        QVERIFY2(csv.startsWith("uid,backstory,full_passage,token_count,logprob,model,sampling,Région,"
                                "token_count_estimated,wave\r\n"),
                 csv.left(120).constData());
        QVERIFY2(csv.contains("\r\nplain,Plain text. Plain text.,,,-12.5,m1,,Nord,82,W1\r\n"), csv.constData());
        QVERIFY(csv.contains("\r\nemoji,Grandma 👵🏽 made crème brûlée; 日本語 too. 🎉,,77,"));

        QVERIFY(BackstoryExporter(*project).exportFile(tmp.path(u"e.jsonl"_s)).ok());
        const QJsonObject plain = QJsonDocument::fromJson(readAll(tmp.path(u"e.jsonl"_s)).split('\n').first()).object();
        QCOMPARE(plain.value(u"uid"_s).toString(), u"plain"_s);
        QVERIFY(!plain.contains(u"token_count"_s));
        QCOMPARE(plain.value(u"token_count_estimated"_s).toInt(), 82);
        QCOMPARE(plain.value(u"wave"_s).toString(), u"W1"_s);
    }

    void selectedUidsAreWrittenInTheOrderGiven()
    {
        test::TempProject tmp;
        auto project = importInto(tmp.path(), tmp.writeFile(u"in.csv"_s, source));
        BackstoryExportOptions options;
        options.uids = {u"emoji"_s, u"plain"_s};
        QVERIFY(BackstoryExporter(*project).exportFile(tmp.path(u"sel.jsonl"_s), options).ok());
        const QList<QByteArray> lines = readAll(tmp.path(u"sel.jsonl"_s)).split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].contains("\"uid\":\"emoji\""));
        QVERIFY(lines[1].contains("\"uid\":\"plain\""));
        QVERIFY(lines[2].isEmpty());
    }

    void failedExportWritesNothing_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("selection");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown uid, csv") << u"x.csv"_s << QStringList{u"plain"_s, u"ghost"_s} << u"ghost"_s;
        QTest::newRow("unknown uid, folder") << u"folder/"_s << QStringList{u"ghost"_s} << u"ghost"_s;
        QTest::newRow("unknown format") << u"x.xlsx"_s << QStringList() << u"format"_s;
    }

    void failedExportWritesNothing()
    {
        QFETCH(QString, name);
        QFETCH(QStringList, selection);
        QFETCH(QString, message);
        test::TempProject tmp;
        auto project = importInto(tmp.path(), tmp.writeFile(u"in.csv"_s, source));
        BackstoryExportOptions options;
        options.uids = selection;
        auto result = BackstoryExporter(*project).exportFile(tmp.path(name), options);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().toString().contains(message), qPrintable(result.error().toString()));
        QVERIFY(!QFileInfo::exists(tmp.path(name)));
    }

    void uidsThatCannotBeFileNamesAreRefused()
    {
        test::TempProject tmp;
        auto project = importInto(tmp.path(), tmp.writeFile(u"in.csv"_s, "uid,backstory\nok,a\n../evil,b\n"));
        QVERIFY(project);
        auto result = BackstoryExporter(*project).exportFile(tmp.path(u"folder"_s),
                                                             {BackstoryFormat::TextFolder, {}, {}, nullptr});
        QVERIFY(!result.ok());
        QVERIFY(result.error().message.contains(u"../evil"_s));
        QVERIFY(!QFileInfo::exists(tmp.path(u"evil.txt"_s)));
        QVERIFY(!QFileInfo::exists(tmp.path(u"folder/ok.txt"_s)));
    }
};

QTEST_GUILESS_MAIN(TestBackstoryExport)
#include "TestBackstoryExport.moc"
