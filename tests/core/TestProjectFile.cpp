#include "backstories/BackstoryImporter.h"
#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "project/Transaction.h"

#include "support/TempProject.h"

#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

qint64 pragma(ProjectFile &p, const char *sql)
{
    Statement st = p.prepare(sql);
    Result<bool> row = st.step();
    return row && *row ? st.columnInt64(0) : -1;
}

// A closed project holding `n` backstories, enough to span many pages.
QString makeProject(const test::TempProject &tmp, const QString &name, int n)
{
    QByteArray csv = "uid,backstory\n";
    for (int i = 0; i < n; ++i)
        csv += "u" + QByteArray::number(i) + ",\"Story " + QByteArray::number(i) + ": " +
               QByteArray(300, char('a' + i % 26)) + "\"\n";
    const QString source = tmp.writeFile(name + u".csv"_s, csv);
    auto project = ProjectFile::create(tmp.path(name));
    if (!project)
        return {};
    BackstoryImporter importer(**project);
    if (!importer.importFile(source))
        return {};
    return tmp.path(name);
}

} // namespace

class TestProjectFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createSetsUpASafeWalDatabase()
    {
        test::TempProject tmp;
        auto project = ProjectFile::create(tmp.path());
        QVERIFY2(project.ok(), qPrintable(project.ok() ? QString() : project.error().toString()));
        ProjectFile &p = **project;
        QCOMPARE(p.path(), tmp.path());
        QCOMPARE(p.schemaVersion(), ProjectFile::currentSchemaVersion());
        QVERIFY(ProjectFile::currentSchemaVersion() >= 1);
        QCOMPARE(pragma(p, "PRAGMA user_version"), qint64(ProjectFile::currentSchemaVersion()));
        QCOMPARE(pragma(p, "PRAGMA application_id"), qint64(ProjectFile::applicationId));
        QCOMPARE(pragma(p, "PRAGMA foreign_keys"), qint64(1));
        QCOMPARE(pragma(p, "PRAGMA trusted_schema"), qint64(0));
        Statement mode = p.prepare("PRAGMA journal_mode");
        QVERIFY(*mode.step());
        QCOMPARE(mode.columnText(0), u"wal"_s);
        QVERIFY(p.checkIntegrity(true).ok());
    }

    void createRefusesAnExistingFile()
    {
        test::TempProject tmp;
        const QString path = tmp.writeFile(u"there.anthology"_s, "keep me");
        auto project = ProjectFile::create(path);
        QVERIFY(!project.ok());
        QCOMPARE(project.error().file, path);
        QVERIFY(project.error().message.contains(u"already exists"_s));
        QCOMPARE(readAll(path), QByteArray("keep me"));
    }

    void openRejectsBadFilesAndChangesNothing_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing") << u"missing"_s << u"does not exist"_s;
        QTest::newRow("text file") << u"text"_s << u"not an SQLite database"_s;
        QTest::newRow("empty file") << u"empty"_s << u"not an SQLite database"_s;
        QTest::newRow("truncated mid-page") << u"truncated"_s << u"shorter than its header"_s;
        QTest::newRow("truncated whole pages") << u"truncatedPages"_s << u"shorter than its header"_s;
        QTest::newRow("garbled pages") << u"garbled"_s << u"corrupt"_s;
        QTest::newRow("garbled header") << u"garbledHeader"_s << u"corrupt"_s;
        QTest::newRow("newer schema") << u"newer"_s << u"newer Anthology Workbench (schema 99"_s;
        QTest::newRow("other sqlite database") << u"foreign"_s << u"another program"_s;
    }

    void openRejectsBadFilesAndChangesNothing()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        test::TempProject tmp;
        QString path = tmp.path(u"bad.anthology"_s);
        if (kind == u"text"_s) {
            path = tmp.writeFile(u"bad.anthology"_s, "uid,backstory\n1,hello\n");
        } else if (kind == u"empty"_s) {
            path = tmp.writeFile(u"bad.anthology"_s, {});
        } else if (kind != u"missing"_s) {
            path = makeProject(tmp, u"bad.anthology"_s, 300);
            QVERIFY(!path.isEmpty());
            if (kind == u"newer"_s || kind == u"foreign"_s) {
                auto p = ProjectFile::open(path);
                QVERIFY(p.ok());
                QVERIFY(
                    (*p)->exec(kind == u"newer"_s ? "PRAGMA user_version = 99" : "PRAGMA application_id = 7")
                        .ok());
            } else {
                QFile f(path);
                QVERIFY(f.open(QIODevice::ReadWrite));
                const qint64 size = f.size();
                QVERIFY(size > 20 * 4096);
                if (kind == u"truncated"_s) {
                    QVERIFY(f.resize(size / 2 + 100));
                } else if (kind == u"truncatedPages"_s) {
                    QVERIFY(f.resize(size - 8 * 4096));
                } else if (kind == u"garbled"_s) {
                    f.seek(size / 2);
                    f.write(QByteArray(3 * 4096, 'Z'));
                } else if (kind == u"garbledHeader"_s) {
                    f.seek(20);
                    f.write(QByteArray(60, '\xff'));
                }
            }
        }
        const QByteArray before = readAll(path);
        auto project = ProjectFile::open(path);
        QVERIFY(!project.ok());
        QCOMPARE(project.error().file, path);
        QVERIFY2(project.error().message.contains(expected), qPrintable(project.error().toString()));
        QVERIFY(project.error().toString().contains(path));
        QCOMPARE(readAll(path), before);
        QVERIFY(!QFile::exists(path + u"-wal"_s) || QFile(path + u"-wal"_s).size() == 0);
    }

    void secondWriterIsRefusedReadersAreNot()
    {
        test::TempProject tmp;
        auto first = ProjectFile::create(tmp.path());
        QVERIFY(first.ok());
        auto second = ProjectFile::open(tmp.path());
        QVERIFY(!second.ok());
        QCOMPARE(second.error().file, tmp.path());
        QVERIFY2(second.error().message.contains(u"already open for writing"_s),
                 qPrintable(second.error().message));

        auto reader = ProjectFile::open(tmp.path(), ProjectFile::Mode::ReadOnly);
        QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error().toString()));
        BackstoryStore readOnly(**reader);
        QVERIFY(!readOnly.remove(u"x"_s).ok());

        first = Error::user(u"closed"_s); // closing the writer releases the lock
        auto again = ProjectFile::open(tmp.path());
        QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().toString()));
    }

    void lockOfADeadProcessIsTakenOver()
    {
        test::TempProject tmp;
        QVERIFY(ProjectFile::create(tmp.path()).ok());
        // QLockFile's format: pid, application name, host name.
        tmp.writeFile(u"test.anthology.lock"_s,
                      "999999\nanthology\n" + QSysInfo::machineHostName().toUtf8() + "\n");
        auto project = ProjectFile::open(tmp.path());
        QVERIFY2(project.ok(), qPrintable(project.ok() ? QString() : project.error().toString()));
    }

    void olderSchemaIsMigratedForward()
    {
        test::TempProject tmp;
        {
            auto p = ProjectFile::create(tmp.path());
            QVERIFY(p.ok());
            QVERIFY(
                (*p)->exec(
                        "DROP TABLE persona_set_members; DROP TABLE persona_sets; "
                        "DROP TABLE match_pairs; DROP TABLE matches; "
                        "DROP TABLE dataset_values; DROP TABLE dataset_variables; DROP TABLE datasets; "
                        "DROP TABLE backstory_fts; DROP TABLE backstory_revisions; DROP TABLE backstories; "
                        "PRAGMA user_version = 0")
                    .ok());
        }
        auto readOnly = ProjectFile::open(tmp.path(), ProjectFile::Mode::ReadOnly);
        QVERIFY(!readOnly.ok());
        QVERIFY(readOnly.error().message.contains(u"must be upgraded"_s));
        auto p = ProjectFile::open(tmp.path());
        QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().toString()));
        QCOMPARE(pragma(**p, "PRAGMA user_version"), qint64(ProjectFile::currentSchemaVersion()));
        QCOMPARE(BackstoryStore(**p).count(), 0);
    }

    void nestedTransactionRollsBackOnlyItsPart()
    {
        test::TempProject tmp;
        auto p = ProjectFile::create(tmp.path());
        QVERIFY(p.ok());
        QVERIFY((*p)->exec("CREATE TABLE t(x)").ok());
        {
            Transaction outer((*p)->handle());
            QVERIFY(outer.status().ok());
            QVERIFY((*p)->exec("INSERT INTO t VALUES (1)").ok());
            {
                Transaction inner((*p)->handle());
                QVERIFY(inner.status().ok());
                QVERIFY((*p)->exec("INSERT INTO t VALUES (2)").ok());
            }
            QVERIFY(outer.commit().ok());
        }
        QCOMPARE(pragma(**p, "SELECT group_concat(x) FROM t"), qint64(1));
        {
            Transaction dropped((*p)->handle());
            QVERIFY((*p)->exec("INSERT INTO t VALUES (3)").ok());
        }
        QCOMPARE(pragma(**p, "SELECT count(*) FROM t"), qint64(1));
    }

    // One large transaction (a big run plan) grows the WAL past its size; the next write after
    // the checkpoint cuts the file back instead of leaving it that large beside the project.
    void aLargeTransactionLeavesNoLargeWal()
    {
        test::TempProject tmp;
        auto p = ProjectFile::create(tmp.path());
        QVERIFY(p.ok());
        QVERIFY((*p)->exec("CREATE TABLE t(x)").ok());
        const QString wal = tmp.path() + u"-wal"_s;
        constexpr qint64 mib = 1024 * 1024;
        {
            Transaction tx((*p)->handle());
            Statement insert = (*p)->prepare("INSERT INTO t VALUES (randomblob(?1))");
            for (int i = 0; i < 40; ++i)
                QVERIFY(insert.bind(1, mib).exec().ok());
            QVERIFY(tx.commit().ok());
        }
        QVERIFY2(QFileInfo(wal).size() > 40 * mib, qPrintable(QString::number(QFileInfo(wal).size())));
        QVERIFY((*p)->exec("INSERT INTO t VALUES (1)").ok());
        QVERIFY2(QFileInfo(wal).size() <= 32 * mib, qPrintable(QString::number(QFileInfo(wal).size())));
        QCOMPARE(pragma(**p, "SELECT count(*) FROM t"), qint64(41));
    }

    void statementReportsErrors()
    {
        test::TempProject tmp;
        auto p = ProjectFile::create(tmp.path());
        QVERIFY(p.ok());
        Statement bad = (*p)->prepare("SELECT nope FROM nowhere");
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.contains(u"nowhere"_s));
        QVERIFY(!bad.step().ok());
    }
};

QTEST_GUILESS_MAIN(TestProjectFile)
#include "TestProjectFile.moc"
