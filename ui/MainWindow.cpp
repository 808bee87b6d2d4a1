#include "MainWindow.h"

#include "BackgroundJob.h"
#include "BackstoryBrowser.h"
#include "BackstoryDetailPane.h"
#include "BackstoryTableModel.h"
#include "ComposerPanel.h"
#include "ConnectionsDialog.h"
#include "DataSetsPanel.h"
#include "DocumentationLink.h"
#include "MessageBanner.h"
#include "ProjectSession.h"
#include "RecentFiles.h"
#include "ResultsPanel.h"
#include "RunsPanel.h"
#include "StartPage.h"
#include "backstories/BackstoryExporter.h"
#include "backstories/BackstoryImporter.h"
#include "backstories/BackstoryStore.h"
#include "data/DatasetStore.h"
#include "example/ExampleProjectBuilder.h"
#include "project/ProjectFile.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {
bool isProjectFile(const QString &path)
{
    return path.endsWith(u".anthology"_s, Qt::CaseInsensitive);
}
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), m_banner(new MessageBanner(this)), m_browser(new BackstoryBrowser(this)),
      m_runs(new RunsPanel(this)), m_datasets(new DataSetsPanel(this)), m_tabs(new QTabWidget(this)),
      m_recent(new RecentFiles(this)), m_job(new BackgroundJob(this)), m_progress(new QProgressBar(this)),
      m_cancel(new QToolButton(this)), m_jobLabel(new QLabel(this))
{
    setObjectName(u"mainWindow"_s);
    setAcceptDrops(true);
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_banner);
    m_tabs->setObjectName(u"mainTabs"_s);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_browser, tr("Backstories"));
    m_tabs->addTab(m_datasets, tr("Data sets"));
    m_composer = new ComposerPanel(this);
    m_tabs->addTab(m_composer, tr("Compose"));
    m_tabs->addTab(m_runs, tr("Runs"));
    // A composed step launches in the Runs tab; a run's config opens back in the composer.
    connect(m_composer, &ComposerPanel::launchRequested, this, [this](const QStringList &arguments) {
        m_tabs->setCurrentWidget(m_runs);
        m_runs->launch(arguments);
    });
    connect(m_runs, &RunsPanel::openInComposerRequested, this, [this](const QStringList &arguments) {
        m_composer->loadInvocation(arguments);
        m_tabs->setCurrentWidget(m_composer);
    });
    m_results = new ResultsPanel(this);
    m_tabs->addTab(m_results, tr("Results"));
    m_pages = new QStackedWidget(this);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    m_progress->setObjectName(u"jobProgress"_s);
    m_progress->setMaximumWidth(220);
    m_cancel->setObjectName(u"jobCancel"_s);
    m_cancel->setText(tr("Cancel"));
    m_jobLabel->setObjectName(u"jobLabel"_s);
    statusBar()->addPermanentWidget(m_jobLabel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    m_progress->hide();
    m_cancel->hide();
    m_jobLabel->hide();

    connect(m_cancel, &QToolButton::clicked, m_job, &BackgroundJob::cancel);
    connect(m_job, &BackgroundJob::progressed, this, &MainWindow::onJobProgress);
    connect(m_job, &BackgroundJob::finished, this, &MainWindow::onJobFinished);
    connect(m_browser, &BackstoryBrowser::message, this,
            [this](const QString &text, bool isError) { isError ? showError(text) : showInfo(text); });
    connect(m_browser, &BackstoryBrowser::modifiedChanged, this, &QWidget::setWindowModified);
    connect(m_browser, &BackstoryBrowser::statusChanged, this,
            [this](const QString &text) { statusBar()->showMessage(text, 5000); });
    connect(m_datasets, &DataSetsPanel::message, this,
            [this](const QString &text, bool isError) { isError ? showError(text) : showInfo(text); });
    connect(m_runs, &RunsPanel::message, this,
            [this](const QString &text, bool isError) { isError ? showError(text) : showInfo(text); });
    connect(m_recent, &RecentFiles::changed, this, &MainWindow::rebuildRecentMenu);

    buildMenus();
    m_pages->addWidget(m_start);
    m_pages->addWidget(m_tabs);
    connect(m_start, &StartPage::exampleRequested, this, &MainWindow::openExample);
    connect(m_start, &StartPage::recentRequested, this, &MainWindow::openProject);
    updateTitle();
    updateActions();
    resize(1200, 760);
    restoreGeometry(QSettings().value(u"mainWindow/geometry"_s).toByteArray());
    m_tabs->setCurrentIndex(QSettings().value(u"mainWindow/tab"_s, 0).toInt());
    statusBar()->showMessage(tr("Open a project (Ctrl+O), create one (Ctrl+N), or drop a file here."));
}

