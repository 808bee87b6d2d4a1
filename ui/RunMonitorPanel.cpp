#include "RunMonitorPanel.h"

#include "BackgroundJob.h"
#include "MessageBanner.h"
#include "PlanSummaryView.h"
#include "ProjectSession.h"
#include "RunMonitor.h"
#include "pipeline/RunEstimate.h"
#include "project/ProjectFile.h"
#include "run/RunStore.h"

#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

QString shellWords(const QStringList &arguments)
{
    QStringList quoted;
    for (const QString &a : arguments) {
        static const QRegularExpression plain(u"^[A-Za-z0-9_./=:,+@%-]+$"_s);
        quoted.append(plain.match(a).hasMatch() ? a : u"'"_s + QString(a).replace(u"'"_s, u"'\\''"_s) + u"'"_s);
    }
    return u"anthology "_s + quoted.join(u' ');
}

} // namespace

RunMonitorPanel::RunMonitorPanel(QWidget *parent)
    : QWidget(parent), m_banner(new MessageBanner(this)), m_pages(new QStackedWidget(this)),
      m_idle(new QLabel(this)), m_summary(new PlanSummaryView(this)), m_monitor(new RunMonitor(this)),
      m_job(new BackgroundJob(this))
{
    setObjectName(u"runMonitorPanel"_s);
    m_banner->hide();
    m_idle->setObjectName(u"monitorIdle"_s);
    m_idle->setWordWrap(true);
    m_idle->setAlignment(Qt::AlignCenter);
    m_idle->setForegroundRole(QPalette::PlaceholderText);
    m_idle->setText(tr("No run is driven by this window. Launch one from the composer, or select a run "
                       "above and Resume it; a run started in a terminal is controlled from there."));
    m_pages->addWidget(m_idle);
    m_pages->addWidget(m_summary);
    m_pages->addWidget(m_monitor);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_banner);
    layout->addWidget(m_pages, 1);

    connect(m_summary, &PlanSummaryView::startRequested, this, &RunMonitorPanel::startPlanned);
    connect(m_summary, &PlanSummaryView::discardRequested, this, &RunMonitorPanel::discardPlan);
    connect(m_monitor, &RunMonitor::pauseRequested, this, [this] { pauseRun(m_monitor->runId()); });
    connect(m_monitor, &RunMonitor::resumeRequested, this, [this] { resumeRun(m_monitor->runId()); });
    connect(m_monitor, &RunMonitor::cancelRequested, this, [this] { cancelRun(m_monitor->runId()); });
    connect(m_monitor, &RunMonitor::retryFailedRequested, this, [this] { retryFailed(m_monitor->runId()); });
    connect(m_job, &BackgroundJob::finished, this, [this](const QString &, bool ok, const QString &error, bool) {
        if (auto then = std::exchange(m_then, {}))
            then(ok, error);
    });
}

RunMonitorPanel::~RunMonitorPanel()
{
    m_then = {};
    m_job->cancel();
    m_controller.reset(); // a live run is stopped and kept paused
}

void RunMonitorPanel::setSession(ProjectSession *session)
{
    if (m_controller && m_controller->isActive())
        m_controller->stopPaused();
    m_controller.reset();
    m_launch.reset();
    m_stage.reset();
    m_session = session;
    m_banner->dismiss();
    m_pages->setCurrentWidget(m_idle);
}

bool RunMonitorPanel::isBusy() const
{
    return isRunning() || m_job->isRunning() || m_pages->currentWidget() == m_summary;
}

QString RunMonitorPanel::sessionPath() const
{
    return m_session ? m_session->path() : QString();
}

void RunMonitorPanel::fail(const QString &text)
{
    m_banner->showMessage(text, MessageBanner::Level::Error);
    Q_EMIT message(text, true);
}

