#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "project/Transaction.h"

#include "support/TempProject.h"

#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

// The numbers 1..count in a table of a real project file.
Status fillNumbers(ProjectFile &project, int count)
{
    Statement create = project.prepare("CREATE TABLE numbers(n INTEGER PRIMARY KEY)");
    if (Status st = create.exec(); !st)
        return st;
    Transaction tx(project.handle());
    if (!tx.status())
        return tx.status();
    Statement insert = project.prepare("INSERT INTO numbers(n) VALUES (?1)");
    for (int n = 1; n <= count; ++n) {
        insert.bind(1, n);
        if (Status st = insert.exec(); !st)
            return st;
    }
    return tx.commit();
}

// Rows in n order (a rowid scan, no sorter), so the second column is computed as each row is
// stepped to: at n = ?1 json() fails on malformed text and that step returns an error.
const char *const numbersSql = "SELECT n, CASE WHEN n = ?1 THEN json('{') ELSE n END FROM numbers ORDER BY n";

} // namespace

class TestStatement : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void forEachRow_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("stopAt");     // the callback returns RowFlow::Stop at this n; 0: never
        QTest::addColumn<int>("refuseAt");   // the callback returns an error at this n; 0: never
        QTest::addColumn<int>("stepFailAt"); // stepping to this n fails in SQLite; 0: never
        QTest::addColumn<int>("seen");       // rows the callback saw
        QTest::addColumn<QString>("error");  // part of the returned error; empty: success

        QTest::newRow("zero rows") << 0 << 0 << 0 << 0 << 0 << QString();
        QTest::newRow("one row") << 1 << 0 << 0 << 0 << 1 << QString();
        QTest::newRow("many rows") << 5000 << 0 << 0 << 0 << 5000 << QString();
        QTest::newRow("stop at the first row") << 10 << 1 << 0 << 0 << 1 << QString();
        QTest::newRow("stop mid-loop") << 10 << 4 << 0 << 0 << 4 << QString();
        QTest::newRow("stop at the last row") << 10 << 10 << 0 << 0 << 10 << QString();
        QTest::newRow("callback error mid-loop") << 10 << 0 << 3 << 0 << 3 << u"row 3 refused"_s;
        QTest::newRow("callback error at the last row") << 10 << 0 << 10 << 0 << 10 << u"row 10 refused"_s;
        QTest::newRow("step error on the first row") << 10 << 0 << 0 << 1 << 0 << u"malformed JSON"_s;
        QTest::newRow("step error mid-loop") << 10 << 0 << 0 << 6 << 5 << u"malformed JSON"_s;
        QTest::newRow("step error after a stop is never reached") << 10 << 3 << 0 << 6 << 3 << QString();
    }

    void forEachRow()
    {
        QFETCH(int, rows);
        QFETCH(int, stopAt);
        QFETCH(int, refuseAt);
        QFETCH(int, stepFailAt);
        QFETCH(int, seen);
        QFETCH(QString, error);

        test::TempProject tmp;
        auto project = ProjectFile::create(tmp.path());
        QVERIFY2(project.ok(), qPrintable(project.ok() ? QString() : project.error().toString()));
        const Status filled = fillNumbers(**project, rows);
        QVERIFY2(filled.ok(), qPrintable(filled.ok() ? QString() : filled.error().toString()));

        Statement s = (*project)->prepare(numbersSql);
        QVERIFY(s.ok());
        s.bind(1, stepFailAt);
        QList<qint64> read;
        // Each kind of callback where the case needs it: Status to refuse, RowFlow to stop, void else.
        Status st;
        if (refuseAt > 0) {
            st = s.forEachRow([&](const Statement &row) -> Status {
                read.append(row.columnInt64(0));
                if (row.columnInt64(0) == refuseAt)
                    return Error::user(u"row %1 refused"_s.arg(refuseAt));
                return {};
            });
        } else if (stopAt > 0) {
            st = s.forEachRow([&](const Statement &row) {
                read.append(row.columnInt64(0));
                return row.columnInt64(0) == stopAt ? RowFlow::Stop : RowFlow::Next;
            });
        } else {
            st = s.forEachRow([&](const Statement &row) { read.append(row.columnInt64(0)); });
        }

        if (error.isEmpty())
            QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error().toString()));
        else
            QVERIFY2(!st.ok() && st.error().message.contains(error),
                     qPrintable(st.ok() ? u"no error"_s : st.error().toString()));
        QCOMPARE(read.size(), seen);
        for (qsizetype i = 0; i < read.size(); ++i)
            QCOMPARE(read[i], i + 1); // every row once, in order
        if (stopAt > 0)
            QCOMPARE(s.columnInt64(0), qint64(stopAt)); // a stop leaves the statement on its row
    }

    // After a failed step the statement is reset: bound anew it reads every row.
    void aFailedLoopLeavesTheStatementReusable()
    {
        test::TempProject tmp;
        auto project = ProjectFile::create(tmp.path());
        QVERIFY(project.ok());
        QVERIFY(fillNumbers(**project, 8).ok());
        Statement s = (*project)->prepare(numbersSql);
        s.bind(1, 4);
        int calls = 0;
        QVERIFY(!s.forEachRow([&](const Statement &) { ++calls; }).ok());
        QCOMPARE(calls, 3);
        s.reset();
        s.bind(1, 0);
        calls = 0;
        QVERIFY(s.forEachRow([&](const Statement &) { ++calls; }).ok());
        QCOMPARE(calls, 8);
    }

    // A statement that did not prepare returns its preparation error and calls nothing.
    void anUnpreparedStatementReturnsItsError()
    {
        test::TempProject tmp;
        auto project = ProjectFile::create(tmp.path());
        QVERIFY(project.ok());
        Statement s = (*project)->prepare("SELECT n FROM no_such_table");
        QVERIFY(!s.ok());
        int calls = 0;
        const Status st = s.forEachRow([&](const Statement &) { ++calls; });
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message.contains(u"no_such_table"_s), qPrintable(st.error().toString()));
        QCOMPARE(calls, 0);
    }
};

QTEST_GUILESS_MAIN(TestStatement)
#include "TestStatement.moc"
