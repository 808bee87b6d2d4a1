#include "RunsPanel.h"

#include "ProjectSession.h"
#include "RunListModel.h"
#include "RunListReader.h"
#include "RunMonitorPanel.h"
#include "pipeline/RunController.h"
#include "pipeline/StepLaunch.h"
#include "run/RunEndpoint.h"
#include "run/RunInvocation.h"
#include "run/RunStore.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {
QPlainTextEdit *readOnlyText(QWidget *parent, const QString &name)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return edit;
}

// Sets text only when it changed, so a live refresh keeps the reader's scroll position.
void setTextKept(QPlainTextEdit *edit, const QString &text)
{
    if (edit->toPlainText() != text)
        edit->setPlainText(text);
}

QString configText(const QString &config)
{
    QJsonObject json = QJsonDocument::fromJson(config.toUtf8()).object();
    if (json.isEmpty())
        return config;
    json.remove(QLatin1StringView(RunInvocation::configKey)); // shown above as the command
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented)).trimmed();
}
} // namespace

RunsPanel::RunsPanel(QWidget *parent)
    : QWidget(parent), m_model(new RunListModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_pages(new QStackedWidget(this)), m_empty(new QLabel(this)), m_table(new QTableView(this)),
      m_title(new QLabel(this)), m_command(readOnlyText(this, u"runCommand"_s)),
      m_copy(new QPushButton(this)), m_version(new QLabel(this)), m_seed(new QLabel(this)),
      m_config(readOnlyText(this, u"runConfig"_s)), m_refresh(new QAction(this)), m_resume(new QAction(this)),
      m_pause(new QAction(this)), m_retry(new QAction(this)), m_cancel(new QAction(this)), m_duplicate(new QAction(this)),
      m_toComposer(new QAction(this)), m_monitorPanel(new RunMonitorPanel(this)),
      m_detailTabs(new QTabWidget(this)), m_timer(new QTimer(this)),
      m_reader(new RunListReader(this))
{
    setObjectName(u"runsPanel"_s);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RunListModel::SortRole);

    m_table->setObjectName(u"runTable"_s);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RunListModel::IdColumn, Qt::DescendingOrder); // newest first
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(RunListModel::NameColumn, QHeaderView::Stretch);

    m_empty->setObjectName(u"runsEmptyLabel"_s);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::RichText);
    m_empty->setText(
        tr("<p><b>No runs yet</b></p><p>Start one with <code>anthology generate backstories</code>, "
           "<code>anthology survey demographics</code>, <code>anthology survey atp</code> or "
           "<code>anthology study</code> against this project;<br>it shows up here while it "
           "runs.</p>"));

    m_title->setObjectName(u"runTitle"_s);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_command->setMaximumHeight(m_command->fontMetrics().lineSpacing() * 3 + 12);
    m_command->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_copy->setObjectName(u"copyCommandButton"_s);
    m_copy->setText(tr("Copy command"));
    m_version->setObjectName(u"runVersion"_s);
    m_seed->setObjectName(u"runSeed"_s);
    m_version->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_seed->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_endpoint = new QLabel(this);
    m_endpoint->setObjectName(u"runEndpoint"_s);
    m_endpoint->setWordWrap(true);
    m_endpoint->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *detail = new QWidget(this);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 6, 0, 0);
    detailLayout->addWidget(m_title);
    auto *form = new QFormLayout;
    auto *commandRow = new QHBoxLayout;
    commandRow->addWidget(m_command, 1);
    commandRow->addWidget(m_copy, 0, Qt::AlignTop);
    form->addRow(tr("Command:"), commandRow);
    form->addRow(tr("Version:"), m_version);
    form->addRow(tr("Seed:"), m_seed);
    form->addRow(tr("Endpoint:"), m_endpoint);
    detailLayout->addLayout(form);
    detailLayout->addWidget(new QLabel(tr("Resolved config:"), detail));
    detailLayout->addWidget(m_config, 1);

    m_detailTabs->setObjectName(u"runDetailTabs"_s);
    m_detailTabs->setDocumentMode(true);
    m_detailTabs->addTab(detail, tr("Command and config"));
    m_detailTabs->addTab(m_monitorPanel, tr("Monitor"));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(u"runsSplitter"_s);
    split->addWidget(m_table);
    split->addWidget(m_detailTabs);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setChildrenCollapsible(false);

    m_pages->addWidget(m_empty);
    m_pages->addWidget(split);

    m_refresh->setObjectName(u"refreshRunsAction"_s);
    m_refresh->setText(tr("&Refresh Runs"));
    m_refresh->setShortcut(QKeySequence::Refresh);
    // Window-wide, but Qt only fires it while the panel is visible (its tab is current).
    m_refresh->setShortcutContext(Qt::WindowShortcut);
    addAction(m_refresh);
    auto *refreshButton = new QPushButton(tr("Refresh"), this);
    refreshButton->setObjectName(u"refreshRunsButton"_s);
    refreshButton->setToolTip(tr("Re-read the runs (%1); they also refresh every %2 s while shown.")
                                  .arg(m_refresh->shortcut().toString(QKeySequence::NativeText))
                                  .arg(kRefreshIntervalMs / 1000));
    const QList<std::tuple<QAction *, QString, QString, QString>> actions = {
        {m_resume, u"resumeRunAction"_s, tr("&Resume"),
         tr("Drive the selected run here: exactly its items not yet answered (or, while another process "
            "runs it paused, let that go on).")},
        {m_pause, u"pauseRunAction"_s, tr("&Pause"),
         tr("Send nothing new for the selected run, wherever it is driven (this window or a terminal).")},
        {m_retry, u"retryFailedAction"_s, tr("Retry &failed"), tr("Send the failed items of the run again, only those.")},
        {m_cancel, u"cancelRunAction"_s, tr("&Cancel"),
         tr("Stop the run wherever it is driven; committed answers are kept, the rest stays pending.")},
        {m_duplicate, u"duplicateRunAction"_s, tr("&Duplicate"),
         tr("Plan the same command again as a new run (a new name), and show its plan before sending.")},
        {m_toComposer, u"openInComposerAction"_s, tr("Open in c&omposer"),
         tr("Load the run's command into the composer to change and launch it.")},
    };
    auto *top = new QHBoxLayout;
    auto *heading = new QLabel(tr("Runs stored in this project, from this window or the <code>anthology</code> "
                                  "command line"),
                               this);
    top->addWidget(heading, 1);
    for (const auto &[action, name, text, tip] : actions) {
        action->setObjectName(name);
        action->setText(text);
        action->setToolTip(tip);
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setObjectName(name + u"Button"_s);
        top->addWidget(button);
    }
    top->addSpacing(8);
    top->addWidget(refreshButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_pages, 1);

    m_timer->setInterval(kRefreshIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &RunsPanel::reloadInBackground);
    connect(m_refresh, &QAction::triggered, this, &RunsPanel::reload);
    connect(refreshButton, &QPushButton::clicked, this, &RunsPanel::reload);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RunsPanel::showCurrent);
    connect(m_copy, &QPushButton::clicked, this, [this]() {
        QApplication::clipboard()->setText(m_command->toPlainText());
        Q_EMIT message(tr("Copied the command of run %1.").arg(selectedRunId()), false);
    });
    connect(m_resume, &QAction::triggered, this, [this] {
        m_detailTabs->setCurrentWidget(m_monitorPanel);
        m_monitorPanel->resumeRun(selectedRunId());
    });
    connect(m_retry, &QAction::triggered, this, [this] {
        m_detailTabs->setCurrentWidget(m_monitorPanel);
        m_monitorPanel->retryFailed(selectedRunId());
    });
    connect(m_cancel, &QAction::triggered, this, [this] { m_monitorPanel->cancelRun(selectedRunId()); });
    connect(m_pause, &QAction::triggered, this, [this] { m_monitorPanel->pauseRun(selectedRunId()); });
    connect(m_duplicate, &QAction::triggered, this, &RunsPanel::duplicateSelected);
    connect(m_toComposer, &QAction::triggered, this, [this] {
        if (const std::optional<QStringList> args = selectedArguments())
            Q_EMIT openInComposerRequested(*args);
    });
    connect(m_monitorPanel, &RunMonitorPanel::message, this, &RunsPanel::message);
    connect(m_monitorPanel, &RunMonitorPanel::runChanged, this, [this](qint64 runId) {
        reload();
        selectRun(runId);
    });
    updatePage();
    showCurrent();
}