void RunMonitorPanel::endStep(bool ok, const QString &text)
{
    const QString command = m_launch ? m_launch->command() : QString();
    m_launch.reset();
    m_stage.reset();
    if (!text.isEmpty())
        m_banner->showMessage(text, ok ? MessageBanner::Level::Positive : MessageBanner::Level::Warning);
    if (m_pages->currentWidget() == m_summary)
        m_pages->setCurrentWidget(m_idle);
    if (!command.isEmpty())
        Q_EMIT stepFinished(command, ok);
}

void RunMonitorPanel::launch(const QStringList &arguments)
{
    if (!m_session) {
        fail(tr("Open a project to launch a run in."));
        return;
    }
    if (m_session->isReadOnly()) {
        fail(tr("This project is read-only here: %1").arg(m_session->readOnlyReason()));
        return;
    }
    if (isBusy()) {
        fail(tr("This window is already driving run %1; pause or cancel it first.").arg(activeRunId()));
        return;
    }
    QList<Error> warnings;
    Result<std::unique_ptr<StepLaunch>> parsed = StepLaunch::parse(arguments, &warnings);
    if (!parsed) {
        fail(parsed.error().toString());
        return;
    }
    m_launch = std::move(*parsed);
    m_previousStatus.clear();
    m_lastOk = true;
    m_banner->dismiss();
    if (!warnings.isEmpty()) {
        QStringList lines;
        for (const Error &w : std::as_const(warnings))
            lines.append(tr("warning: %1").arg(w.toString()));
        m_banner->showMessage(lines.join(u'\n'), MessageBanner::Level::Warning);
    }
    prepareNextStage(true);
}

// Plans (or finds) the next stage's run and works out its estimate on the job's thread.
void RunMonitorPanel::prepareNextStage(bool showSummary)
{
    struct Prepared
    {
        std::optional<StudyStage> stage;
        std::optional<RunEstimate> estimate;
        QString message;
    };
    auto prepared = std::make_shared<Prepared>();
    std::shared_ptr<StepLaunch> launch = m_launch;
    const QString path = sessionPath();
    const QString previous = m_previousStatus;
    m_then = [this, prepared, showSummary](bool ok, const QString &error) {
        if (!ok) {
            fail(error);
            endStep(false, {});
            return;
        }
        if (!prepared->stage) {
            const QString said = !prepared->message.isEmpty() ? prepared->message
                                                              : tr("%1 is done.").arg(m_launch->command());
            endStep(m_lastOk, said);
            return;
        }
        onStagePrepared(*prepared->stage, prepared->estimate, showSummary);
    };
    m_job->start(tr("Preparing %1").arg(launch->command()), [launch, path, previous, prepared](JobProgress &) -> Status {
        Result<std::unique_ptr<ProjectFile>> project = ProjectFile::open(path, ProjectFile::Mode::ReadWrite);
        if (!project)
            return project.error();
        Result<std::optional<StudyStage>> stage = launch->next(**project, previous);
        if (!stage)
            return stage.error();
        prepared->stage = *stage;
        prepared->message = launch->lastMessage();
        if (*stage && (*stage)->runId > 0) {
            Result<RunEstimate> estimate =
                RunEstimate::of(**project, (*stage)->runId, launch->inFlight(), launch->profileFor(**stage));
            if (!estimate)
                return estimate.error();
            prepared->estimate = *estimate;
        }
        return {};
    });
}

void RunMonitorPanel::onStagePrepared(const StudyStage &stage, const std::optional<RunEstimate> &estimate,
                                      bool showSummary)
{
    m_stage = stage;
    if (stage.runId > 0)
        Q_EMIT runChanged(stage.runId);
    if (stage.runId <= 0 || stage.status == runStatusName(RunStatus::Completed)) {
        // A match (no run), or a run of that name already complete: on to the next stage.
        m_previousStatus = runStatusName(RunStatus::Completed);
        prepareNextStage(showSummary);
        return;
    }
    if (showSummary && estimate) {
        m_summary->present(stage.runId, stage.what, shellWords(m_launch->arguments()), *estimate);
        m_pages->setCurrentWidget(m_summary);
        return;
    }
    drive(stage.runId, stage.what, m_launch->profileFor(stage));
}