MainWindow::~MainWindow()
{
    setPanelsSession(nullptr);
}

void MainWindow::setPanelsSession(ProjectSession *session)
{
    m_runs->setSession(session);
    m_composer->setSession(session);
    m_browser->setSession(session);
    m_datasets->setSession(session);
    m_results->setProjectPath(session ? session->path() : QString());
}

QString MainWindow::importFilter()
{
    return tr("Backstories or survey data (*.csv *.jsonl *.sav *.zsav *.por *.dta);;"
              "Backstories (*.csv *.jsonl);;SPSS data (*.sav *.zsav *.por);;Stata data (*.dta)");
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newProject = file->addAction(tr("&New Project…"), QKeySequence::New, this, [this]() {
        const QString path = QFileDialog::getSaveFileName(this, tr("New project"), QString(),
                                                          tr("Anthology projects (*.anthology)"));
        if (!path.isEmpty())
            createProject(path.endsWith(u".anthology"_s) ? path : path + u".anthology"_s);
    });
    QAction *openAction = file->addAction(tr("&Open Project…"), QKeySequence::Open, this, [this]() {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), QString(),
                                                          tr("Anthology projects (*.anthology)"));
        if (!path.isEmpty())
            openProject(path);
    });
    newProject->setObjectName(u"newProjectAction"_s);
    openAction->setObjectName(u"openProjectAction"_s);
    file->addAction(tr("Open E&xample Project"), this, &MainWindow::openExample);
    m_start = new StartPage(newProject, openAction, m_recent, this);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addSeparator();
    QAction *import = file->addAction(tr("&Import…"), QKeySequence(u"Ctrl+I"_s), this, [this]() {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import backstories or survey data"),
                                                          QString(), importFilter());
        if (!path.isEmpty())
            importFile(path);
    });
    QAction *exportAll =
        file->addAction(tr("&Export Backstories…"), QKeySequence(u"Ctrl+E"_s), this, [this]() {
            const QString path = QFileDialog::getSaveFileName(
                this, tr("Export backstories"), QString(),
                tr("Backstories (*.csv *.jsonl);;CSV (*.csv);;JSON Lines (*.jsonl)"));
            if (!path.isEmpty())
                exportBackstories(path, false);
        });
    QAction *exportSelected = file->addAction(tr("Export &Selected Backstories…"), this, [this]() {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export selected backstories"), QString(),
            tr("Backstories (*.csv *.jsonl);;CSV (*.csv);;JSON Lines (*.jsonl)"));
        if (!path.isEmpty())
            exportBackstories(path, true);
    });
    file->addSeparator();
    QAction *close = file->addAction(tr("&Close Project"), QKeySequence::Close, this, [this]() {
        if (m_browser->resolveUnsavedEdit())
            closeProject();
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *find = edit->addAction(tr("&Find Backstories"), QKeySequence::Find, this, [this]() {
        m_tabs->setCurrentWidget(m_browser);
        m_browser->focusSearch();
    });
    edit->addSeparator();
    QAction *saveEdit =
        edit->addAction(tr("&Save Edit"), QKeySequence::Save, m_browser, &BackstoryBrowser::saveCurrentEdit);
    QAction *undoEdit = edit->addAction(tr("&Undo Last Edit"), QKeySequence(u"Ctrl+Alt+Z"_s), m_browser,
                                        &BackstoryBrowser::undoCurrentEdit);
    QAction *revert = edit->addAction(tr("&Revert Unsaved Changes"), QKeySequence(u"Ctrl+Alt+R"_s), m_browser,
                                      &BackstoryBrowser::revertCurrentEdit);
    saveEdit->setObjectName(u"saveEditAction"_s);
    undoEdit->setObjectName(u"undoEditAction"_s);
    revert->setObjectName(u"revertAction"_s);
    const auto updateEditActions = [this, saveEdit, undoEdit, revert]() {
        saveEdit->setEnabled(m_browser->detail()->canSave());
        undoEdit->setEnabled(m_browser->detail()->canUndo());
        revert->setEnabled(m_browser->hasUnsavedChanges());
    };
    connect(m_browser->detail(), &BackstoryDetailPane::actionsChanged, this, updateEditActions);
    updateEditActions();

    QMenu *tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(tr("&Connections…"), this, [this]() {
        ConnectionsDialog dialog(this);
        dialog.setProjectConfigDir(m_session ? m_session->configDir() : QString());
        dialog.exec();
    });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Documentation"), QKeySequence::HelpContents, this, [this]() {
        if (!DocumentationLink::open())
            showError(tr("The documentation folder was not found next to the program or its sources."));
    });
    help->addAction(tr("&About Anthology Workbench"), this, [this]() {
        QMessageBox::about(this, tr("About Anthology Workbench"),
                           tr("<h3>Anthology Workbench %1</h3><p>Virtual survey respondents from LLM-written "
                              "backstories, measured against real people.</p><p>Method: Moon et al., "
                              "<i>Virtual Personas for Language Models via an Anthology of Backstories</i>, "
                              "EMNLP 2024.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });
    m_projectActions = {close, find, exportAll, exportSelected}; // exports read on their own connection
    m_writeActions = {import};
}

void MainWindow::rebuildRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList files = m_recent->files();
    for (int i = 0; i < files.size(); ++i) {
        const QString path = files[i];
        QAction *a = m_recentMenu->addAction(u"&%1 %2"_s.arg(i + 1).arg(QFileInfo(path).fileName()), this,
                                             [this, path]() { openProject(path); });
        a->setToolTip(path);
        a->setStatusTip(path);
    }
    if (!files.isEmpty())
        m_recentMenu->addSeparator();
    QAction *clear = m_recentMenu->addAction(tr("Clear List"), m_recent, &RecentFiles::clear);
    clear->setEnabled(!files.isEmpty());
}

bool MainWindow::openProject(const QString &path)
{
    if (m_job->isRunning()) {
        showError(tr("Wait for “%1” to finish before opening another project.").arg(m_job->title()));
        return false;
    }
    if (!m_browser->resolveUnsavedEdit())
        return false;
    auto session = ProjectSession::open(path);
    if (!session) {
        showError(tr("Could not open the project: %1").arg(session.error().toString()));
        if (!QFileInfo::exists(path))
            m_recent->remove(path);
        return false;
    }
    return adoptSession(std::move(session).value());
}

bool MainWindow::createProject(const QString &path)
{
    if (!m_browser->resolveUnsavedEdit())
        return false;
    auto session = ProjectSession::create(path);
    if (!session) {
        showError(tr("Could not create the project: %1").arg(session.error().toString()));
        return false;
    }
    return adoptSession(std::move(session).value());
}

bool MainWindow::adoptSession(std::unique_ptr<ProjectSession> session)
{
    setPanelsSession(nullptr);
    m_session = std::move(session);
    setPanelsSession(m_session.get());
    m_recent->add(m_session->path());
    m_banner->dismiss();
    updateTitle();
    updateActions();
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(m_session->path())), 5000);
    if (m_session->isReadOnly()) {
        m_banner->showMessage(tr("Opened read-only: %1. Backstories and runs can be read and exported, "
                                 "not edited or imported.")
                                  .arg(m_session->readOnlyReason()),
                              MessageBanner::Level::Warning);
    } else if (!m_session->writerAtOpen().isEmpty()) {
        // Most likely the CLI driving a run: show it. Edits and imports are saved whenever it
        // is not writing; one that meets its lock fails with the holder named, nothing lost.
        m_tabs->setCurrentWidget(m_runs);
        m_banner->showMessage(tr("%1 is writing to this project: the Runs tab follows its progress.")
                                  .arg(m_session->writerAtOpen()),
                              MessageBanner::Level::Information);
    }
    return true;
}

