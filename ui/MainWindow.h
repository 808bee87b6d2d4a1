#pragma once

#include <QMainWindow>

#include "util/Result.h"

#include <functional>
#include <memory>

class QLabel;
class QMenu;
class QProgressBar;
class QStackedWidget;
class QTabWidget;
class QToolButton;

namespace anthology {
class ProjectFile;
}

namespace anthology::ui {

class BackgroundJob;
class BackstoryBrowser;
class ComposerPanel;
class DataSetsPanel;
class JobProgress;
class MessageBanner;
class ProjectSession;
class RecentFiles;
class ResultsPanel;
class RunsPanel;
class StartPage;

// The workbench window: opens and creates project files and hosts the panels over them.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    bool openProject(const QString &path);
    bool createProject(const QString &path);
    // Imports by extension: survey data (.sav/.zsav/.por/.dta) as a data set, else backstories.
    void importFile(const QString &path);
    void importBackstories(const QString &path);
    void importDataset(const QString &path);
    static QString importFilter();
    void exportBackstories(const QString &path, bool selectedOnly);
    void closeProject();
    // Opens the example project. The first time it is built (in the application's data folder,
    // as `project init --example` builds it) on the background job and opened when done;
    // returns whether it opened or the build started.
    bool openExample();
    // What a drop does: a project file opens, any other file is imported as backstories.
    void openDroppedFiles(const QList<QUrl> &urls);

    ProjectSession *session() const { return m_session.get(); }
    BackstoryBrowser *browser() const { return m_browser; }
    RunsPanel *runsPanel() const { return m_runs; }
    DataSetsPanel *dataSetsPanel() const { return m_datasets; }
    StartPage *startPage() const { return m_start; }
    ComposerPanel *composer() const { return m_composer; }
    QTabWidget *tabs() const { return m_tabs; }
    MessageBanner *banner() const { return m_banner; }
    BackgroundJob *job() const { return m_job; }
    RecentFiles *recentFiles() const { return m_recent; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildMenus();
    void rebuildRecentMenu();
    void updateTitle();
    void updateActions();
    void showError(const QString &text);
    void showInfo(const QString &text);
    bool adoptSession(std::unique_ptr<ProjectSession> session);
    void setPanelsSession(ProjectSession *session);
    // Runs `work` on the job thread with a writer connection taken now (so a held lock fails
    // here, with its holder named) and released when the work ends.
    void startWriteJob(const QString &title, const QString &fileName,
                       std::function<Status(ProjectFile &, JobProgress &)> work);
    void onJobProgress(qint64 done, qint64 total);
    void onJobFinished(const QString &title, bool ok, const QString &errorText, bool cancelled);

    std::unique_ptr<ProjectSession> m_session;
    MessageBanner *m_banner;
    BackstoryBrowser *m_browser;
    RunsPanel *m_runs;
    DataSetsPanel *m_datasets;
    ComposerPanel *m_composer = nullptr;
    ResultsPanel *m_results = nullptr;
    QTabWidget *m_tabs;
    RecentFiles *m_recent;
    BackgroundJob *m_job;
    QMenu *m_recentMenu = nullptr;
    QStackedWidget *m_pages = nullptr; // the start page, or the tabs over an open project
    StartPage *m_start = nullptr;
    QList<QAction *> m_projectActions;
    QList<QAction *> m_writeActions;
    QProgressBar *m_progress;
    QToolButton *m_cancel;
    QLabel *m_jobLabel;
    qint64 m_jobStartMs = 0;
    QString m_exampleToOpen; // built by the running job, opened when it is done
};

} // namespace anthology::ui