void RunMonitorPanel::startPlanned()
{
    if (!m_stage || !m_launch)
        return;
    drive(m_stage->runId, m_stage->what, m_launch->profileFor(*m_stage));
}

void RunMonitorPanel::discardPlan()
{
    const qint64 runId = plannedRunId();
    endStep(false, tr("Run %1 stays planned; nothing was sent. Resume it from the list when you want.").arg(runId));
}

void RunMonitorPanel::drive(qint64 runId, const QString &title, const QString &profile)
{
    RunDriveOptions options;
    options.engine = m_engineOptions;
    if (m_launch) {
        options.inFlight = m_launch->inFlight();
        options.freshSamples = m_launch->freshSamples();
    }
    options.profile = profile;
    m_controller = std::make_unique<RunController>(sessionPath(), runId, options);
    RunController *controller = m_controller.get();
    connect(controller, &RunController::progressChanged, m_monitor, &RunMonitor::showProgress);
    connect(controller, &RunController::failuresChanged, m_monitor, &RunMonitor::showFailures);
    connect(controller, &RunController::finished, this, &RunMonitorPanel::onFinished);
    m_monitor->begin(runId, tr("Run %1 · %2").arg(runId).arg(title));
    m_pages->setCurrentWidget(m_monitor);
    controller->start();
    Q_EMIT runChanged(runId);
}

void RunMonitorPanel::onFinished(const RunOutcome &outcome)
{
    m_monitor->showOutcome(outcome);
    Q_EMIT runFinished(outcome);
    Q_EMIT runChanged(outcome.runId);
    if (outcome.error) {
        fail(tr("Run %1: %2").arg(outcome.runId).arg(outcome.error->toString()));
        endStep(false, {});
        return;
    }
    m_lastOk = m_lastOk && outcome.succeeded();
    if (!m_launch)
        return;
    if (outcome.status != RunStatus::Completed && outcome.status != RunStatus::Incomplete) {
        endStep(false, tr("Run %1 is %2; Resume continues it.").arg(outcome.runId).arg(outcome.statusText()));
        return;
    }
    m_previousStatus = runStatusName(outcome.status);
    prepareNextStage(false);
}

void RunMonitorPanel::resumeRun(qint64 runId)
{
    if (!m_session || runId <= 0)
        return;
    if (isRunning()) {
        if (m_controller->runId() == runId)
            m_controller->resume();
        else
            fail(tr("This window is already driving run %1; pause or cancel it first.").arg(activeRunId()));
        return;
    }
    if (RunController::isHeld(sessionPath(), runId)) {
        Result<RunController::RequestResult> asked =
            RunController::request(sessionPath(), runId, RunController::Request::Resume);
        if (!asked)
            fail(asked.error().toString());
        else
            m_banner->showMessage(tr("Run %1: resume requested from the process running it.").arg(runId),
                                  MessageBanner::Level::Information);
        return;
    }
    if (m_job->isRunning()) {
        fail(tr("This window is still preparing a run; resume when it is done."));
        return;
    }
    m_launch.reset();
    m_stage.reset();
    Result<RunInfo> info = m_session->runReader().run(runId);
    drive(runId, info ? info->name : QString(), {});
}

void RunMonitorPanel::retryFailed(qint64 runId)
{
    if (!m_session || runId <= 0)
        return;
    if (isRunning() || m_job->isRunning()) {
        fail(tr("This window is busy with run %1; retry when it has stopped.").arg(activeRunId()));
        return;
    }
    const QString path = sessionPath();
    auto reset = std::make_shared<int>(0);
    m_then = [this, runId, reset](bool ok, const QString &error) {
        if (!ok) {
            fail(error);
            return;
        }
        m_banner->showMessage(tr("Retrying %n failed item(s) of run %1.", nullptr, *reset).arg(runId),
                              MessageBanner::Level::Information);
        resumeRun(runId);
    };
    m_job->start(tr("Retry failed"), [path, runId, reset](JobProgress &) -> Status {
        Result<std::unique_ptr<ProjectFile>> project = ProjectFile::open(path, ProjectFile::Mode::ReadWrite);
        if (!project)
            return project.error();
        Result<int> n = RunController::resetFailed(**project, runId);
        if (!n)
            return n.error();
        *reset = *n;
        return {};
    });
}