bool MainWindow::openExample()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString path = dir + u"/example.anthology"_s;
    if (QFileInfo::exists(path))
        return openProject(path);
    if (m_job->isRunning()) {
        showError(tr("“%1” is still running.").arg(m_job->title()));
        return false;
    }
    // The same project as `anthology project init --example`: a few seconds of demo runs
    // through the run engine, so it is built off the GUI thread and opened when done.
    QDir().mkpath(dir);
    m_exampleToOpen = path;
    m_job->start(tr("Building the example project"), [path](JobProgress &) -> Status {
        Result<ExampleProjectReport> built = ExampleProjectBuilder::create(path);
        return built ? Status::success() : Status(built.error());
    });
    updateActions();
    return true;
}

void MainWindow::closeProject()
{
    setPanelsSession(nullptr);
    m_session.reset();
    updateTitle();
    updateActions();
}

void MainWindow::importFile(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (QStringList{u"sav"_s, u"zsav"_s, u"por"_s, u"dta"_s}.contains(suffix))
        importDataset(path);
    else
        importBackstories(path);
}

void MainWindow::startWriteJob(const QString &title, const QString &fileName,
                               std::function<Status(ProjectFile &, JobProgress &)> work)
{
    if (!m_session) {
        showError(tr("Open or create a project before importing %1.").arg(fileName));
        return;
    }
    if (m_job->isRunning()) {
        showError(tr("“%1” is still running.").arg(m_job->title()));
        return;
    }
    auto opened = m_session->openWriter();
    if (!opened) {
        showError(tr("Could not import %1: %2").arg(fileName, opened.error().toString()));
        return;
    }
    std::shared_ptr<ProjectFile> writer = std::move(opened).value();
    const bool started =
        m_job->start(title, [writer, work = std::move(work)](JobProgress &progress) mutable -> Status {
            const std::shared_ptr<ProjectFile> project = std::exchange(writer, nullptr);
            return work(*project, progress);
        });
    if (!started)
        showError(tr("“%1” is still running.").arg(m_job->title()));
    updateActions();
}

