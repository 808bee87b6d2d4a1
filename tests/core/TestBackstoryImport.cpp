#include "backstories/BackstoryImporter.h"
#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"

#include "support/TempProject.h"

#include <QDir>
#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

// Everything a project holds about its backstories, to prove a failed import kept nothing.
QByteArray snapshot(ProjectFile &project)
{
    Statement st = project.prepare("SELECT group_concat(uid || x'1f' || text || x'1f' || revision, x'1e') "
                                   "FROM (SELECT * FROM backstories ORDER BY id)");
    Result<bool> row = st.step();
    Statement fts = project.prepare("SELECT count(*) FROM backstory_fts('kept')");
    Result<bool> ftsRow = fts.step();
    return (row && *row ? st.columnUtf8(0) : "?") + '|' +
           QByteArray::number(ftsRow && *ftsRow ? fts.columnInt64(0) : -1);
}

QStringList uidsInOrder(ProjectFile &project)
{
    QStringList out;
    for (const BackstorySummary &s : BackstoryStore(project).page(0, 1000))
        out.append(s.uid);
    return out;
}

} // namespace

class TestBackstoryImport : public QObject
{
    Q_OBJECT

    struct Fixture
    {
        test::TempProject tmp;
        std::unique_ptr<ProjectFile> project;
    };

