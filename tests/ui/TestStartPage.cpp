#include "BackgroundJob.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "ProjectSession.h"
#include "RecentFiles.h"
#include "StartPage.h"
#include "TempProject.h"
#include "backstories/BackstoryStore.h"
#include "data/DatasetStore.h"
#include "project/ProjectFile.h"
#include "run/RunStore.h"

#include <QAction>
#include <QFileInfo>
#include <QLabel>
#include <QSignalSpy>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>
#include <QToolButton>

using namespace anthology;
using namespace anthology::ui;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// With no project open the window shows a start page: New and Open (the File menu's actions),
// Open example, and the recent projects; opening one shows the tabs, closing it the page again.
class TestStartPage : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;

    template <typename T> static T *child(QWidget *w, const char *name)
    {
        return w->findChild<T *>(QString::fromLatin1(name));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"AnthologyWorkbenchTests"_s);
        QCoreApplication::setApplicationName(u"TestStartPage"_s);
        QSettings().clear();
        QFile::remove(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                      u"/example.anthology"_s);
    }

    void shownWithoutAProjectAndItsButtonsAreTheMenuActions()
    {
        MainWindow window;
        window.show();
        QVERIFY(window.startPage()->isVisible());
        QVERIFY(!child<QTabWidget>(&window, "mainTabs")->isVisible());
        auto *newButton = child<QToolButton>(&window, "newProjectButton");
        auto *openButton = child<QToolButton>(&window, "openProjectButton");
        QVERIFY(newButton && openButton);
        QCOMPARE(newButton->defaultAction(), child<QAction>(&window, "newProjectAction"));
        QCOMPARE(openButton->defaultAction(), child<QAction>(&window, "openProjectAction"));
        QVERIFY(newButton->isVisible() && openButton->isVisible());
        QVERIFY(child<QPushButton>(&window, "openExampleButton")->isVisible());
    }

    void openExampleCreatesItOnceAndOpensIt()
    {
        MainWindow window;
        window.show();
        QTest::mouseClick(child<QPushButton>(&window, "openExampleButton"), Qt::LeftButton);
        // Built on the background job (demo runs through the engine), then opened.
        QVERIFY(!window.session());
        QTRY_VERIFY_WITH_TIMEOUT(window.session(), 300000);
        QCOMPARE(window.session()->readerStore().count(), 12);
        // The whole example, as `project init --example` makes it: a data set and the demo runs.
        auto reader = ProjectFile::open(window.session()->path(), ProjectFile::Mode::ReadOnly);
        QVERIFY(reader.ok());
        QCOMPARE(DatasetStore(**reader).list().size(), 1);
        QVERIFY(RunStore(**reader).runs()->size() >= 5);
        QVERIFY(child<QTabWidget>(&window, "mainTabs")->isVisible());
        QVERIFY(!window.startPage()->isVisible());
        const QString path = window.session()->path();
        QVERIFY(path.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));

        window.closeProject();
        QVERIFY(window.startPage()->isVisible());
        QVERIFY(window.openExample()); // the second time it opens the same file
        QCOMPARE(window.session()->path(), path);
        QCOMPARE(window.session()->readerStore().count(), 12);
    }

    void aCancelledExampleBuildKeepsNothing()
    {
        const QString path =
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/example.anthology"_s;
        QFile::remove(path);
        MainWindow window;
        window.show();
        QSignalSpy finished(window.job(), &BackgroundJob::finished);
        QVERIFY(window.openExample());
        QVERIFY(window.job()->isRunning());
        window.job()->cancel();
        QVERIFY(finished.wait(300000));
        QVERIFY(!window.session());
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY(window.startPage()->isVisible());
        QCOMPARE(window.banner()->level(), MessageBanner::Level::Warning);
        QVERIFY(window.banner()->text().contains(u"cancelled"_s));
    }

    void recentProjectsOpenFromTheList()
    {
        const QString a = m_dir.path(u"a.anthology"_s);
        const QString b = m_dir.path(u"b.anthology"_s);
        QVERIFY(ProjectFile::create(a));
        QVERIFY(ProjectFile::create(b));
        MainWindow window;
        window.show();
        window.recentFiles()->clear();
        window.recentFiles()->add(a);
        window.recentFiles()->add(b);
        auto *list = child<QListWidget>(&window, "recentProjectList");
        QCOMPARE(list->count(), 2);
        QVERIFY(list->item(0)->text().startsWith(u"b.anthology"_s));
        QVERIFY(list->item(1)->text().startsWith(u"a.anthology"_s));
        Q_EMIT list->itemActivated(list->item(1));
        QVERIFY(window.session());
        QCOMPARE(window.session()->path(), QFileInfo(a).absoluteFilePath());
        QVERIFY(!window.startPage()->isVisible());
        // The list follows: a is now the most recent.
        QVERIFY(list->item(0)->text().startsWith(u"a.anthology"_s));
    }
};

QTEST_MAIN(TestStartPage)
#include "TestStartPage.moc"