void MainWindow::importBackstories(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    startWriteJob(tr("Importing %1").arg(name), name, [path](ProjectFile &project, JobProgress &progress) {
        BackstoryImportOptions options;
        options.progress = [&progress](const BackstoryImportProgress &p) {
            progress.report(p.bytesRead, p.bytesTotal);
        };
        options.cancel = &progress.cancelFlag();
        auto report = BackstoryImporter(project).importFile(path, options);
        return report ? Status::success() : Status(report.error());
    });
}

void MainWindow::importDataset(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    // One transaction: the reader parses the whole file first, so there is no partial data set to
    // cancel into; the progress bar shows that it works.
    startWriteJob(tr("Importing data set %1").arg(name), name, [path](ProjectFile &project, JobProgress &) {
        auto info = DatasetStore(project).importFile(path);
        return info ? Status::success() : Status(info.error());
    });
}

void MainWindow::exportBackstories(const QString &path, bool selectedOnly)
{
    if (!m_session)
        return;
    const QStringList uids = selectedOnly ? m_browser->selectedUids() : QStringList();
    if (selectedOnly && uids.isEmpty()) {
        showError(tr("Select the backstories to export first."));
        return;
    }
    // An export only reads: a connection of its own, no lock, so it works while the CLI writes.
    auto opened = m_session->openReader();
    if (!opened) {
        showError(tr("Could not export: %1").arg(opened.error().toString()));
        return;
    }
    std::shared_ptr<ProjectFile> reader = std::move(opened).value();
    m_job->start(tr("Exporting to %1").arg(QFileInfo(path).fileName()),
                 [reader, path, uids](JobProgress &progress) mutable -> Status {
                     const std::shared_ptr<ProjectFile> project = std::exchange(reader, nullptr);
                     BackstoryExportOptions options;
                     options.uids = uids;
                     options.progress = [&progress](qint64 done, qint64 total) {
                         progress.report(done, total);
                     };
                     options.cancel = &progress.cancelFlag();
                     auto written = BackstoryExporter(*project).exportFile(path, options);
                     if (!written)
                         return written.error();
                     return Status::success();
                 });
    updateActions();
}