    static std::unique_ptr<ProjectFile> newProject(const test::TempProject &tmp)
    {
        auto p = ProjectFile::create(tmp.path());
        return p ? std::move(*p) : nullptr;
    }

private Q_SLOTS:
    void goodFilesImport_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("uid");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("count");
        QTest::newRow("csv plain") << u"a.csv"_s << QByteArray("uid,backstory\nx1,Hello there\nx2,Bye\n")
                                   << u"x1"_s << u"Hello there"_s << 2;
        QTest::newRow("csv quoted newline, quotes, comma, CRLF")
            << u"a.csv"_s
            << QByteArray("uid,backstory\r\nq,\"She said \"\"hi\"\",\r\nthen, left.\"\r\nr,x\r\n") << u"q"_s
            << u"She said \"hi\",\r\nthen, left."_s << 2;
        QTest::newRow("csv without final newline")
            << u"a.csv"_s << QByteArray("uid,backstory\nz,last") << u"z"_s << u"last"_s << 1;
        QTest::newRow("csv spaces kept, BOM skipped")
            << u"a.csv"_s << QByteArray("\xEF\xBB\xBFuid,backstory\ns, padded \n") << u"s"_s << u" padded "_s
            << 1;
        QTest::newRow("csv full_passage only is the text")
            << u"a.csv"_s << QByteArray("uid,full_passage\np,\"Question: Q\n\nAnswer: A\"\n") << u"p"_s
            << u"Question: Q\n\nAnswer: A"_s << 1;
        QTest::newRow("csv emoji and accents")
            << u"a.csv"_s << QByteArray("uid,backstory\né,\"Crème 🎉\"\n") << u"é"_s << u"Crème 🎉"_s << 1;
        QTest::newRow("csv blank lines between rows")
            << u"a.csv"_s << QByteArray("uid,backstory\n\nb,one\n\n\nc,two\n") << u"c"_s << u"two"_s << 2;
        QTest::newRow("jsonl") << u"a.jsonl"_s
                               << QByteArray("{\"uid\":\"j\",\"backstory\":\"Line\\nbreak \\\"q\\\"\"}\n\n"
                                             "{\"uid\":7,\"full_passage\":\"x\"}\n")
                               << u"j"_s << u"Line\nbreak \"q\""_s << 2;
        QTest::newRow("jsonl CRLF") << u"a.jsonl"_s << QByteArray("{\"uid\":\"k\",\"backstory\":\"a\"}\r\n")
                                    << u"k"_s << u"a"_s << 1;
    }

    void goodFilesImport()
    {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, content);
        QFETCH(QString, uid);
        QFETCH(QString, text);
        QFETCH(int, count);
        test::TempProject tmp;
        auto project = newProject(tmp);
        QVERIFY(project);
        auto report = BackstoryImporter(*project).importFile(tmp.writeFile(fileName, content));
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
        QCOMPARE(report->imported, count);
        BackstoryStore store(*project);
        QCOMPARE(store.count(), count);
        QCOMPARE(store.get(uid)->text, text);
    }

    void metadataColumnsAreRecognised()
    {
        test::TempProject tmp;
        auto project = newProject(tmp);
        const QString csv = tmp.writeFile(
            u"m.csv"_s, "uid,backstory,num_tokens,sum_logprobs,model_name,sampling,wave,token_count\n"
                        "m,text,352.0,-401.25,llama-3-70b,\"{\"\"temperature\"\": 1.0}\",W34,99\n");
        auto report = BackstoryImporter(*project).importFile(csv);
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
        const Backstory b = *BackstoryStore(*project).get(u"m"_s);
        QCOMPARE(b.tokenCount, std::optional<qint64>(99)); // the canonical name wins over the alias
        QCOMPARE(b.logprob, std::optional<double>(-401.25));
        QCOMPARE(b.model, u"llama-3-70b"_s);
        QCOMPARE(b.sampling.value(u"temperature"_s).toDouble(), 1.0);
        QCOMPARE(b.attributes.value(u"wave"_s).toString(), u"W34"_s);
        QCOMPARE(b.attributes.value(u"num_tokens"_s).toString(), u"352.0"_s);
        QVERIFY(!b.fullPassage);
    }

    void textFolderImportsOneFilePerBackstory()
    {
        test::TempProject tmp;
        auto project = newProject(tmp);
        tmp.writeFile(u"stories/alice.txt"_s, "Alice's story,\nwith \"quotes\".\n");
        tmp.writeFile(u"stories/bob.v2.txt"_s, "Bob 🚲");
        tmp.writeFile(u"stories/notes.md"_s, "ignored");
        auto report = BackstoryImporter(*project).importFile(tmp.path(u"stories"_s));
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
        QCOMPARE(report->imported, 2);
        BackstoryStore store(*project);
        QCOMPARE(store.get(u"alice"_s)->text, u"Alice's story,\nwith \"quotes\".\n"_s);
        QCOMPARE(store.get(u"bob.v2"_s)->text, u"Bob 🚲"_s);
    }

    void badFilesAreRejectedWithTheirPosition_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("errorFile"); // relative to the temp dir
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");
        // clang-format off
        QTest::newRow("csv unterminated quote") << u"b.csv"_s << QByteArray("uid,backstory\n1,ok\n2,\"never\nclosed\n3,x\n")
            << u"b.csv"_s << 3 << 3 << u"unterminated quoted field"_s;
        QTest::newRow("csv quote inside unquoted field") << u"b.csv"_s << QByteArray("uid,backstory\n1,ab\"c\n")
            << u"b.csv"_s << 2 << 5 << u"quote inside an unquoted field"_s;
        QTest::newRow("csv text after closing quote") << u"b.csv"_s << QByteArray("uid,backstory\n1,\"ab\"c\n")
            << u"b.csv"_s << 2 << 7 << u"after a closing quote"_s;
        QTest::newRow("csv no text column") << u"b.csv"_s << QByteArray("uid,story\n1,x\n")
            << u"b.csv"_s << 1 << 1 << u"“backstory” or “full_passage”"_s;
        QTest::newRow("csv empty file") << u"b.csv"_s << QByteArray()
            << u"b.csv"_s << 1 << 1 << u"empty"_s;
        QTest::newRow("csv invalid UTF-8") << u"b.csv"_s << QByteArray("uid,backstory\n1,ab\xff" "c\n")
            << u"b.csv"_s << 2 << 5 << u"invalid UTF-8"_s;
        QTest::newRow("csv invalid UTF-8 in a quoted multi-line field")
            << u"b.csv"_s << QByteArray("uid,backstory\n1,\"é\n\"\"b\"\"\xC3\"\n")
            << u"b.csv"_s << 3 << 6 << u"invalid UTF-8"_s;
        QTest::newRow("csv overlong UTF-8") << u"b.csv"_s << QByteArray("uid,backstory\n1,\xC0\xAF\n")
            << u"b.csv"_s << 2 << 3 << u"invalid UTF-8"_s;
        QTest::newRow("csv NUL byte after long ASCII") << u"b.csv"_s << QByteArray("uid,backstory\n1,abcdefghijklmnop\0q\n", 35)
            << u"b.csv"_s << 2 << 19 << u"NUL character"_s;
        QTest::newRow("csv duplicate uid") << u"b.csv"_s << QByteArray("uid,backstory\nd,one\nx,two\nd,three\n")
            << u"b.csv"_s << 4 << 1 << u"appears twice (first on line 2)"_s;
        QTest::newRow("csv field count") << u"b.csv"_s << QByteArray("uid,backstory\n1,a\n2,b,c\n")
            << u"b.csv"_s << 3 << 1 << u"expected 2 fields"_s;
        QTest::newRow("csv empty uid") << u"b.csv"_s << QByteArray("backstory,uid\nabc,\n")
            << u"b.csv"_s << 2 << 5 << u"empty uid"_s;
        QTest::newRow("csv bad token count") << u"b.csv"_s << QByteArray("uid,backstory,num_tokens\n1,a,many\n")
            << u"b.csv"_s << 2 << 5 << u"whole number"_s;
        QTest::newRow("csv duplicate column") << u"b.csv"_s << QByteArray("uid,backstory,uid\n1,a,2\n")
            << u"b.csv"_s << 1 << 15 << u"appears twice in the header"_s;
        QTest::newRow("jsonl syntax error") << u"b.jsonl"_s
            << QByteArray("{\"uid\":\"1\",\"backstory\":\"a\"}\n{\"uid\":\"2\",\"backstory\":\"b\",}\n")
            << u"b.jsonl"_s << 2 << 28 << u"JSON syntax error"_s;
        QTest::newRow("jsonl unterminated string") << u"b.jsonl"_s << QByteArray("{\"uid\":\"1\",\"backstory\":\"a}\n")
            << u"b.jsonl"_s << 1 << 27 << u"JSON syntax error"_s; // end of line
        QTest::newRow("jsonl no text") << u"b.jsonl"_s << QByteArray("\n{\"uid\":\"1\",\"story\":\"a\"}\n")
            << u"b.jsonl"_s << 2 << 1 << u"no text"_s;
        QTest::newRow("jsonl not an object") << u"b.jsonl"_s << QByteArray("[1,2]\n")
            << u"b.jsonl"_s << 1 << 1 << u"one JSON object per line"_s;
        QTest::newRow("jsonl text not a string") << u"b.jsonl"_s << QByteArray("{\"uid\":\"1\", \"backstory\":5}\n")
            << u"b.jsonl"_s << 1 << 13 << u"as a string"_s;
        QTest::newRow("jsonl invalid UTF-8") << u"b.jsonl"_s << QByteArray("{\"uid\":\"1\",\"backstory\":\"\xe2\x82\"}\n")
            << u"b.jsonl"_s << 1 << 25 << u"invalid UTF-8"_s;
        QTest::newRow("jsonl duplicate uid") << u"b.jsonl"_s
            << QByteArray("{\"uid\":\"1\",\"backstory\":\"a\"}\n{\"uid\":\"1\",\"backstory\":\"b\"}\n")
            << u"b.jsonl"_s << 2 << 1 << u"appears twice"_s;
        QTest::newRow("uid already in the project") << u"b.csv"_s << QByteArray("uid,backstory\nnew,x\nkept,y\n")
            << u"b.csv"_s << 3 << 1 << u"already in the project"_s;
        QTest::newRow("txt invalid UTF-8") << u"dir/two.txt"_s << QByteArray("fine\nbro\xed\xa0\x80ken")
            << u"dir/two.txt"_s << 2 << 4 << u"invalid UTF-8"_s;
        QTest::newRow("unknown format") << u"b.xlsx"_s << QByteArray("x")
            << u"b.xlsx"_s << 0 << 0 << u"cannot tell the backstory format"_s;
        // clang-format on
    }

    void badFilesAreRejectedWithTheirPosition()
    {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, content);
        QFETCH(QString, errorFile);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        test::TempProject tmp;
        auto project = newProject(tmp);
        QVERIFY(project);
        BackstoryImporter importer(*project);
        QVERIFY(importer.importFile(tmp.writeFile(u"kept.csv"_s, "uid,backstory\nkept,kept text\n")).ok());
        const QByteArray before = snapshot(*project);

        QString path = tmp.writeFile(fileName, content);
        if (fileName.startsWith(u"dir/"_s)) {
            tmp.writeFile(u"dir/one.txt"_s, "a good one");
            path = tmp.path(u"dir"_s);
        }
        auto report = importer.importFile(path);
        QVERIFY(!report.ok());
        const Error &e = report.error();
        QCOMPARE(e.file, tmp.path(errorFile));
        QVERIFY2(e.message.contains(message), qPrintable(e.toString()));
        QCOMPARE(e.line, line);
        QCOMPARE(e.column, column);
        QCOMPARE(snapshot(*project), before);
    }

    void shortBackstoriesAreDroppedUnlessAsked_data()
    {
        QTest::addColumn<bool>("dropShort");
        QTest::addColumn<QString>("uids");
        QTest::newRow("dropped (reference loader)") << true << u"long,unknown"_s;
        QTest::newRow("kept") << false << u"short,edge,long,unknown"_s;
    }

    void shortBackstoriesAreDroppedUnlessAsked()
    {
        QFETCH(bool, dropShort);
        QFETCH(QString, uids);
        test::TempProject tmp;
        auto project = newProject(tmp);
        const QString csv = tmp.writeFile(
            u"s.csv"_s, "uid,backstory,num_tokens\nshort,a,3\nedge,b,40\nlong,c,41\nunknown,d,\n");
        BackstoryImportOptions options;
        options.dropShort = dropShort;
        auto report = BackstoryImporter(*project).importFile(csv, options);
        QVERIFY(report.ok());
        QCOMPARE(report->droppedShort, dropShort ? 2 : 0);
        QCOMPARE(uidsInOrder(*project).join(u','), uids);
    }

    void sampleAndShuffleAreSeeded()
    {
        test::TempProject tmp;
        QByteArray content = "uid,backstory\n";
        for (int i = 0; i < 50; ++i)
            content += "r" + QByteArray::number(i) + ",text " + QByteArray::number(i) + "\n";
        const QString csv = tmp.writeFile(u"many.csv"_s, content);

        auto importWith = [&](const QString &name, qint64 sample, bool shuffle, std::uint64_t seed) {
            auto p = ProjectFile::create(tmp.path(name));
            BackstoryImportOptions options;
            options.sampleSize = sample;
            options.shuffle = shuffle;
            options.seed = seed;
            auto report = BackstoryImporter(**p).importFile(csv, options);
            return report.ok() ? uidsInOrder(**p) : QStringList{report.error().toString()};
        };
        const QStringList sampled = importWith(u"s1"_s, 10, false, 7);
        QCOMPARE(sampled.size(), 10);
        QCOMPARE(importWith(u"s2"_s, 10, false, 7), sampled);
        QVERIFY(importWith(u"s3"_s, 10, false, 8) != sampled);
        QStringList sorted = sampled;
        std::sort(sorted.begin(), sorted.end(),
                  [](const QString &a, const QString &b) { return a.mid(1).toInt() < b.mid(1).toInt(); });
        QCOMPARE(sampled, sorted); // without shuffle the sample keeps file order

        const QStringList shuffled = importWith(u"h1"_s, -1, true, 7);
        QCOMPARE(shuffled.size(), 50);
        QCOMPARE(importWith(u"h2"_s, -1, true, 7), shuffled);
        QStringList fileOrder;
        for (int i = 0; i < 50; ++i)
            fileOrder.append(u"r"_s + QString::number(i));
        QVERIFY(shuffled != fileOrder);
        QStringList same = shuffled;
        same.sort();
        fileOrder.sort();
        QCOMPARE(same, fileOrder);
        QCOMPARE(importWith(u"h3"_s, 5, true, 7), shuffled.mid(0, 5));
    }

    void progressReportsRowsAndBytes()
    {
        test::TempProject tmp;
        auto project = newProject(tmp);
        QByteArray content = "uid,backstory\n";
        for (int i = 0; i < 1000; ++i)
            content += "p" + QByteArray::number(i) + ",\"some, text\"\n";
        const QString csv = tmp.writeFile(u"p.csv"_s, content);
        QList<BackstoryImportProgress> seen;
        BackstoryImportOptions options;
        options.progress = [&](const BackstoryImportProgress &p) { seen.append(p); };
        QVERIFY(BackstoryImporter(*project).importFile(csv, options).ok());
        QVERIFY(seen.size() >= 3);
        QCOMPARE(seen.last().rows, 1000);
        QCOMPARE(seen.last().bytesRead, content.size());
        QCOMPARE(seen.last().bytesTotal, content.size());
        for (qsizetype i = 1; i < seen.size(); ++i)
            QVERIFY(seen[i].rows >= seen[i - 1].rows);
    }

    void cancelKeepsNothing()
    {
        test::TempProject tmp;
        auto project = newProject(tmp);
        QByteArray content = "uid,backstory\n";
        for (int i = 0; i < 2000; ++i)
            content += "c" + QByteArray::number(i) + ",text\n";
        const QString csv = tmp.writeFile(u"c.csv"_s, content);
        std::atomic<bool> cancel = false;
        BackstoryImportOptions options;
        options.cancel = &cancel;
        options.progress = [&](const BackstoryImportProgress &p) {
            if (p.rows >= 512)
                cancel = true;
        };
        auto report = BackstoryImporter(*project).importFile(csv, options);
        QVERIFY(!report.ok());
        QVERIFY(report.error().message.contains(u"cancelled"_s));
        QCOMPARE(BackstoryStore(*project).count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestBackstoryImport)
#include "TestBackstoryImport.moc"
