#include "backstories/BackstoryImporter.h"
#include "backstories/BackstoryIndex.h"
#include "backstories/BackstoryRanking.h"
#include "backstories/BackstorySearchQuery.h"
#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "util/SeededRandom.h"

#include "support/TempProject.h"

#include <QHash>
#include <QTest>

#include <cstring>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

// 400 stories of 5 to 120 words from 12 words, the first few in nearly every story: common
// words make search read its cached token counts, story lengths spread the scores, and many
// equal scores check the ties.
QByteArray corpus()
{
    static const char *const words[] = {"the",   "and",  "harbor", "garden", "boat", "church",
                                        "ocean", "farm", "grew",   "up",     "sun",  "rain"};
    SeededRandom random(7);
    QByteArray csv = "uid,backstory\n";
    for (int i = 0; i < 400; ++i) {
        QByteArray text;
        const int n = 5 + int(random.below(116));
        for (int k = 0; k < n; ++k) {
            // Skewed draws: "the" in ~29% of the words, "rain" in ~4%.
            const double u = random.uniform();
            text += words[int(12 * u * u)];
            text += ' ';
        }
        csv += "s" + QByteArray::number(i) + ",\"" + text.trimmed() + "\"\n";
    }
    return csv;
}

// The best `limit` rowids by FTS5's own bm25(), rowid breaking ties: what search() promises.
QList<qint64> bm25Order(ProjectFile &project, const QString &match, int limit)
{
    Statement st = project.prepare("SELECT rowid FROM backstory_fts WHERE backstory_fts MATCH ?1 "
                                   "ORDER BY bm25(backstory_fts), rowid LIMIT ?2");
    st.bind(1, match).bind(2, limit);
    QList<qint64> ids;
    for (Result<bool> row = st.step(); row && *row; row = st.step())
        ids.append(st.columnInt64(0));
    return ids;
}

// bm25Order() with an offset: ORDER BY ... LIMIT ... OFFSET, what a page of search() promises.
QList<qint64> bm25Page(ProjectFile &project, const QString &match, int limit, int offset)
{
    Statement st = project.prepare("SELECT rowid FROM backstory_fts WHERE backstory_fts MATCH ?1 "
                                   "ORDER BY bm25(backstory_fts), rowid LIMIT ?2 OFFSET ?3");
    st.bind(1, match).bind(2, limit).bind(3, offset);
    QList<qint64> ids;
    for (Result<bool> row = st.step(); row && *row; row = st.step())
        ids.append(st.columnInt64(0));
    return ids;
}

int plainCount(ProjectFile &project, const QString &match)
{
    Statement st = project.prepare("SELECT count(*) FROM backstory_fts WHERE backstory_fts MATCH ?1");
    st.bind(1, match);
    Result<bool> row = st.step();
    return row && *row ? st.columnInt(0) : -1;
}

// Every score anthology_bm25() gives for `match`, compared bit for bit with bm25(); the number
// of rows compared, or -1 after a difference.
int compareScores(ProjectFile &project, const QString &match)
{
    Statement st = project.prepare("SELECT bm25(backstory_fts), anthology_bm25(backstory_fts) "
                                   "FROM backstory_fts WHERE backstory_fts MATCH ?1");
    st.bind(1, match);
    int rows = 0;
    for (Result<bool> row = st.step(); row && *row; row = st.step(), ++rows) {
        const double expected = st.columnDouble(0);
        const double got = st.columnDouble(1);
        if (std::memcmp(&expected, &got, sizeof got) != 0) {
            qWarning("match %d: %.17g vs %.17g", rows, expected, got);
            return -1;
        }
    }
    return rows;
}

// FTS5 expressions over corpus(): one word, two, a phrase, a prefix, OR, NOT, NEAR.
void addMatches()
{
    QTest::addColumn<QString>("match");
    QTest::newRow("common word") << u"the"_s;
    QTest::newRow("two words") << u"the harbor"_s;
    QTest::newRow("two common words") << u"the and"_s;
    QTest::newRow("a phrase") << u"\"the and\""_s;
    QTest::newRow("a rarer phrase") << u"\"grew up\""_s;
    QTest::newRow("prefix") << u"ga*"_s;
    QTest::newRow("or") << u"rain OR sun"_s;
    QTest::newRow("not") << u"the NOT rain"_s;
    QTest::newRow("near") << u"NEAR(the harbor, 3)"_s;
    QTest::newRow("rare word") << u"rain"_s;
}