RunsPanel::~RunsPanel() = default;

void RunsPanel::launch(const QStringList &arguments)
{
    m_monitorShown = true; // shown even while the project has no run yet (the refusal, the plan)
    updatePage();
    m_detailTabs->setCurrentWidget(m_monitorPanel);
    m_monitorPanel->launch(arguments);
}

bool RunsPanel::confirmClose()
{
    if (m_monitorPanel->isRunning())
        m_detailTabs->setCurrentWidget(m_monitorPanel);
    return m_monitorPanel->confirmClose();
}

std::optional<QStringList> RunsPanel::selectedArguments() const
{
    const int row = m_model->rowOfRun(selectedRunId());
    const RunInfo *run = m_model->runAt(row);
    if (!run)
        return std::nullopt;
    const std::optional<RunInvocation> invocation = RunInvocation::of(*run);
    if (!invocation)
        return std::nullopt;
    return StepLaunch::withoutProject(invocation->arguments);
}

void RunsPanel::duplicateSelected()
{
    const int row = m_model->rowOfRun(selectedRunId());
    const RunInfo *run = m_model->runAt(row);
    const std::optional<QStringList> args = selectedArguments();
    if (!run || !args)
        return;
    // A name no run of the project has yet: "<name> (2)", "(3)", ...
    QString name;
    for (int n = 2;; ++n) {
        name = u"%1 (%2)"_s.arg(run->name).arg(n);
        bool taken = false;
        for (int r = 0; r < m_model->rowCount() && !taken; ++r)
            taken = m_model->runAt(r)->name == name;
        if (!taken)
            break;
    }
    Result<QStringList> renamed = StepLaunch::withRunName(*args, name);
    if (!renamed) {
        Q_EMIT message(renamed.error().toString(), true);
        return;
    }
    launch(*renamed);
}

