#include "TempProject.h"

#include "example/ExampleProjectBuilder.h"

#include <QFile>
#include <QTest>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// The example builder leaves either a whole example or nothing: a build that fails part way
// removes the file it created, and a file that was already there is never touched.
class TestExampleProject : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;

private Q_SLOTS:
    void failedBuildRemovesItsFile()
    {
        const QString path = m_dir.path(u"broken.anthology"_s);
        ExampleProjectOptions options;
        options.baselineUsers = 0; // the baselines refuse this, after data, demographics and match
        const Result<ExampleProjectReport> report = ExampleProjectBuilder::create(path, options);
        QVERIFY(!report);
        QVERIFY2(report.error().message.contains(u"num_users"_s), qPrintable(report.error().toString()));
        for (const QString &suffix : {QString(), u"-wal"_s, u"-shm"_s})
            QVERIFY2(!QFile::exists(path + suffix), qPrintable(path + suffix));

        // And the same call with good options then succeeds on that path.
        const Result<ExampleProjectReport> again = ExampleProjectBuilder::create(path);
        QVERIFY2(again, again ? "" : qPrintable(again.error().toString()));
        QCOMPARE(again->studyRuns.size(), 4);
    }

    void anExistingFileIsLeftAlone()
    {
        const QString path = m_dir.writeFile(u"mine.anthology"_s, "not a project of the example's");
        const Result<ExampleProjectReport> report = ExampleProjectBuilder::create(path);
        QVERIFY(!report);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("not a project of the example's"));
    }
};

QTEST_GUILESS_MAIN(TestExampleProject)
#include "TestExampleProject.moc"
