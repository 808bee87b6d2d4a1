#include "backstories/BackstoryImporter.h"
#include "backstories/BackstoryRanking.h"
#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "util/SeededRandom.h"

#include "support/TempProject.h"

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

QList<qint64> idsOf(const QList<BackstorySummary> &hits)
{
    QList<qint64> ids;
    for (const BackstorySummary &s : hits)
        ids.append(s.id);
    return ids;
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

    void scoresAreBm25sToTheBit_data()
    {
        QTest::addColumn<QString>("match");
        QTest::newRow("common word") << u"the"_s;
        QTest::newRow("two words") << u"the harbor"_s;
        QTest::newRow("a phrase") << u"\"the and\""_s;
        QTest::newRow("prefix") << u"ga*"_s;
        QTest::newRow("or") << u"rain OR sun"_s;
        QTest::newRow("near") << u"NEAR(the harbor, 3)"_s;
        QTest::newRow("rare word") << u"rain"_s;
    }

    void scoresAreBm25sToTheBit()
    {
        QFETCH(QString, match);
        QVERIFY(m_project->exec("SAVEPOINT s").ok());
        QVERIFY(BackstoryRanking::prepare(*m_project, [] { return qint64(400); }).ok());
        Statement st = m_project->prepare("SELECT bm25(backstory_fts), anthology_bm25(backstory_fts) "
                                          "FROM backstory_fts WHERE backstory_fts MATCH ?1");
        QVERIFY(st.ok());
        st.bind(1, match);
        int rows = 0;
        for (Result<bool> row = st.step(); row && *row; row = st.step(), ++rows) {
            const double expected = st.columnDouble(0);
            const double got = st.columnDouble(1);
            QVERIFY2(std::memcmp(&expected, &got, sizeof got) == 0,
                     qPrintable(u"%1 vs %2"_s.arg(expected, 0, 'g', 17).arg(got, 0, 'g', 17)));
        }
        QVERIFY(rows > 0);
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
