#include "RunFixture.h"
#include "TempProject.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "project/Transaction.h"
#include "run/PlanItemWriter.h"
#include "run/RunStore.h"

#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// A plan's items written many rows per statement are the rows RunStore::insertItem writes one
// at a time: same ids, same columns, byte for byte, across full batches and the shorter last.
class TestPlanItemWriter : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_files = 0;

    // A project with one run holding `earlier` items written before the plan (ids continue
    // after them), and a second run for the plan.
    std::unique_ptr<ProjectFile> projectWithRuns(int earlier, qint64 &planRun)
    {
        auto created = ProjectFile::create(m_dir.path(u"writer%1.anthology"_s.arg(++m_files)));
        if (!created)
            return nullptr;
        std::unique_ptr<ProjectFile> p = std::move(*created);
        RunStore store(*p);
        RunInfo info;
        info.name = u"earlier"_s;
        info.kind = u"survey"_s;
        info.config = u"{}"_s;
        const qint64 first = *store.createRun(info);
        info.name = u"plan"_s;
        planRun = *store.createRun(info);
        Transaction tx(p->handle());
        for (int i = 0; i < earlier; ++i) {
            PlannedItem item;
            item.persona = personaUid(i);
            item.question = u"Q1"_s;
            if (!store.insertItem(first, item))
                return nullptr;
        }
        return tx.commit() ? std::move(p) : nullptr;
    }

    static QList<PlannedItem> items(int count)
    {
        QList<PlannedItem> out;
        for (int i = 0; i < count; ++i) {
            PlannedItem item;
            item.persona = i % 7 == 3 ? u"Zoë-%1"_s.arg(i / 3) : personaUid(i / 3); // runs of one persona
            item.personaRevision = 1 + i % 3;
            item.question = u"Q%1_W99"_s.arg(i % 3 + 1);
            item.position = i % 3;
            item.sample = i % 2;
            item.baseSample = i % 2;
            item.reask = i % 5 == 4 ? 1 : 0;
            if (i % 3 != 0)
                item.dependsOn = 1000 + i;
            if (i % 4 == 1)
                item.request = "{\"prompt\":\"Ask \\u00e9 " + QByteArray::number(i) + "\"}";
            out.append(item);
        }
        return out;
    }

    // Every column of every item, in id order.
    static QStringList dump(ProjectFile &p)
    {
        Statement s = p.prepare("SELECT * FROM items ORDER BY id");
        QStringList rows;
        while (*s.step()) {
            QStringList cells;
            for (int c = 0; c < s.columnCount(); ++c)
                cells.append(s.isNull(c) ? u"NULL"_s : s.columnText(c));
            rows.append(cells.join(u'|'));
        }
        return rows;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void rowsAreThoseOfInsertItem_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("earlier");
        QTest::newRow("one") << 1 << 0;
        QTest::newRow("one short batch after earlier items") << 5 << 3;
        QTest::newRow("exactly one batch") << PlanItemWriter::rowsPerStatement << 2;
        QTest::newRow("two batches and a tail") << 2 * PlanItemWriter::rowsPerStatement + 7 << 11;
    }

    void rowsAreThoseOfInsertItem()
    {
        QFETCH(int, count);
        QFETCH(int, earlier);
        const QList<PlannedItem> planned = items(count);

        qint64 runA = 0;
        auto a = projectWithRuns(earlier, runA);
        QVERIFY(a);
        {
            RunStore store(*a);
            Transaction tx(a->handle());
            for (const PlannedItem &item : planned)
                QVERIFY(store.insertItem(runA, item));
            QVERIFY(tx.commit());
        }

        qint64 runB = 0;
        auto b = projectWithRuns(earlier, runB);
        QVERIFY(b);
        QCOMPARE(runB, runA);
        {
            Transaction tx(b->handle());
            PlanItemWriter writer(*b, runB);
            for (int i = 0; i < planned.size(); ++i) {
                const Result<qint64> id = writer.add(planned[i]);
                QVERIFY2(id, id ? "" : qPrintable(id.error().toString()));
                QCOMPARE(*id, qint64(earlier + i + 1)); // rowid order after the earlier items
            }
            QVERIFY(writer.finish());
            QVERIFY(tx.commit());
        }
        // The writer turned CHECK constraints off for its INSERT only.
        QVERIFY(!b->exec("UPDATE items SET state = 'lost'").ok());
        const QStringList expected = dump(*a);
        QCOMPARE(expected.size(), earlier + count);
        QCOMPARE(dump(*b), expected);
    }

    void aConflictFailsTheBatchAndTheTransactionRollsBack()
    {
        qint64 run = 0;
        auto p = projectWithRuns(2, run);
        QVERIFY(p);
        QList<PlannedItem> planned = items(2 * PlanItemWriter::rowsPerStatement);
        planned.append(planned.first()); // the same (run, persona, question, sample) again
        {
            Transaction tx(p->handle());
            PlanItemWriter writer(*p, run);
            Status failed;
            for (const PlannedItem &item : std::as_const(planned)) {
                if (Result<qint64> id = writer.add(item); !id) {
                    failed = id.error();
                    break;
                }
            }
            if (failed)
                failed = writer.finish();
            QVERIFY(!failed);
            QVERIFY2(failed.error().message.contains(u"UNIQUE"_s), qPrintable(failed.error().message));
        }
        QCOMPARE(dump(*p).size(), 2);                              // only the earlier run's items
        QVERIFY(!p->exec("UPDATE items SET state = 'lost'").ok()); // checks are back on
    }
};

QTEST_GUILESS_MAIN(TestPlanItemWriter)
#include "TestPlanItemWriter.moc"
