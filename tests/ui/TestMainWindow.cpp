#include "BackgroundJob.h"
#include "BackstoryBrowser.h"
#include "BackstoryTableModel.h"
#include "ComposerPanel.h"
#include "MainWindow.h"
#include "MessageBanner.h"
#include "ProjectSession.h"
#include "RecentFiles.h"
#include "RunListModel.h"
#include "RunsPanel.h"
#include "TempProject.h"
#include "backstories/BackstoryStore.h"
#include "example/ExampleProject.h"
#include "project/ProjectFile.h"
#include "run/RunStore.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace anthology;
using namespace anthology::ui;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// The workbench window, driven offscreen through its widgets as a user would.
class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    QString m_example;

    template <typename T> static T *child(QWidget *w, const char *name)
    {
        return w->findChild<T *>(QString::fromLatin1(name));
    }

    QString populatedProject(const QString &fileName)
    {
        const QString path = m_dir.path(fileName);
        auto project = ProjectFile::create(path);
        if (!project || !ExampleProject::populate(**project))
            return {};
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"AnthologyWorkbenchTests"_s);
        QSettings().clear();
        m_example = m_dir.path(u"example.anthology"_s);
        auto project = ProjectFile::create(m_example);
        QVERIFY2(project.ok(), qPrintable(project ? QString() : project.error().toString()));
        auto count = ExampleProject::populate(**project);
        QVERIFY(count.ok());
        QCOMPARE(*count, 12);
    }

    void opensAProjectAndShowsItsBackstories()
    {
        MainWindow window;
        window.show();
        QVERIFY(window.openProject(m_example));
        auto *table = child<QTableView>(&window, "backstoryTable");
        QVERIFY(table);
        QCOMPARE(table->model()->rowCount(), 12);
        QVERIFY(window.windowTitle().contains(u"example.anthology"_s));
        QCOMPARE(window.recentFiles()->files().value(0), QFileInfo(m_example).absoluteFilePath());
        // The first row is selected and its text shown in the pane.
        auto *text = child<QPlainTextEdit>(&window, "backstoryText");
        QTRY_VERIFY(text->toPlainText().contains(u"El Paso"_s));
    }

    void searchNarrowsTheTable()
    {
        MainWindow window;
        window.show();
        QVERIFY(window.openProject(m_example));
        auto *search = child<QLineEdit>(&window, "searchField");
        auto *table = child<QTableView>(&window, "backstoryTable");
        QTest::keyClicks(search, u"bakery"_s);
        QTRY_COMPARE(table->model()->rowCount(), 1);
        QCOMPARE(table->model()->index(0, BackstoryTableModel::UidColumn).data().toString(), u"ex-09-rosa"_s);
        search->clear();
        QTRY_COMPARE(table->model()->rowCount(), 12);
    }

    void editSaveAndUndoThroughThePane()
    {
        const QString path = m_dir.path(u"edit.anthology"_s);
        {
            auto project = ProjectFile::create(path);
            QVERIFY(project.ok());
            QVERIFY(ExampleProject::populate(**project).ok());
        }
        MainWindow window;
        window.show();
        QVERIFY(window.openProject(path));
        auto *table = child<QTableView>(&window, "backstoryTable");
        auto *text = child<QPlainTextEdit>(&window, "backstoryText");
        auto *save = child<QPushButton>(&window, "saveEditButton");
        auto *undo = child<QPushButton>(&window, "undoEditButton");
        table->selectRow(1);
        QTRY_VERIFY(text->toPlainText().contains(u"Eau Claire"_s));
        QVERIFY(!save->isEnabled());
        text->setPlainText(u"A new text for Walt."_s);
        QVERIFY(save->isEnabled());
        save->click();
        QCOMPARE(window.session()->readerStore().get(u"ex-02-walt"_s)->text, u"A new text for Walt."_s);
        QTRY_VERIFY(undo->isEnabled());
        undo->click();
        QVERIFY(window.session()->readerStore().get(u"ex-02-walt"_s)->text.contains(u"Eau Claire"_s));
        QTRY_VERIFY(text->toPlainText().contains(u"Eau Claire"_s));
    }

    void badFilesShowAnInlineError_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("text file") << QByteArray("this is not a database\n");
        QTest::newRow("empty-ish") << QByteArray("SQLite format 3");
    }

    void badFilesShowAnInlineError()
    {
        QFETCH(QByteArray, bytes);
        const QString path = m_dir.writeFile(u"bad.anthology"_s, bytes);
        MainWindow window;
        window.show();
        QVERIFY(!window.openProject(path));
        QVERIFY(window.banner()->isVisible());
        QCOMPARE(window.banner()->level(), MessageBanner::Level::Error);
        QVERIFY2(window.banner()->text().contains(u"bad.anthology"_s), qPrintable(window.banner()->text()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), bytes);
    }

    void importRunsInTheBackgroundAndRefreshes()
    {
        const QString path = m_dir.path(u"import.anthology"_s);
        MainWindow window;
        window.show();
        QVERIFY(window.createProject(path));
        auto *table = child<QTableView>(&window, "backstoryTable");
        QCOMPARE(table->model()->rowCount(), 0);
        QString csv = u"uid,backstory,num_tokens\n"_s;
        for (int i = 0; i < 500; ++i)
            csv += u"u%1,\"Story number %1, with a comma and a \"\"quote\"\".\",60\n"_s.arg(i);
        const QString source = m_dir.writeFile(u"many.csv"_s, csv.toUtf8());
        QSignalSpy finished(window.job(), &BackgroundJob::finished);
        window.importBackstories(source);
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(1).toBool(), true);
        QTRY_COMPARE(table->model()->rowCount(), 500);
        QCOMPARE(window.banner()->level(), MessageBanner::Level::Positive);
    }

    void failedImportKeepsTheProjectAsItWas()
    {
        const QString path = m_dir.path(u"failed.anthology"_s);
        MainWindow window;
        window.show();
        QVERIFY(window.createProject(path));
        const QString source = m_dir.writeFile(u"broken.csv"_s, "uid,backstory\na,\"open quote\n");
        QSignalSpy finished(window.job(), &BackgroundJob::finished);
        window.importBackstories(source);
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(1).toBool(), false);
        QCOMPARE(window.banner()->level(), MessageBanner::Level::Error);
        QVERIFY(window.banner()->text().contains(u"broken.csv"_s));
        QCOMPARE(window.session()->readerStore().count(), 0);
    }

    void runsHaveTheirOwnTabAndFindReturnsToTheBackstories()
    {
        const QString path = m_dir.path(u"tabs.anthology"_s);
        {
            auto project = ProjectFile::create(path);
            QVERIFY(project.ok());
            QVERIFY(ExampleProject::populate(**project).ok());
        }
        MainWindow window;
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(window.openProject(path));
        auto *tabs = child<QTabWidget>(&window, "mainTabs");
        QVERIFY(tabs);
        QVERIFY(tabs->count() >= 3); // other stages add their own tabs
        QStringList tabNames;
        for (int i = 0; i < tabs->count(); ++i)
            tabNames.append(tabs->tabText(i));
        QVERIFY(tabNames.contains(u"Results"_s));
        QCOMPARE(tabs->tabText(0), u"Backstories"_s);
        const int runsTab = tabs->indexOf(window.runsPanel());
        QVERIFY(runsTab > 0);
        QCOMPARE(tabs->tabText(runsTab), u"Runs"_s);
        QCOMPARE(tabs->tabText(tabs->indexOf(window.composer())), u"Compose"_s);
        QCOMPARE(tabs->currentIndex(), 0);

        tabs->setCurrentIndex(runsTab);
        QVERIFY(child<QLabel>(&window, "runsEmptyLabel")->isVisible());
        {
            RunInfo info;
            info.name = u"hobbies"_s;
            auto cli = ProjectFile::open(path, ProjectFile::Mode::ReadWrite);
            QVERIFY(cli);
            QVERIFY(RunStore(**cli).createRun(info));
        }
        QTest::keyClick(&window, Qt::Key_F5);
        QCOMPARE(window.runsPanel()->model()->rowCount(), 1);
        QVERIFY(child<QTableView>(&window, "runTable")->isVisible());

        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), 0);
        QVERIFY(child<QLineEdit>(&window, "searchField")->hasFocus());

        window.closeProject();
        QCOMPARE(window.runsPanel()->model()->rowCount(), 0);

        // The next window opens on the tab the last one was closed on.
        tabs->setCurrentIndex(runsTab);
        QVERIFY(window.close());
        MainWindow next;
        QCOMPARE(child<QTabWidget>(&next, "mainTabs")->currentIndex(), runsTab);
        QSettings().remove(u"mainWindow/tab"_s);
    }

    void aProjectTheCliWritesOpensWritableAndFollowsTheRun()
    {
        const QString path = m_dir.path(u"held.anthology"_s);
        auto cli = ProjectFile::create(path); // holds the writer lock, as `anthology survey` does
        QVERIFY(cli.ok());
        QVERIFY(ExampleProject::populate(**cli).ok());
        MainWindow window;
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY2(window.openProject(path), qPrintable(window.banner()->text()));
        QVERIFY(!window.session()->isReadOnly());
        QVERIFY(!window.windowTitle().contains(u"read-only"_s));
        QCOMPARE(window.banner()->level(), MessageBanner::Level::Information);
        QVERIFY2(window.banner()->text().contains(u"writing to this project"_s),
                 qPrintable(window.banner()->text()));
        QCOMPARE(child<QTabWidget>(&window, "mainTabs")->currentWidget(), window.runsPanel());
        QCOMPARE(child<QTableView>(&window, "backstoryTable")->model()->rowCount(), 12);

        RunInfo info;
        info.name = u"atp/backstories"_s;
        QVERIFY(RunStore(**cli).createRun(info));
        QTest::keyClick(&window, Qt::Key_F5);
        QCOMPARE(window.runsPanel()->model()->rowCount(), 1);

        // An import meets the CLI's lock: refused before it starts, the holder named.
        const QString source = m_dir.writeFile(u"more.csv"_s, "uid,backstory\nzz,\"A short story.\"\n");
        window.importBackstories(source);
        QVERIFY(!window.job()->isRunning());
        QCOMPARE(window.banner()->level(), MessageBanner::Level::Error);
        QVERIFY2(window.banner()->text().contains(u"already open for writing"_s),
                 qPrintable(window.banner()->text()));
        QCOMPARE(window.session()->readerStore().count(), 12);

        // Once the run lets go, the same import goes through.
        cli = Error::user(u"closed"_s);
        QSignalSpy finished(window.job(), &BackgroundJob::finished);
        window.importBackstories(source);
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
        QCOMPARE(window.session()->readerStore().count(), 13);
        QVERIFY(ProjectFile::open(path, ProjectFile::Mode::ReadWrite)); // the job let go of the lock
    }

    void theCliCanWriteWhileTheWindowShowsTheProject()
    {
        const QString path = populatedProject(u"shared.anthology"_s);
        QVERIFY(!path.isEmpty());
        MainWindow window;
        window.show();
        QVERIFY(window.openProject(path));
        QVERIFY(window.banner()->isHidden());
        {
            auto cli = ProjectFile::open(path, ProjectFile::Mode::ReadWrite);
            QVERIFY2(cli, qPrintable(cli ? QString() : cli.error().toString()));
        }
        auto *table = child<QTableView>(&window, "backstoryTable");
        auto *text = child<QPlainTextEdit>(&window, "backstoryText");
        table->selectRow(1);
        QTRY_VERIFY(text->toPlainText().contains(u"Eau Claire"_s));
        const int before = window.session()->readerStore().get(u"ex-02-walt"_s)->revision;
        text->setPlainText(u"Walt, edited between two runs."_s);
        child<QPushButton>(&window, "saveEditButton")->click();
        const auto saved = window.session()->readerStore().get(u"ex-02-walt"_s);
        QCOMPARE(saved->text, u"Walt, edited between two runs."_s);
        QCOMPARE(saved->revision, before + 1);
        const int row = table->currentIndex().row();
        QCOMPARE(window.browser()->model()->uidAt(row), u"ex-02-walt"_s);
        QCOMPARE(table->model()->index(row, BackstoryTableModel::RevisionColumn).data().toInt(), before + 1);
        // The edit's writer is closed again: the CLI can start the next run.
        QVERIFY(ProjectFile::open(path, ProjectFile::Mode::ReadWrite));
    }

    void anEditMeetingTheCliLockFailsAndKeepsTheText()
    {
        const QString path = populatedProject(u"busy.anthology"_s);
        QVERIFY(!path.isEmpty());
        MainWindow window;
        window.show();
        QVERIFY(window.openProject(path));
        auto cli = ProjectFile::open(path, ProjectFile::Mode::ReadWrite);
        QVERIFY(cli);
        auto *table = child<QTableView>(&window, "backstoryTable");
        auto *text = child<QPlainTextEdit>(&window, "backstoryText");
        auto *save = child<QPushButton>(&window, "saveEditButton");
        auto *undo = child<QPushButton>(&window, "undoEditButton");
        table->selectRow(1);
        QTRY_VERIFY(text->toPlainText().contains(u"Eau Claire"_s));
        const QString edited = u"Walt, edited while a run writes."_s;
        text->setPlainText(edited);
        save->click();
        QCOMPARE(window.banner()->level(), MessageBanner::Level::Error);
        QVERIFY2(window.banner()->text().contains(u"already open for writing"_s),
                 qPrintable(window.banner()->text()));
        QVERIFY2(window.banner()->text().contains(u"process %1"_s.arg(QCoreApplication::applicationPid())),
                 qPrintable(window.banner()->text()));
        QCOMPARE(text->toPlainText(), edited);
        QVERIFY(window.browser()->hasUnsavedChanges());
        QVERIFY(save->isEnabled());
        QVERIFY(window.session()->readerStore().get(u"ex-02-walt"_s)->text.contains(u"Eau Claire"_s));

        cli = Error::user(u"closed"_s); // the run ends
        save->click();
        QCOMPARE(window.session()->readerStore().get(u"ex-02-walt"_s)->text, edited);
        QVERIFY(!window.browser()->hasUnsavedChanges());

        // An undo meets the lock the same way and leaves the saved text as it is.
        cli = ProjectFile::open(path, ProjectFile::Mode::ReadWrite);
        QVERIFY(cli);
        QTRY_VERIFY(undo->isEnabled());
        undo->click();
        QCOMPARE(window.banner()->level(), MessageBanner::Level::Error);
        QVERIFY(window.banner()->text().contains(u"already open for writing"_s));
        QCOMPARE(window.session()->readerStore().get(u"ex-02-walt"_s)->text, edited);
        cli = Error::user(u"closed"_s);
        undo->click();
        QVERIFY(window.session()->readerStore().get(u"ex-02-walt"_s)->text.contains(u"Eau Claire"_s));
    }

    void droppingAProjectOpensIt()
    {
        MainWindow window;
        window.show();
        QVERIFY(window.acceptDrops());
        window.openDroppedFiles({QUrl::fromLocalFile(m_example)});
        QVERIFY2(window.session(), qPrintable(window.banner()->text()));
        QCOMPARE(window.session()->path(), m_example);
    }
};

QTEST_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