void RunsPanel::updateActions()
{
    const int row = m_model->rowOfRun(selectedRunId());
    const RunInfo *run = m_model->runAt(row);
    const RunCounts *counts = m_model->countsAt(row);
    const bool writable = m_session && !m_session->isReadOnly();
    const std::optional<RunStatus> status = run ? runStatusFromName(run->status) : std::nullopt;
    const bool finished = status == RunStatus::Completed;
    const bool live = status == RunStatus::Running;
    const bool cancelled = status == RunStatus::Cancelled;
    m_resume->setEnabled(writable && run && !finished);
    m_pause->setEnabled(writable && live);
    m_retry->setEnabled(writable && run && counts && counts->failed > 0 && !live);
    m_cancel->setEnabled(writable && run && !finished && !cancelled);
    const std::optional<RunInvocation> invocation = run ? RunInvocation::of(*run) : std::nullopt;
    const bool launchable =
        invocation && StepLaunch::withRunName(StepLaunch::withoutProject(invocation->arguments), u"x"_s).ok();
    m_duplicate->setEnabled(writable && launchable);
    m_toComposer->setEnabled(launchable);
}

void RunsPanel::setSession(ProjectSession *session)
{
    m_session = session;
    m_monitorShown = false;
    m_monitorPanel->setSession(session);
    m_lastError.clear();
    m_model->clear();
    reload();
    updatePage();
    showCurrent();
}

void RunsPanel::reload()
{
    if (m_session)
        showRows(RunListModel::read(m_session->runReader()));
}

void RunsPanel::reloadInBackground()
{
    if (!m_session)
        return;
    m_reader->read(m_session->path(), [this](RunListReader::Rows rows) {
        if (m_session)
            showRows(std::move(rows));
    });
}

void RunsPanel::showRows(Result<QList<RunListModel::Row>> rows)
{
    const bool wasEmpty = m_proxy->rowCount() == 0;
    if (!rows) {
        // Once per distinct error: the timer would otherwise repeat it every two seconds.
        const QString text = tr("Could not read the runs: %1").arg(rows.error().toString());
        if (text != m_lastError)
            Q_EMIT message(text, true);
        m_lastError = text;
        return;
    }
    m_lastError.clear();
    m_model->apply(std::move(*rows));
    updatePage();
    if (wasEmpty && m_proxy->rowCount() > 0)
        m_table->selectRow(0);
    // Once per reload rather than on every row's dataChanged: the model changes only here.
    showCurrent();
}

void RunsPanel::selectRun(qint64 runId)
{
    const int row = m_model->rowOfRun(runId);
    if (row < 0)
        return;
    m_table->selectRow(m_proxy->mapFromSource(m_model->index(row, 0)).row());
}

qint64 RunsPanel::selectedRunId() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.data(RunListModel::RunIdRole).toLongLong() : 0;
}

void RunsPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    reload();
    m_timer->start();
}

void RunsPanel::hideEvent(QHideEvent *event)
{
    m_timer->stop();
    QWidget::hideEvent(event);
}

void RunsPanel::updatePage()
{
    m_pages->setCurrentIndex(m_model->rowCount() == 0 && !m_monitorShown ? 0 : 1);
}

void RunsPanel::showCurrent()
{
    const QModelIndex current = m_table->currentIndex();
    const int row = current.isValid() ? m_proxy->mapToSource(current).row() : -1;
    const RunInfo *run = m_model->runAt(row);
    updateActions();
    if (!run) {
        m_title->setText(tr("Select a run to see how to reproduce it."));
        setTextKept(m_command, {});
        setTextKept(m_config, {});
        m_version->clear();
        m_seed->clear();
        m_endpoint->clear();
        m_copy->setEnabled(false);
        return;
    }
    m_title->setText(tr("Run %1 · %2 · %3 · %4").arg(run->id).arg(run->name, run->kind, run->status));
    const std::optional<RunInvocation> invocation = RunInvocation::of(*run);
    m_copy->setEnabled(invocation.has_value());
    setTextKept(m_command, invocation ? invocation->commandLine(m_session ? m_session->path() : QString())
                                      : tr("(not recorded: this run was planned before commands were kept)"));
    m_version->setText(run->programVersion.isEmpty() ? tr("unknown") : run->programVersion);
    m_seed->setText(QString::number(run->seed));
    m_endpoint->setText(RunEndpoint::describe(RunEndpoint::of(run->config)));
    setTextKept(m_config, configText(run->config));
}

} // namespace anthology::ui
