#pragma once

#include "pipeline/RunController.h"
#include "pipeline/RunEstimate.h"
#include "pipeline/StepLaunch.h"

#include <QPointer>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QLabel;
class QStackedWidget;

namespace anthology::ui {

class BackgroundJob;
class MessageBanner;
class PlanSummaryView;
class ProjectSession;
class RunMonitor;

// Runs driven from the window: a step command launched here (planned through core's
// StepLaunch, its plan summary shown before a single request), a stored run resumed, its
// failed items retried or the run cancelled. The run goes on a RunController's own thread; the
// monitor shows it live. Another process (`anthology run pause|resume|cancel`) controls a run
// driven here exactly as one driven by the CLI, and the reverse.
class RunMonitorPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunMonitorPanel)

public:
    enum class CloseChoice { PauseAndClose, KeepRunning, CancelAndClose };

    explicit RunMonitorPanel(QWidget *parent = nullptr);
    ~RunMonitorPanel() override;

    // The project whose runs are driven; a live run is paused durably first. Not owned.
    void setSession(ProjectSession *session);
    // Batching, timeouts and retries of the runs started here (tests use short retry delays).
    void setEngineOptions(const RunEngineOptions &options) { m_engineOptions = options; }

    bool isRunning() const { return m_controller && m_controller->isActive(); }
    bool isBusy() const; // a run live, a plan being prepared or shown
    qint64 activeRunId() const { return m_controller ? m_controller->runId() : 0; }
    RunController *controller() const { return m_controller.get(); }
    RunMonitor *monitor() const { return m_monitor; }
    PlanSummaryView *planSummary() const { return m_summary; }
    MessageBanner *banner() const { return m_banner; }
    qint64 plannedRunId() const { return m_stage ? m_stage->runId : 0; }

    // Closing the window: asks when a run is live (Pause and close / Keep running / Cancel run
    // and close) and returns whether the window may close.
    bool confirmClose();
    bool prepareClose(CloseChoice choice);

public Q_SLOTS:
    // A step command's arguments, exactly as the CLI takes them after the program name and
    // without --project (e.g. {"survey", "atp", "survey_config", "--config-dir", "/abs",
    // "personas=na_max/qa_mcq"}): refused inline with the CLI's words, or planned and its
    // summary shown with Start.
    void launch(const QStringList &arguments);
    void startPlanned();
    void discardPlan();
    void resumeRun(qint64 runId);
    void retryFailed(qint64 runId);
    void cancelRun(qint64 runId);
    // Pause a run wherever it is driven (here, or by another process through its marker file).
    void pauseRun(qint64 runId);

Q_SIGNALS:
    // A run was planned, started or ended here (the runs list re-reads and selects it).
    void runChanged(qint64 runId);
    void runFinished(const anthology::RunOutcome &outcome);
    void stepFinished(const QString &command, bool ok);
    void message(const QString &text, bool isError);

private:
    void prepareNextStage(bool showSummary);
    void onStagePrepared(const StudyStage &stage, const std::optional<RunEstimate> &estimate, bool showSummary);
    void drive(qint64 runId, const QString &title, const QString &profile);
    void onFinished(const RunOutcome &outcome);
    void fail(const QString &text);
    void endStep(bool ok, const QString &text);
    QString sessionPath() const;

    ProjectSession *m_session = nullptr;
    RunEngineOptions m_engineOptions;
    MessageBanner *m_banner;
    QStackedWidget *m_pages;
    QLabel *m_idle;
    PlanSummaryView *m_summary;
    RunMonitor *m_monitor;
    BackgroundJob *m_job;
    std::unique_ptr<RunController> m_controller;
    std::shared_ptr<StepLaunch> m_launch; // shared with the job preparing its next stage
    std::function<void(bool ok, const QString &error)> m_then; // what follows the running job
    bool m_lastOk = true;
    std::optional<StudyStage> m_stage;
    QString m_previousStatus;
};

} // namespace anthology::ui
