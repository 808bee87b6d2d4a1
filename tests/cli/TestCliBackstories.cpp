#include "CliRunner.h"
#include "SearchCorpus.h"
#include "TempProject.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace anthology::test;
using namespace Qt::StringLiterals;

// The backstory commands, driven through the real program as a user would.
class TestCliBackstories : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    QString m_project;

    CliResult run(QStringList args)
    {
        args << u"--project"_s << m_project;
        return runCli(args);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_project = m_dir.path(u"cli.anthology"_s);
        const CliResult r = runCli({u"project"_s, u"init"_s, m_project, u"--example"_s, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(u"backstories"_s).toInt(), 12);
    }

    void infoReportsCounts()
    {
        const CliResult r = runCli({u"project"_s, u"info"_s, m_project, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json().object().value(u"backstories"_s).toInt(), 12);
        QVERIFY(r.json().object().value(u"schema_version"_s).toInt() >= 1);
    }

    void initRefusesAnExistingFile()
    {
        const CliResult r = runCli({u"project"_s, u"init"_s, m_project});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.errText().contains(u"cli.anthology"_s), r.err.constData());
    }

    void importKeepsQuotedNewlines()
    {
        const QString csv =
            m_dir.writeFile(u"more.csv"_s, "uid,backstory,num_tokens\n"
                                           "cli-1,\"I said \"\"hello\"\",\nthen left, quietly.\",50\n"
                                           "cli-2,short one,12\n");
        const CliResult r = run({u"backstories"_s, u"import"_s, csv, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(u"imported"_s).toInt(), 1);
        QCOMPARE(r.json().object().value(u"dropped_short"_s).toInt(), 1);
        const CliResult show = run({u"backstories"_s, u"show"_s, u"cli-1"_s, u"--json"_s});
        QCOMPARE(show.exitCode, 0);
        QCOMPARE(show.json().object().value(u"backstory"_s).toString(),
                 u"I said \"hello\",\nthen left, quietly."_s);
    }

    void badImportNamesLineAndChangesNothing()
    {
        const QString csv = m_dir.writeFile(u"bad.csv"_s, "uid,backstory\nb-1,fine\nb-2,\"never closed\n");
        const CliResult r = run({u"backstories"_s, u"import"_s, csv});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.errText().contains(u"bad.csv:3"_s), r.err.constData());
        const CliResult info = runCli({u"project"_s, u"info"_s, m_project, u"--json"_s});
        QCOMPARE(info.json().object().value(u"backstories"_s).toInt(), 13);
    }

    void listPagesThroughTheTable()
    {
        const CliResult r =
            run({u"backstories"_s, u"list"_s, u"--limit"_s, u"5"_s, u"--offset"_s, u"10"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json().object().value(u"total"_s).toInt(), 13);
        QCOMPARE(r.json().object().value(u"items"_s).toArray().size(), 3);
    }

    void searchFindsWordsAndToleratesPunctuation()
    {
        CliResult r = run({u"backstories"_s, u"search"_s, u"dairy"_s, u"farm"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json().object().value(u"total"_s).toInt(), 1);
        QCOMPARE(r.json().object().value(u"items"_s).toArray().first().toObject().value(u"uid"_s).toString(),
                 u"ex-02-walt"_s);
        r = run({u"backstories"_s, u"search"_s, u"don't AND("_s});
        QCOMPARE(r.exitCode, 0);
    }

    void searchSyntaxIsTheWorkbenchBoxSyntax_data()
    {
        QTest::addColumn<QStringList>("query");
        QTest::addColumn<int>("total");
        QTest::newRow("prefix") << QStringList{u"far*"_s} << SearchCorpus::farPrefix();
        QTest::newRow("phrase") << QStringList{u"\"grew up\""_s} << SearchCorpus::phraseGrewUp();
        QTest::newRow("words") << QStringList{u"grew"_s, u"up"_s} << SearchCorpus::grewAndUp();
        QTest::newRow("phrase and prefix")
            << QStringList{u"\"grew up\" far*"_s} << SearchCorpus::phraseAndPrefix();
    }

    void searchSyntaxIsTheWorkbenchBoxSyntax()
    {
        QFETCH(QStringList, query);
        QFETCH(int, total);
        const QString corpus = m_dir.path(u"corpus.anthology"_s);
        if (!QFile::exists(corpus)) {
            QCOMPARE(runCli({u"project"_s, u"init"_s, corpus}).exitCode, 0);
            const CliResult r =
                runCli({u"backstories"_s, u"import"_s, m_dir.writeFile(u"corpus.csv"_s, SearchCorpus::csv()),
                        u"--project"_s, corpus});
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        const CliResult r = runCli(QStringList{u"backstories"_s, u"search"_s} + query +
                                   QStringList{u"--project"_s, corpus, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(u"total"_s).toInt(), total);
    }

    void anUnclosedQuoteIsAPlainError()
    {
        const CliResult r = run({u"backstories"_s, u"search"_s, u"\"grew up"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.errText().contains(u"not closed"_s), r.err.constData());
        QVERIFY2(!r.errText().contains(u"fts5"_s, Qt::CaseInsensitive), r.err.constData());
    }

    void editKeepsHistoryAndUndoRestores()
    {
        CliResult r = run(
            {u"backstories"_s, u"edit"_s, u"ex-01-marisol"_s, u"--text"_s, u"Edited text."_s, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const int edited = r.json().object().value(u"revision"_s).toInt();
        QCOMPARE(edited, 2);
        r = run({u"backstories"_s, u"show"_s, u"ex-01-marisol"_s});
        QCOMPARE(r.outText().trimmed(), u"Edited text."_s);
        // The model's count (172) described the old text: the edit's count is an estimate, said so.
        r = run({u"backstories"_s, u"show"_s, u"ex-01-marisol"_s, u"--json"_s});
        QCOMPARE(r.json().object().value(u"num_tokens_estimated"_s).toBool(), true);
        QVERIFY(r.json().object().value(u"num_tokens"_s).toInt() < 172);
        r = run({u"backstories"_s, u"list"_s, u"--limit"_s, u"1"_s});
        QVERIFY2(r.outText().contains(u" ~"_s + QString::number(
                                           run({u"backstories"_s, u"show"_s, u"ex-01-marisol"_s, u"--json"_s})
                                               .json()
                                               .object()
                                               .value(u"num_tokens"_s)
                                               .toInt())),
                 r.out.constData());
        r = run({u"backstories"_s, u"show"_s, u"ex-01-marisol"_s, u"--revision"_s, u"1"_s});
        QVERIFY(r.outText().contains(u"El Paso"_s));
        r = run({u"backstories"_s, u"edit"_s, u"ex-01-marisol"_s, u"--undo"_s});
        QCOMPARE(r.exitCode, 0);
        r = run({u"backstories"_s, u"show"_s, u"ex-01-marisol"_s});
        QVERIFY(r.outText().contains(u"El Paso"_s));
        r = run({u"backstories"_s, u"show"_s, u"ex-01-marisol"_s, u"--history"_s, u"--json"_s});
        QVERIFY(r.json().object().value(u"revisions"_s).toArray().size() >= 2);
    }

    void editFromStandardInput()
    {
        CliResult r = runCli(
            {u"backstories"_s, u"edit"_s, u"ex-03-devon"_s, u"--file"_s, u"-"_s, u"--project"_s, m_project},
            "From stdin.\n");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = run({u"backstories"_s, u"show"_s, u"ex-03-devon"_s});
        QCOMPARE(r.outText(), u"From stdin.\n\n"_s);
    }

    void exportRoundTrip()
    {
        const QString out = m_dir.path(u"out.jsonl"_s);
        CliResult r = run({u"backstories"_s, u"export"_s, out, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(u"exported"_s).toInt(), 13);
        const QString copy = m_dir.path(u"copy.anthology"_s);
        QCOMPARE(runCli({u"project"_s, u"init"_s, copy}).exitCode, 0);
        r = runCli({u"backstories"_s, u"import"_s, out, u"--min-tokens"_s, u"0"_s, u"--project"_s, copy,
                    u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(u"imported"_s).toInt(), 13);
    }

    void usageErrorsExitOne_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no arguments") << QStringList{};
        QTest::newRow("unknown group") << QStringList{u"frobnicate"_s};
        QTest::newRow("unknown command") << QStringList{u"backstories"_s, u"frobnicate"_s};
        QTest::newRow("unknown option") << QStringList{u"backstories"_s, u"list"_s, u"--bogus"_s};
        QTest::newRow("missing project")
            << QStringList{u"project"_s, u"info"_s, u"/nonexistent/x.anthology"_s};
        QTest::newRow("bad number") << QStringList{u"backstories"_s, u"list"_s, u"--limit"_s, u"many"_s};
    }

    void usageErrorsExitOne()
    {
        QFETCH(QStringList, args);
        auto env = QProcessEnvironment::systemEnvironment();
        env.remove(u"ANTHOLOGY_PROJECT"_s);
        const CliResult r = runCli(args, {}, env);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(!r.err.isEmpty());
    }

    void helpEverywhere_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("top") << QStringList{u"--help"_s};
        QTest::newRow("group") << QStringList{u"backstories"_s, u"--help"_s};
        QTest::newRow("import") << QStringList{u"backstories"_s, u"import"_s, u"--help"_s};
        QTest::newRow("init") << QStringList{u"project"_s, u"init"_s, u"--help"_s};
    }

    void helpEverywhere()
    {
        QFETCH(QStringList, args);
        const CliResult r = runCli(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.outText().contains(u"Usage"_s, Qt::CaseInsensitive));
    }
};

QTEST_GUILESS_MAIN(TestCliBackstories)
#include "TestCliBackstories.moc"