QList<qint64> idsOf(const QList<BackstorySummary> &hits)
{
    QList<qint64> ids;
    for (const BackstorySummary &s : hits)
        ids.append(s.id);
    return ids;
}

// Imports every story of the CSV file, short ones included.
bool importAll(ProjectFile &project, const QString &csvPath)
{
    BackstoryImportOptions options;
    options.dropShort = false;
    return BackstoryImporter(project).importFile(csvPath, options).ok();
}

QStringList snippetsOf(const QList<BackstorySummary> &hits)
{
    QStringList out;
    for (const BackstorySummary &s : hits)
        out.append(s.snippet);
    return out;
}

// The index as schema 1 made it and every project had it before the prefix indexes, rebuilt
// from the stories: what a project file made then holds.
bool dropPrefixes(ProjectFile &project)
{
    return project
        .exec(
            "DROP TABLE backstory_fts; "
            "CREATE VIRTUAL TABLE backstory_fts USING fts5(text, content='backstories', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2'); "
            "INSERT INTO backstory_fts(backstory_fts, rank) VALUES ('automerge', 16); "
            "INSERT INTO backstory_fts(backstory_fts) VALUES ('rebuild')")
        .ok();
}

// Stories whose first characters are accented or not Latin: prefix lengths count characters,
// and an accent is folded away before the prefix is taken.
QByteArray unicodeStories()
{
    return "uid,backstory\n"
           "u0,École au bord de la mer and the harbor\n"
           "u1,Émile grew up near the garden\n"
           "u2,東京タワー の 近く the harbor\n"
           "u3,東京 で 育った\n"
           "u4,ecole ete été garçon\n";
}

} // namespace

// anthology_bm25() is bm25() without a table read per match: the same doubles, so search()
// ranks exactly as FTS5's bm25 would, also after the index changed under the cached lengths.
class TestBackstoryRanking : public QObject
{
    Q_OBJECT

    test::TempProject m_tmp;
    std::unique_ptr<ProjectFile> m_project;

private Q_SLOTS:
    void init()
    {
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
            QFile::remove(m_tmp.path() + suffix);
        auto p = ProjectFile::create(m_tmp.path());
        QVERIFY(p.ok());
        m_project = std::move(*p);
        BackstoryImportOptions options;
        options.dropShort = false;
        auto report =
            BackstoryImporter(*m_project).importFile(m_tmp.writeFile(u"c.csv"_s, corpus()), options);
        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
        QCOMPARE(report->imported, 400);
    }

    void cleanup() { m_project.reset(); }

    void scoresAreBm25sToTheBit_data() { addMatches(); }

    void scoresAreBm25sToTheBit()
    {
        QFETCH(QString, match);
        QVERIFY(m_project->exec("SAVEPOINT s").ok());
        QVERIFY(BackstoryRanking::prepare(*m_project).ok());
        QVERIFY(compareScores(*m_project, match) > 0);
        QVERIFY(m_project->exec("RELEASE s").ok());
    }