void MainWindow::onJobProgress(qint64 done, qint64 total)
{
    if (!m_job->isRunning())
        return;
    if (m_progress->isHidden()) {
        m_jobStartMs = QDateTime::currentMSecsSinceEpoch();
        m_progress->show();
        m_cancel->show();
        m_jobLabel->show();
    }
    m_progress->setRange(0, total > 0 ? 1000 : 0);
    if (total > 0)
        m_progress->setValue(int(1000 * done / total));
    QString eta;
    const qint64 elapsed = QDateTime::currentMSecsSinceEpoch() - m_jobStartMs;
    if (total > 0 && done > 0 && elapsed > 1000) {
        const qint64 remaining = elapsed * (total - done) / done / 1000;
        eta = tr(" · about %1 s left").arg(remaining);
    }
    m_jobLabel->setText(m_job->title() + eta);
}

void MainWindow::onJobFinished(const QString &title, bool ok, const QString &errorText, bool cancelled)
{
    m_progress->hide();
    m_cancel->hide();
    m_jobLabel->hide();
    if (cancelled && !ok)
        m_banner->showMessage(tr("%1: cancelled; nothing was changed.").arg(title),
                              MessageBanner::Level::Warning);
    else if (!ok)
        showError(tr("%1 failed: %2").arg(title, errorText));
    else
        m_banner->showMessage(tr("%1: done.").arg(title), MessageBanner::Level::Positive);
    if (m_session) {
        m_browser->reload();
        m_datasets->reload();
    }
    updateActions();
    const QString example = std::exchange(m_exampleToOpen, QString());
    if (example.isEmpty() || !ok)
        return;
    if (cancelled) {
        // The builder cannot stop half way; a cancelled build is thrown away once it is done.
        ProjectFile::removeFiles(example);
        m_banner->showMessage(tr("%1: cancelled; nothing was kept.").arg(title), MessageBanner::Level::Warning);
        return;
    }
    openProject(example);
}

void MainWindow::updateTitle()
{
    setWindowFilePath(m_session ? m_session->path() : QString());
    const QString name = m_session ? QFileInfo(m_session->path()).fileName() : QString();
    if (!m_session)
        setWindowTitle(tr("Anthology Workbench"));
    else if (m_session->isReadOnly())
        setWindowTitle(tr("%1 (read-only) — Anthology Workbench").arg(name));
    else
        setWindowTitle(tr("%1[*] — Anthology Workbench").arg(name));
}

void MainWindow::updateActions()
{
    const bool haveProject = m_session != nullptr;
    m_pages->setCurrentWidget(haveProject ? static_cast<QWidget *>(m_tabs) : m_start);
    const bool busy = m_job->isRunning();
    const bool writable = haveProject && !m_session->isReadOnly();
    for (QAction *a : std::as_const(m_projectActions))
        a->setEnabled(haveProject && !busy);
    for (QAction *a : std::as_const(m_writeActions))
        a->setEnabled(writable && !busy);
    m_browser->setEditingEnabled(writable && !busy);
}

void MainWindow::showError(const QString &text)
{
    m_banner->showMessage(text, MessageBanner::Level::Error);
}

void MainWindow::showInfo(const QString &text)
{
    m_banner->showMessage(text, MessageBanner::Level::Information);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_browser->resolveUnsavedEdit() || !m_runs->confirmClose()) {
        event->ignore();
        return;
    }
    m_job->cancel();
    QSettings().setValue(u"mainWindow/geometry"_s, saveGeometry());
    QSettings().setValue(u"mainWindow/tab"_s, m_tabs->currentIndex());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    openDroppedFiles(event->mimeData()->urls());
    event->acceptProposedAction();
}

void MainWindow::openDroppedFiles(const QList<QUrl> &urls)
{
    for (const QUrl &url : urls) {
        const QString path = url.toLocalFile();
        if (path.isEmpty())
            continue;
        if (isProjectFile(path))
            openProject(path);
        else
            importFile(path);
        break; // one file per drop: an import runs alone
    }
}

} // namespace anthology::ui