void RunMonitorPanel::cancelRun(qint64 runId)
{
    if (!m_session || runId <= 0)
        return;
    if (isRunning() && m_controller->runId() == runId) {
        m_controller->cancel();
        return;
    }
    if (m_job->isRunning())
        return;
    const QString path = sessionPath();
    auto result = std::make_shared<RunController::RequestResult>();
    m_then = [this, runId, result](bool ok, const QString &error) {
        if (!ok) {
            fail(error);
            return;
        }
        m_banner->showMessage(result->running ? tr("Run %1: cancel requested from the process running it.").arg(runId)
                                              : tr("Run %1 is not running; marked cancelled.").arg(runId),
                              MessageBanner::Level::Information);
        Q_EMIT runChanged(runId);
    };
    m_job->start(tr("Cancel run"), [path, runId, result](JobProgress &) -> Status {
        Result<RunController::RequestResult> asked = RunController::request(path, runId, RunController::Request::Cancel);
        if (!asked)
            return asked.error();
        *result = *asked;
        return {};
    });
}

void RunMonitorPanel::pauseRun(qint64 runId)
{
    if (!m_session || runId <= 0)
        return;
    if (isRunning() && m_controller->runId() == runId) {
        m_controller->pause();
        return;
    }
    Result<RunController::RequestResult> asked =
        RunController::request(sessionPath(), runId, RunController::Request::Pause);
    if (!asked)
        fail(asked.error().toString());
    else if (asked->running)
        m_banner->showMessage(tr("Run %1: pause requested from the process running it.").arg(runId),
                              MessageBanner::Level::Information);
    else
        m_banner->showMessage(tr("Run %1 is not running.").arg(runId), MessageBanner::Level::Information);
}

bool RunMonitorPanel::confirmClose()
{
    if (!isRunning())
        return true;
    QMessageBox box(QMessageBox::Question, tr("A run is going"),
                    tr("Run %1 is being driven by this window.").arg(activeRunId()), QMessageBox::NoButton, this);
    box.setInformativeText(tr("Pause it (it resumes from the Runs tab or with 'anthology run resume'), keep the "
                              "window open, or cancel the run? Answers already stored are kept either way."));
    QPushButton *pause = box.addButton(tr("Pause and close"), QMessageBox::AcceptRole);
    QPushButton *keep = box.addButton(tr("Keep running"), QMessageBox::RejectRole);
    QPushButton *cancel = box.addButton(tr("Cancel run and close"), QMessageBox::DestructiveRole);
    box.setDefaultButton(pause);
    box.setEscapeButton(keep);
    box.exec();
    if (box.clickedButton() == cancel)
        return prepareClose(CloseChoice::CancelAndClose);
    if (box.clickedButton() == pause)
        return prepareClose(CloseChoice::PauseAndClose);
    return prepareClose(CloseChoice::KeepRunning);
}

bool RunMonitorPanel::prepareClose(CloseChoice choice)
{
    if (!isRunning() || choice == CloseChoice::KeepRunning)
        return choice != CloseChoice::KeepRunning || !isRunning();
    const qint64 runId = activeRunId();
    m_controller->stopPaused(); // durable: stored as paused, resumable
    if (choice == CloseChoice::CancelAndClose)
        (void)RunController::request(sessionPath(), runId, RunController::Request::Cancel);
    m_launch.reset();
    m_stage.reset();
    return true;
}

} // namespace anthology::ui
