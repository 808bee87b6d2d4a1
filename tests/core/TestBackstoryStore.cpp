#include "backstories/BackstoryImporter.h"
#include "backstories/BackstoryStore.h"
#include "backstories/TokenEstimate.h"
#include "project/ProjectFile.h"

#include "support/TempProject.h"

#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

// The schema version that added per-revision token counts.
constexpr int tokenCountSchema = 5;

// Five backstories of different lengths and token counts; b has a full passage.
const QByteArray fixture =
    "uid,backstory,full_passage,num_tokens\n"
    "c,\"I grew up near the harbor; my father fixed boats.\",,120\n"
    "a,\"I don't like crowds. My garden is where I rest, AND( that is that.\",,300\n"
    "e,\"Short one.\",,50\n"
    "b,\"Gardening taught me patience. The garden is my church.\","
    "\"Question: Tell me about yourself.\n\nAnswer: Gardening taught me patience. The garden is my "
    "church.\",90\n"
    "d,\"Café owner, born in Montréal, moved south for the sun and the ocean.\",,200\n";

} // namespace

class TestBackstoryStore : public QObject
{
    Q_OBJECT

    test::TempProject m_tmp;
    std::unique_ptr<ProjectFile> m_project;

private Q_SLOTS:
    void init()
    {
        QFile::remove(m_tmp.path());
        QFile::remove(m_tmp.path() + u"-wal"_s);
        QFile::remove(m_tmp.path() + u"-shm"_s);
        auto p = ProjectFile::create(m_tmp.path());
        QVERIFY(p.ok());
        m_project = std::move(*p);
        BackstoryImporter importer(*m_project);
        auto report = importer.importFile(m_tmp.writeFile(u"fixture.csv"_s, fixture));
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
        QCOMPARE(report->imported, 5);
    }

    void cleanup() { m_project.reset(); }

    void pageSortsAndSummarises_data()
    {
        QTest::addColumn<int>("sort");
        QTest::addColumn<QString>("order");
        QTest::newRow("import order") << int(BackstorySort::Id) << u"caebd"_s;
        QTest::newRow("uid ascending") << int(BackstorySort::UidAscending) << u"abcde"_s;
        QTest::newRow("uid descending") << int(BackstorySort::UidDescending) << u"edcba"_s;
        QTest::newRow("shortest first") << int(BackstorySort::LengthAscending) << u"ecbad"_s;
        QTest::newRow("longest first") << int(BackstorySort::LengthDescending) << u"dabce"_s;
        QTest::newRow("fewest tokens first") << int(BackstorySort::TokensAscending) << u"ebcda"_s;
        QTest::newRow("most tokens first") << int(BackstorySort::TokensDescending) << u"adcbe"_s;
    }

    void pageSortsAndSummarises()
    {
        QFETCH(int, sort);
        QFETCH(QString, order);
        BackstoryStore store(*m_project);
        QCOMPARE(store.count(), 5);
        const QList<BackstorySummary> all = store.page(0, 10, BackstorySort(sort));
        QString uids;
        for (const BackstorySummary &s : all)
            uids += s.uid;
        QCOMPARE(uids, order);
        const QList<BackstorySummary> two = store.page(1, 2, BackstorySort(sort));
        QCOMPARE(two.size(), 2);
        QCOMPARE(two[0].uid + two[1].uid, order.mid(1, 2));
    }

    void summaryCarriesPreviewAndCounts()
    {
        BackstoryStore store(*m_project);
        const BackstorySummary d = store.page(4, 1).value(0);
        QCOMPARE(d.uid, u"d"_s);
        QCOMPARE(d.preview, u"Café owner, born in Montréal, moved south for the sun and the ocean."_s);
        QCOMPARE(d.charCount, int(d.preview.size()));
        QCOMPARE(d.tokenCount, std::optional<qint64>(200));
        QCOMPARE(d.revision, 1);
    }