    void searchRanksAsBm25_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("match");
        QTest::newRow("common word") << u"the"_s << u"\"the\""_s;
        QTest::newRow("two words") << u"the and"_s << u"\"the\" \"and\""_s;
        QTest::newRow("a phrase") << u"\"grew up\""_s << u"\"grew up\""_s;
        QTest::newRow("prefix") << u"ha*"_s << u"\"ha\"*"_s;
    }

    void searchRanksAsBm25()
    {
        QFETCH(QString, query);
        QFETCH(QString, match);
        BackstoryStore store(*m_project);
        auto page = store.searchPage(query, 400);
        QVERIFY(page.ok());
        QCOMPARE(idsOf(page->hits), bm25Order(*m_project, match, 400));
        QCOMPARE(page->total, *store.searchCount(query));
        QCOMPARE(idsOf(*store.search(query, 30, SearchSyntax::Simple, 10)),
                 bm25Order(*m_project, match, 40).mid(10));
    }

    // A reader keeps its cached lengths across searches; edits on another connection change
    // lengths, add and remove stories, and its next search must rank by the new index.
    void cachedLengthsFollowTheIndex()
    {
        auto reader = ProjectFile::open(m_project->path(), ProjectFile::Mode::ReadOnly);
        QVERIFY(reader.ok());
        BackstoryStore readStore(**reader);
        const QList<qint64> before = bm25Order(**reader, u"the"_s, 400);
        QCOMPARE(idsOf(*readStore.search(u"the"_s, 400)), before);

        BackstoryStore writer(*m_project);
        // The best-ranked story grows long (falls), a low-ranked one becomes short (rises).
        const QString top = readStore.searchPage(u"the"_s, 1)->hits.value(0).uid;
        const QString low = readStore.searchPage(u"the"_s, 1, SearchSyntax::Simple, 300)->hits.value(0).uid;
        QVERIFY(!top.isEmpty() && !low.isEmpty());
        QVERIFY(writer.edit(top, u"the "_s.repeated(3) + u"sun "_s.repeated(300)).ok());
        QVERIFY(writer.edit(low, u"the the"_s).ok());
        QVERIFY(writer.remove(u"s5"_s).ok());
        const QList<qint64> after = bm25Order(**reader, u"the"_s, 400);
        QVERIFY(after != before);
        QCOMPARE(idsOf(*readStore.search(u"the"_s, 400)), after);
    }

    // The page, the count and the ids of every search entry point against a plain ORDER BY
    // bm25(), rowid LIMIT OFFSET and count(*) over the same index: single words, two common
    // words, phrases, prefixes, OR, NOT, NEAR, no hit; pages cut inside runs of equal scores
    // (30 identical stories), pages past the end, no limit (negative, as in SQL), none.
    void pagesAndCountsMatchAPlainBm25Query_data()
    {
        addMatches();
        QTest::newRow("twins") << u"twin"_s;
        QTest::newRow("no hit") << u"volcano"_s;
    }

    void pagesAndCountsMatchAPlainBm25Query()
    {
        QFETCH(QString, match);
        QByteArray twins = "uid,backstory\n";
        for (int i = 0; i < 30; ++i)
            twins += "t" + QByteArray::number(i) + ",the twin harbor and the twin garden\n";
        QVERIFY(importAll(*m_project, m_tmp.writeFile(u"t.csv"_s, twins)));
        const int total = plainCount(*m_project, match);
        QVERIFY(total >= 0);
        BackstoryStore store(*m_project);
        const QList<std::pair<int, int>> pages{{1, 0},    {10, 0},   {50, 7}, {25, 400}, {500, 0},
                                               {10, 440}, {5, 1000}, {-1, 0}, {-1, 9},   {0, 0}};
        for (const auto &[limit, offset] : pages) {
            const QList<qint64> expected = bm25Page(*m_project, match, limit, offset);
            auto page = store.searchPage(match, limit, SearchSyntax::Fts5, offset);
            QVERIFY(page.ok());
            QCOMPARE(idsOf(page->hits), expected);
            QCOMPARE(page->total, total);
            QCOMPARE(idsOf(*store.search(match, limit, SearchSyntax::Fts5, offset)), expected);
        }
        int idsTotal = -1;
        auto ids = store.searchIds(match, 120, SearchSyntax::Fts5, &idsTotal);
        QVERIFY(ids.ok());
        QCOMPARE(*ids, bm25Page(*m_project, match, 120, 0));
        QCOMPARE(idsTotal, total);
        QCOMPARE(*store.searchCount(match, SearchSyntax::Fts5), total);
    }

    // The cached lengths are loaded by the query that needs them: at its first row when every
    // phrase is common, after 1 in 7 stories' lengths were asked of FTS5 when only their sum
    // is (an OR of words each in few stories), never for a rare word. Rows ranked before and
    // after the load score as bm25() does.
    void lengthsLoadedByTheQueryScoreAsBm25()
    {
        QByteArray csv = "uid,backstory\n";
        for (int i = 0; i < 700; ++i) {
            QByteArray text = "the story of w" + QByteArray::number(i % 20);
            for (int k = 0; k < i % 37; ++k)
                text += " and the rest";
            csv += "x" + QByteArray::number(i) + ",\"" + text + "\"\n";
        }
        auto made = ProjectFile::create(m_tmp.path(u"many.anthology"_s));
        QVERIFY(made.ok());
        QVERIFY(importAll(**made, m_tmp.writeFile(u"many.csv"_s, csv)));
        made->reset();
        for (const QString &match :
             {u"w3"_s, u"w1 OR w2 OR w3 OR w4"_s, u"the"_s, u"w5 OR w6 OR w7 OR w8"_s}) {
            // A fresh connection each time, so that each query finds the lengths not yet read.
            auto reader = ProjectFile::open(m_tmp.path(u"many.anthology"_s), ProjectFile::Mode::ReadOnly);
            QVERIFY(reader.ok());
            BackstoryStore store(**reader);
            auto page = store.searchPage(match, 700, SearchSyntax::Fts5);
            QVERIFY(page.ok());
            QCOMPARE(idsOf(page->hits), bm25Order(**reader, match, 700));
            QCOMPARE(page->total, plainCount(**reader, match));
            QVERIFY((*reader)->exec("SAVEPOINT s").ok());
            QVERIFY(BackstoryRanking::prepare(**reader).ok());
            QVERIFY(compareScores(**reader, match) > 0);
            QVERIFY((*reader)->exec("RELEASE s").ok());
        }
    }

    // A phrase's hits are counted up to half the stories, where bm25's IDF reaches its floor:
    // words in just under, exactly and just over half of an odd and an even number of stories.
    void idfAroundHalfTheStoriesIsBm25s()
    {
        for (const int stories : {41, 42}) {
            QByteArray csv = "uid,backstory\n";
            for (int i = 0; i < stories; ++i) {
                QByteArray text = "story";
                for (const auto &[word, in] : {std::pair{"under", 20}, {"half", 21}, {"over", 22}}) {
                    if (i < in)
                        text += QByteArray(" ") + word;
                }
                text += QByteArray(" filler").repeated(i % 7);
                csv += "h" + QByteArray::number(i) + ",\"" + text + "\"\n";
            }
            const QString path = m_tmp.path(u"half%1.anthology"_s.arg(stories));
            auto project = ProjectFile::create(path);
            QVERIFY(project.ok());
            QVERIFY(importAll(**project, m_tmp.writeFile(u"half.csv"_s, csv)));
            QVERIFY((*project)->exec("SAVEPOINT s").ok());
            QVERIFY(BackstoryRanking::prepare(**project).ok());
            for (const QString &match :
                 {u"under"_s, u"half"_s, u"over"_s, u"under half"_s, u"over OR story"_s})
                QVERIFY2(compareScores(**project, match) > 0, qPrintable(match));
            QVERIFY((*project)->exec("RELEASE s").ok());
        }
    }

    // A word's occurrences are counted from its position list, one varint (the distance + 2)
    // each: 126 tokens between two is the varint 0x81 0x01, whose 0x01 looks like FTS5's column
    // marker, and longer gaps are longer varints. The story is the last one, past the rows each query
    // double-checks.
    void longGapsBetweenOccurrencesCountAsBm25Does()
    {
        BackstoryStore store(*m_project);
        QString text = u"the"_s;
        for (const int gap : {126, 300, 126, 1, 16384, 254})
            text += u" sun"_s.repeated(gap) + u" the"_s;
        QVERIFY(store.edit(u"s399"_s, text).ok());
        QVERIFY(m_project->exec("SAVEPOINT s").ok());
        QVERIFY(BackstoryRanking::warm(*m_project).ok());
        for (const QString &match : {u"the"_s, u"the sun"_s, u"sun"_s})
            QVERIFY2(compareScores(*m_project, match) > 16, qPrintable(match));
        QVERIFY(m_project->exec("RELEASE s").ok());
        QCOMPARE(idsOf(*store.search(u"the"_s, 400)), bm25Order(*m_project, u"the"_s, 400));
    }

    // prepareSearch() reads the lengths up front; the searches after it rank as bm25() does,
    // also once another connection changed the index.
    void preparedSearchRanksAsBm25()
    {
        auto reader = ProjectFile::open(m_project->path(), ProjectFile::Mode::ReadOnly);
        QVERIFY(reader.ok());
        BackstoryStore readStore(**reader);
        QVERIFY(readStore.prepareSearch().ok());
        QCOMPARE(idsOf(*readStore.search(u"the and"_s, 400)), bm25Order(**reader, u"\"the\" \"and\""_s, 400));
        QVERIFY(BackstoryStore(*m_project).edit(u"s3"_s, u"the and the and"_s).ok());
        QVERIFY(readStore.prepareSearch().ok());
        QCOMPARE(idsOf(*readStore.search(u"the and"_s, 400)), bm25Order(**reader, u"\"the\" \"and\""_s, 400));
    }

    // A page's rows come one FTS5 evaluation per id (up to 100 ids, no prefix term) or from one
    // walk over the ids' range (more ids, here for the commoner matches); either way each row is the story's
    // summary with the snippet a plain query over all matches gives it, in the ids' order, an unknown id left
    // out.
    void rowsAreTheSameOneByOneOrTogether_data() { addMatches(); }

    void rowsAreTheSameOneByOneOrTogether()
    {
        QFETCH(QString, match);
        Statement plain = m_project->prepare(
            "SELECT b.id, b.uid, substr(b.text, 1, 200), "
            "snippet(backstory_fts, 0, char(2), char(3), '…', 24) FROM backstory_fts "
            "JOIN backstories b ON b.id = backstory_fts.rowid WHERE backstory_fts MATCH ?1");
        plain.bind(1, match);
        QHash<qint64, QStringList> expected;
        for (Result<bool> row = plain.step(); row && *row; row = plain.step())
            expected.insert(plain.columnInt64(0),
                            {plain.columnText(1), plain.columnText(2), plain.columnText(3)});
        QList<qint64> ids = bm25Order(*m_project, match, 300);
        QVERIFY(ids.size() > 3);
        ids.insert(3, 999999);
        BackstoryStore store(*m_project);
        for (const int n : {int(std::min<qsizetype>(ids.size(), 100)), int(ids.size())}) {
            auto rows = store.searchRows(match, ids.mid(0, n), SearchSyntax::Fts5);
            QVERIFY(rows.ok());
            QList<qint64> wanted = ids.mid(0, n);
            wanted.removeAll(999999);
            QCOMPARE(idsOf(*rows), wanted);
            for (const BackstorySummary &s : *rows)
                QCOMPARE((QStringList{s.uid, s.preview, s.snippet}), expected.value(s.id));
        }
    }

    // Short prefixes read the prefix indexes of an index made by this program, or merge every
    // word they start in a project made before them: the same hits, count, order and snippets
    // either way, bm25's order, on the workbench's path (a read-only connection readied by
    // prepareSearch) too. Three characters have no prefix index of their own.
    void prefixesFindTheSameWithOrWithoutPrefixIndexes_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<bool>("fts5");
        QTest::newRow("one character") << u"g*"_s << false;
        QTest::newRow("the commonest word's letter") << u"t*"_s << false;
        QTest::newRow("two characters") << u"ga*"_s << false;
        QTest::newRow("three characters") << u"gar*"_s << false;
        QTest::newRow("a whole word as a prefix") << u"up*"_s << false;
        QTest::newRow("two prefixes") << u"h* s*"_s << false;
        QTest::newRow("a word and a prefix") << u"the g*"_s << false;
        QTest::newRow("a phrase ending in a prefix") << u"\"grew u\"*"_s << false;
        QTest::newRow("an accented letter") << u"é*"_s << false;
        QTest::newRow("an unaccented letter of accented words") << u"e*"_s << false;
        QTest::newRow("two ideographs") << u"東京*"_s << false;
        QTest::newRow("one ideograph") << u"東*"_s << false;
        QTest::newRow("or of prefixes") << u"r* OR o*"_s << true;
        QTest::newRow("not a prefix") << u"the NOT g*"_s << true;
        QTest::newRow("near") << u"NEAR(g* h*, 2)"_s << true;
        QTest::newRow("no hit") << u"q*"_s << false;
    }

    void prefixesFindTheSameWithOrWithoutPrefixIndexes()
    {
        QFETCH(QString, query);
        QFETCH(bool, fts5);
        const SearchSyntax syntax = fts5 ? SearchSyntax::Fts5 : SearchSyntax::Simple;
        const QString match = fts5 ? query : *BackstorySearchQuery::toFts5(query);
        const QString extra = m_tmp.writeFile(u"u.csv"_s, unicodeStories());
        QVERIFY(importAll(*m_project, extra));
        ProjectFile::removeFiles(m_tmp.path(u"old.anthology"_s)); // the previous row's
        auto old = ProjectFile::create(m_tmp.path(u"old.anthology"_s));
        QVERIFY(old.ok());
        QVERIFY(importAll(**old, m_tmp.writeFile(u"c.csv"_s, corpus())));
        QVERIFY(importAll(**old, extra));
        QVERIFY(dropPrefixes(**old));
        QCOMPARE(BackstoryIndex::hasPrefixes(*m_project).value(), true);
        QCOMPARE(BackstoryIndex::hasPrefixes(**old).value(), false);

        auto reader = ProjectFile::open(m_project->path(), ProjectFile::Mode::ReadOnly);
        QVERIFY(reader.ok());
        BackstoryStore readied(**reader);
        QVERIFY(readied.prepareSearch().ok());
        const QList<qint64> expected = bm25Order(**old, match, 1000);
        const int total = plainCount(**old, match);
        QCOMPARE(bm25Order(*m_project, match, 1000), expected);
        QCOMPARE(plainCount(*m_project, match), total);
        QList<QStringList> snippets;
        const BackstoryStore without(**old), with(*m_project);
        for (const BackstoryStore *store : {&without, &with, &std::as_const(readied)}) {
            auto page = store->searchPage(query, 1000, syntax);
            QVERIFY(page.ok());
            QCOMPARE(idsOf(page->hits), expected);
            QCOMPARE(page->total, total);
            snippets.append(snippetsOf(page->hits));
            int idsTotal = -1;
            auto ids = store->searchIds(query, 20, syntax, &idsTotal);
            QVERIFY(ids.ok());
            QCOMPARE(*ids, expected.mid(0, 20));
            QCOMPARE(idsTotal, total);
        }
        QCOMPARE(snippets.value(1), snippets.value(0));
        QCOMPARE(snippets.value(2), snippets.value(0));
    }

    // A project made before the prefix indexes opens, also read-only, and searches as before;
    // its next import adds them, rebuilding the index with its earlier stories in it.
    void aProjectWithoutPrefixIndexesGetsThemAtItsNextImport()
    {
        QVERIFY(dropPrefixes(*m_project));
        const QStringList matches{u"t*"_s, u"ga*"_s, u"harbor"_s, u"\"grew up\""_s};
        QList<QList<qint64>> before;
        for (const QString &match : matches)
            before.append(bm25Order(*m_project, match, 1000));
        const QString path = m_project->path();
        m_project.reset();
        {
            auto reader = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
            QVERIFY(reader.ok());
            QCOMPARE(BackstoryIndex::hasPrefixes(**reader).value(), false);
            BackstoryStore store(**reader);
            QVERIFY(store.prepareSearch().ok());
            for (qsizetype i = 0; i < matches.size(); ++i)
                QCOMPARE(idsOf(store.searchPage(matches[i], 1000, SearchSyntax::Fts5)->hits), before[i]);
        }
        auto reopened = ProjectFile::open(path);
        QVERIFY(reopened.ok());
        m_project = std::move(*reopened);
        QByteArray more = "uid,backstory\n";
        for (int i = 0; i < 5; ++i)
            more += "g" + QByteArray::number(i) + ",the garden gate by the harbor\n";
        QVERIFY(importAll(*m_project, m_tmp.writeFile(u"g.csv"_s, more)));
        QCOMPARE(BackstoryIndex::hasPrefixes(*m_project).value(), true);
        QVERIFY(m_project->exec("INSERT INTO backstory_fts(backstory_fts) VALUES ('integrity-check')").ok());
        BackstoryStore store(*m_project);
        for (qsizetype i = 0; i < matches.size(); ++i) {
            const QList<qint64> after = bm25Order(*m_project, matches[i], 1000);
            auto page = store.searchPage(matches[i], 1000, SearchSyntax::Fts5);
            QVERIFY(page.ok());
            QCOMPARE(idsOf(page->hits), after);
            QCOMPARE(page->total, plainCount(*m_project, matches[i]));
            // The earlier stories are all still found; the new ones match all but the phrase.
            QList<qint64> earlier = after;
            earlier.removeIf([](qint64 id) { return id > 400; });
            QCOMPARE(earlier.size(), before[i].size());
            QCOMPARE(after.size() - earlier.size(), i == 3 ? 0 : 5);
        }
    }

    // Inside the caller's own write transaction the index may hold unflushed changes; search
    // then ranks with FTS5's bm25() and still agrees with it.
    void searchInsideAWriteTransaction()
    {
        BackstoryStore store(*m_project);
        QCOMPARE(idsOf(*store.search(u"the"_s, 400)), bm25Order(*m_project, u"the"_s, 400));
        QVERIFY(m_project->exec("BEGIN IMMEDIATE").ok());
        QVERIFY(store.edit(u"s7"_s, u"the the the"_s).ok());
        QCOMPARE(idsOf(*store.search(u"the"_s, 400)), bm25Order(*m_project, u"the"_s, 400));
        QVERIFY(m_project->exec("COMMIT").ok());
        QCOMPARE(idsOf(*store.search(u"the"_s, 400)), bm25Order(*m_project, u"the"_s, 400));
    }
};

QTEST_GUILESS_MAIN(TestBackstoryRanking)
#include "TestBackstoryRanking.moc"
