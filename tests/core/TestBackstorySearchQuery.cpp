#include "backstories/BackstoryImporter.h"
#include "backstories/BackstorySearchQuery.h"
#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"

#include "support/SearchCorpus.h"
#include "support/TempProject.h"

#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// The search box's syntax (words, "a phrase", prefix*) means what it says: on a generated
// corpus each box query finds exactly what the raw FTS5 query finds and what the corpus holds
// by construction, and text that cannot be read is an error of ours, never one of SQLite's.
class TestBackstorySearchQuery : public QObject
{
    Q_OBJECT

    TempProject m_tmp;
    std::unique_ptr<ProjectFile> m_project;

private Q_SLOTS:
    void initTestCase()
    {
        auto p = ProjectFile::create(m_tmp.path());
        QVERIFY(p.ok());
        m_project = std::move(*p);
        auto report =
            BackstoryImporter(*m_project).importFile(m_tmp.writeFile(u"corpus.csv"_s, SearchCorpus::csv()));
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
        QCOMPARE(report->imported, SearchCorpus::kSize);
    }

    void translation_data()
    {
        QTest::addColumn<QString>("box");
        QTest::addColumn<QString>("fts5");
        QTest::newRow("words") << u"grew up"_s << u"\"grew\" \"up\""_s;
        QTest::newRow("phrase") << u"\"grew up\""_s << u"\"grew up\""_s;
        QTest::newRow("prefix") << u"far*"_s << u"\"far\"*"_s;
        QTest::newRow("phrase prefix") << u"\"grew u\"*"_s << u"\"grew u\"*"_s;
        QTest::newRow("mixed") << u"  \"grew up\"  far* coast"_s << u"\"grew up\" \"far\"* \"coast\""_s;
        QTest::newRow("operators are words")
            << u"cats OR NOT dogs"_s << u"\"cats\" \"OR\" \"NOT\" \"dogs\""_s;
        QTest::newRow("punctuation kept inside") << u"don't AND("_s << u"\"don't\" \"AND(\""_s;
        QTest::newRow("quote ends a word") << u"a\"b c\""_s << u"\"a\" \"b c\""_s;
        QTest::newRow("only punctuation") << u"( ) * -- \"\""_s << QString();
        QTest::newRow("empty") << QString() << QString();
    }

    void translation()
    {
        QFETCH(QString, box);
        QFETCH(QString, fts5);
        const Result<QString> got = BackstorySearchQuery::toFts5(box);
        QVERIFY2(got.ok(), qPrintable(got.ok() ? QString() : got.error().toString()));
        QCOMPARE(*got, fts5);
    }

    void boxCountsEqualTheRawQuery_data()
    {
        QTest::addColumn<QString>("box");
        QTest::addColumn<QString>("raw");
        QTest::addColumn<int>("truth");
        QTest::newRow("prefix") << u"far*"_s << u"far*"_s << SearchCorpus::farPrefix();
        QTest::newRow("phrase") << u"\"grew up\""_s << u"\"grew up\""_s << SearchCorpus::phraseGrewUp();
        QTest::newRow("words") << u"grew up"_s << u"grew AND up"_s << SearchCorpus::grewAndUp();
        QTest::newRow("phrase and prefix")
            << u"\"grew up\" far*"_s << u"\"grew up\" AND far*"_s << SearchCorpus::phraseAndPrefix();
        QTest::newRow("case folded") << u"FAR*"_s << u"far*"_s << SearchCorpus::farPrefix();
    }

    void boxCountsEqualTheRawQuery()
    {
        QFETCH(QString, box);
        QFETCH(QString, raw);
        QFETCH(int, truth);
        BackstoryStore store(*m_project);
        const Result<int> rawCount = store.searchCount(raw, SearchSyntax::Fts5);
        QVERIFY(rawCount.ok());
        QCOMPARE(*rawCount, truth);
        const Result<int> boxCount = store.searchCount(box);
        QVERIFY2(boxCount.ok(), qPrintable(boxCount.ok() ? QString() : boxCount.error().toString()));
        QCOMPARE(*boxCount, truth);
        const auto hits = store.search(box, SearchCorpus::kSize);
        QVERIFY(hits.ok());
        QCOMPARE(int(hits->size()), truth);
        // The corpus is built so that words and phrase differ by hundreds: the box is not AND.
        QVERIFY(SearchCorpus::grewAndUp() > SearchCorpus::phraseGrewUp() + 50);
    }

    void anUnclosedQuoteIsOurErrorNotSqlite_data()
    {
        QTest::addColumn<QString>("box");
        QTest::addColumn<int>("position");
        QTest::newRow("opening only") << u"\"grew up"_s << 1;
        QTest::newRow("third quote") << u"\"grew up\" \"far"_s << 11;
    }

    void anUnclosedQuoteIsOurErrorNotSqlite()
    {
        QFETCH(QString, box);
        QFETCH(int, position);
        const Result<QString> parsed = BackstorySearchQuery::toFts5(box);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().kind, Error::Kind::User);
        QVERIFY2(parsed.error().message.contains(u"character %1 is not closed"_s.arg(position)),
                 qPrintable(parsed.error().message));
        BackstoryStore store(*m_project);
        const auto hits = store.search(box, 10);
        QVERIFY(!hits.ok());
        QVERIFY2(!hits.error().message.contains(u"fts5"_s, Qt::CaseInsensitive),
                 qPrintable(hits.error().message));
        QVERIFY(!store.searchCount(box).ok());
    }
};

QTEST_GUILESS_MAIN(TestBackstorySearchQuery)
#include "TestBackstorySearchQuery.moc"