    void boxSearchTakesUserTextLiterally_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("uids"); // best first is not asserted: sorted
        QTest::newRow("one word") << u"garden"_s << u"ab"_s;
        QTest::newRow("case and accents folded") << u"GARDEN cafe"_s << QString();
        QTest::newRow("accent folded") << u"montreal"_s << u"d"_s;
        QTest::newRow("all words must match") << u"garden patience"_s << u"b"_s;
        QTest::newRow("apostrophe") << u"don't"_s << u"a"_s;
        QTest::newRow("fts keyword and paren") << u"AND("_s << u"ad"_s; // the word "and"
        QTest::newRow("a phrase") << u"\"the garden is\""_s << u"b"_s;
        QTest::newRow("a prefix") << u"garden*"_s << u"ab"_s;
        QTest::newRow("only punctuation") << u"( ) *"_s << QString();
        QTest::newRow("no match") << u"volcano"_s << QString();
    }

    void boxSearchTakesUserTextLiterally()
    {
        QFETCH(QString, query);
        QFETCH(QString, uids);
        BackstoryStore store(*m_project);
        auto found = store.search(query, 10);
        QVERIFY2(found.ok(), qPrintable(found.ok() ? QString() : found.error().toString()));
        QStringList got;
        for (const BackstorySummary &s : *found)
            got.append(s.uid);
        got.sort();
        QCOMPARE(got.join(QString()), uids);
        auto count = store.searchCount(query);
        QVERIFY(count.ok());
        QCOMPARE(*count, int(uids.size()));
    }

    void snippetHighlightsTheMatch()
    {
        BackstoryStore store(*m_project);
        auto found = store.search(u"harbor"_s, 5);
        QVERIFY(found.ok());
        QCOMPARE(found->size(), 1);
        const QString expected =
            QChar(BackstorySummary::highlightStart) + u"harbor"_s + QChar(BackstorySummary::highlightEnd);
        QVERIFY2(found->first().snippet.contains(expected), qPrintable(found->first().snippet));
    }

    void rawFtsSyntaxIsAnOption()
    {
        BackstoryStore store(*m_project);
        auto either = store.searchCount(u"harbor OR ocean"_s, SearchSyntax::Fts5);
        QVERIFY(either.ok());
        QCOMPARE(*either, 2);
        auto prefix = store.searchCount(u"garden*"_s, SearchSyntax::Fts5);
        QVERIFY(prefix.ok());
        QCOMPARE(*prefix, 2);
        auto bad = store.search(u"AND("_s, 5, SearchSyntax::Fts5);
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.contains(u"AND("_s));
    }

    void editKeepsEveryRevisionAndUndoWalksBack()
    {
        BackstoryStore store(*m_project);
        const QString original = store.get(u"b"_s)->text;
        auto r2 = store.edit(u"b"_s, u"Volcanoes taught me patience."_s);
        QVERIFY(r2.ok());
        QCOMPARE(*r2, 2);
        auto r3 = store.edit(u"b"_s, u"Volcanoes and glaciers."_s);
        QCOMPARE(*r3, 3);
        QCOMPARE(*store.edit(u"b"_s, u"Volcanoes and glaciers."_s), 3); // unchanged text: no revision

        const Backstory b = *store.get(u"b"_s);
        QCOMPARE(b.text, u"Volcanoes and glaciers."_s);
        QCOMPARE(b.revision, 3);
        QCOMPARE(*b.fullPassage, u"Question: Tell me about yourself.\n\nAnswer: Volcanoes and glaciers."_s);
        QCOMPARE(b.passage(), *b.fullPassage);

        // The index follows the edit.
        QCOMPARE(*store.searchCount(u"volcanoes"_s), 1);
        QCOMPARE(*store.searchCount(u"church"_s), 0);

        QCOMPARE(**store.textAtRevision(u"b"_s, 1), original);
        QCOMPARE(**store.textAtRevision(u"b"_s, 2), u"Volcanoes taught me patience."_s);
        QVERIFY(!store.textAtRevision(u"b"_s, 9)->has_value());
        QVERIFY(!store.textAtRevision(u"nobody"_s, 1).ok());

        auto r4 = store.undo(u"b"_s);
        QCOMPARE(*r4, 4);
        QCOMPARE(store.get(u"b"_s)->text, u"Volcanoes taught me patience."_s);
        auto r5 = store.undo(u"b"_s);
        QCOMPARE(*r5, 5);
        QCOMPARE(store.get(u"b"_s)->text, original);
        QCOMPARE(*store.get(u"b"_s)->fullPassage,
                 u"Question: Tell me about yourself.\n\nAnswer: "_s + original);
        QCOMPARE(*store.searchCount(u"church"_s), 1);
        QCOMPARE(*store.searchCount(u"volcanoes"_s), 0);
        auto nothing = store.undo(u"b"_s);
        QVERIFY(!nothing.ok());
        QVERIFY(nothing.error().message.contains(u"nothing to undo"_s));

        const QList<BackstoryRevision> history = store.history(u"b"_s);
        QCOMPARE(history.size(), 5);
        QList<int> parents;
        for (const BackstoryRevision &r : history)
            parents.append(r.parentRevision.value_or(0));
        QCOMPARE(parents, QList<int>({0, 1, 2, 1, 0}));
        QVERIFY(!history[0].editedAt.isValid());
        QVERIFY(history[4].editedAt.isValid());
        QVERIFY(history[4].current);
        QVERIFY(!history[3].current);
        QCOMPARE(history[0].charCount, int(original.size()));
    }

    // Fixture c: "I grew up near the harbor; my father fixed boats." = 12 pieces, 120 tokens.
    void editEstimatesTheTokenCountAndUndoRestoresIt()
    {
        BackstoryStore store(*m_project);
        const QString original = store.get(u"c"_s)->text;
        QCOMPARE(TokenEstimate::pieces(original), qsizetype(12));

        // Twice the text: twice the model's count, marked as an estimate everywhere it shows.
        QVERIFY(store.edit(u"c"_s, original + u' ' + original).ok());
        Backstory b = *store.get(u"c"_s);
        QCOMPARE(b.tokenCount, std::optional<qint64>(240));
        QVERIFY(b.tokenCountEstimated);
        const QList<BackstorySummary> rows = store.page(0, 10, BackstorySort::UidAscending);
        QCOMPARE(rows[2].uid, u"c"_s);
        QCOMPARE(rows[2].tokenCount, std::optional<qint64>(240));
        QVERIFY(rows[2].tokenCountEstimated);
        QVERIFY(!rows[0].tokenCountEstimated);
        auto hits = store.search(u"harbor"_s, 10);
        QVERIFY(hits.ok());
        QCOMPARE(hits->size(), 1);
        QVERIFY(hits->first().tokenCountEstimated);
        QVERIFY(hits->first().snippet.contains(u"harbor"_s));

        // A second edit still scales the model's count of the original, not the estimate.
        QVERIFY(store.edit(u"c"_s, u"I grew up near the harbor."_s).ok()); // 7 pieces
        b = *store.get(u"c"_s);
        QCOMPARE(b.tokenCount, std::optional<qint64>(70));
        QVERIFY(b.tokenCountEstimated);

        // Undo brings back each revision's own count; the original's is exact again.
        QVERIFY(store.undo(u"c"_s).ok());
        QCOMPARE(store.get(u"c"_s)->tokenCount, std::optional<qint64>(240));
        QVERIFY(store.undo(u"c"_s).ok());
        b = *store.get(u"c"_s);
        QCOMPARE(b.text, original);
        QCOMPARE(b.tokenCount, std::optional<qint64>(120));
        QVERIFY(!b.tokenCountEstimated);

        // Typing the original text back is the original, counted by the model.
        QVERIFY(store.edit(u"c"_s, u"Something else."_s).ok());
        QVERIFY(store.edit(u"c"_s, original).ok());
        b = *store.get(u"c"_s);
        QCOMPARE(b.tokenCount, std::optional<qint64>(120));
        QVERIFY(!b.tokenCountEstimated);
    }

    void anEditWithoutAModelCountStaysUnknown()
    {
        QVERIFY(m_project->exec("UPDATE backstories SET token_count = NULL WHERE uid = 'e'").ok());
        BackstoryStore store(*m_project);
        QVERIFY(store.edit(u"e"_s, u"A longer one now."_s).ok());
        const Backstory b = *store.get(u"e"_s);
        QVERIFY(!b.tokenCount);
        QVERIFY(!b.tokenCountEstimated);
    }

    // A project written before per-revision counts: its edited texts kept the original's count.
    void projectsEditedBeforePerRevisionCountsLoseOnlyTheStaleCounts()
    {
        BackstoryStore store(*m_project);
        QVERIFY(store.edit(u"a"_s, u"Crowds are fine now."_s).ok());
        QVERIFY(store.edit(u"d"_s, u"Another text."_s).ok());
        QVERIFY(store.undo(u"d"_s).ok()); // d's text is the original again
        // What the old schema held: the model's counts on backstories, none on revisions.
        QVERIFY(m_project
                    ->exec(QByteArray("UPDATE backstories SET token_count = CASE uid WHEN 'a' THEN 300 WHEN 'd' THEN 200 "
                           "ELSE token_count END; "
                           "ALTER TABLE backstories DROP COLUMN token_count_estimated; "
                           "ALTER TABLE backstory_revisions DROP COLUMN token_count; "
                           "ALTER TABLE backstory_revisions DROP COLUMN token_count_estimated; "
                           "PRAGMA user_version = ")
                               .append(QByteArray::number(tokenCountSchema - 1)))
                    .ok());
        m_project.reset();
        auto reopened = ProjectFile::open(m_tmp.path());
        QVERIFY2(reopened.ok(), qPrintable(reopened.ok() ? QString() : reopened.error().toString()));
        m_project = std::move(*reopened);
        BackstoryStore upgraded(*m_project);
        QVERIFY(!upgraded.get(u"a"_s)->tokenCount); // edited: the old count described another text
        QCOMPARE(upgraded.get(u"d"_s)->tokenCount, std::optional<qint64>(200));
        QCOMPARE(upgraded.get(u"c"_s)->tokenCount, std::optional<qint64>(120));
        // The next edit of a scales the original's count kept with revision 1.
        QVERIFY(upgraded.edit(u"a"_s, u"I don't like crowds."_s).ok());
        const Backstory a = *upgraded.get(u"a"_s);
        QVERIFY(a.tokenCountEstimated);
        QCOMPARE(a.tokenCount,
                 TokenEstimate::scaled(a.text,
                                       u"I don't like crowds. My garden is where I rest, AND( that is that."_s, 300));
    }

    void editOfAnUnknownUidFails()
    {
        BackstoryStore store(*m_project);
        auto r = store.edit(u"zzz"_s, u"x"_s);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().key, u"uid"_s);
        QVERIFY(!store.undo(u"zzz"_s).ok());
        QVERIFY(store.history(u"zzz"_s).isEmpty());
    }

    void removeTakesTheBackstoryItsHistoryAndIndexEntry()
    {
        BackstoryStore store(*m_project);
        QVERIFY(store.edit(u"c"_s, u"Harbor lights, harbor nights."_s).ok());
        QVERIFY(store.remove(u"c"_s).ok());
        QCOMPARE(store.count(), 4);
        QVERIFY(!store.get(u"c"_s));
        QVERIFY(store.history(u"c"_s).isEmpty());
        QCOMPARE(*store.searchCount(u"harbor"_s), 0);
        QVERIFY(!store.remove(u"c"_s).ok());
        QVERIFY(m_project->checkIntegrity(true).ok());
        QVERIFY(m_project->exec("INSERT INTO backstory_fts(backstory_fts) VALUES ('integrity-check')").ok());
    }

    void readerConnectionSeesCommittedEdits()
    {
        BackstoryStore store(*m_project);
        auto reader = ProjectFile::open(m_project->path(), ProjectFile::Mode::ReadOnly);
        QVERIFY(reader.ok());
        BackstoryStore readOnly(**reader);
        QVERIFY(store.edit(u"e"_s, u"A longer story now."_s).ok());
        QCOMPARE(readOnly.get(u"e"_s)->text, u"A longer story now."_s);
        QVERIFY(!readOnly.edit(u"e"_s, u"nope"_s).ok());
    }
};

QTEST_GUILESS_MAIN(TestBackstoryStore)
#include "TestBackstoryStore.moc"
