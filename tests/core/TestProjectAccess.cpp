#include "project/ProjectFile.h"
#include "support/TempProject.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <unistd.h>

using namespace anthology;
using namespace Qt::StringLiterals;

// One writer per project file, whatever name reaches it (a symlink, a hard link), and a clear
// refusal when the file or its folder is read-only, with reading still possible. Tests run as
// root, which bypasses permission checks; the project honours the permission bits anyway (as rm
// and editors do), so a chmod'ed file is read-only here too. TestCliProjectAccess covers what a
// non-root user meets, running the program as nobody.
class TestProjectAccess : public QObject
{
    Q_OBJECT

private:
    test::TempProject m_tmp;
    int m_n = 0;

    QString newProject()
    {
        const QString path = m_tmp.path(u"p%1.anthology"_s.arg(++m_n));
        return ProjectFile::create(path) ? path : QString();
    }

private Q_SLOTS:
    void aLinkToTheOpenFileIsASecondWriter_data()
    {
        QTest::addColumn<bool>("hard");
        QTest::newRow("hard link") << true;
        QTest::newRow("symlink") << false;
    }

    void aLinkToTheOpenFileIsASecondWriter()
    {
        QFETCH(bool, hard);
        const QString path = newProject();
        QVERIFY(!path.isEmpty());
        const QString other = m_tmp.path(u"other%1.anthology"_s.arg(m_n));
        if (hard)
            QCOMPARE(::link(QFile::encodeName(path).constData(), QFile::encodeName(other).constData()), 0);
        else
            QVERIFY(QFile::link(path, other));

        auto writer = ProjectFile::open(path, ProjectFile::Mode::ReadWrite);
        QVERIFY(writer);
        auto second = ProjectFile::open(other, ProjectFile::Mode::ReadWrite);
        QVERIFY(!second);
        QVERIFY2(second.error().message.contains(u"already open for writing"_s),
                 qPrintable(second.error().message));
        QVERIFY(second.error().message.contains(u"a link to the same file"_s));
        // Readers are never refused.
        QVERIFY(ProjectFile::open(other, ProjectFile::Mode::ReadOnly));
        // The other way round, too.
        writer->reset();
        auto viaLink = ProjectFile::open(other, ProjectFile::Mode::ReadWrite);
        QVERIFY2(viaLink, viaLink ? "" : qPrintable(viaLink.error().message));
        QVERIFY(!ProjectFile::open(path, ProjectFile::Mode::ReadWrite));
        viaLink->reset();
        QVERIFY(ProjectFile::open(path, ProjectFile::Mode::ReadWrite));
    }

    void aReadOnlyFileIsRefusedForWritingAndRead()
    {
        const QString path = newProject();
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        auto writer = ProjectFile::open(path, ProjectFile::Mode::ReadWrite);
        QVERIFY(!writer);
        QCOMPARE(writer.error().kind, Error::Kind::User);
        QVERIFY2(writer.error().message.contains(u"the project file is read-only"_s),
                 qPrintable(writer.error().message));
        QVERIFY(writer.error().message.contains(u"chmod u+w"_s));
        auto reader = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        QVERIFY2(reader, reader ? "" : qPrintable(reader.error().message));
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
        QVERIFY(ProjectFile::open(path, ProjectFile::Mode::ReadWrite));
    }

    void aReadOnlyFolderIsRefusedForWritingAndRead()
    {
        const QString folder = m_tmp.dir() + u"/readonly"_s;
        QVERIFY(QDir().mkpath(folder));
        const QString path = folder + u"/p.anthology"_s;
        QVERIFY(ProjectFile::create(path));
        const QFile::Permissions readOnly = QFile::ReadOwner | QFile::ExeOwner | QFile::ReadGroup |
                                            QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther;
        QVERIFY(QFile::setPermissions(folder, readOnly));
        auto writer = ProjectFile::open(path, ProjectFile::Mode::ReadWrite);
        QVERIFY(!writer);
        QCOMPARE(writer.error().kind, Error::Kind::User);
        QVERIFY2(writer.error().message.contains(u"the folder '%1' is read-only"_s.arg(folder)),
                 qPrintable(writer.error().message));
        QVERIFY(!QFile::exists(path + u".lock"_s));
        QVERIFY(ProjectFile::open(path, ProjectFile::Mode::ReadOnly));
        QVERIFY(QFile::setPermissions(folder, readOnly | QFile::WriteOwner));
    }
};

QTEST_GUILESS_MAIN(TestProjectAccess)
#include "TestProjectAccess.moc"
