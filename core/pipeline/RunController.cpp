#include "pipeline/RunController.h"

#include "llm/EndpointProfile.h"
#include "project/ProjectFile.h"
#include "run/GeneratePlan.h"
#include "run/RunItemBuilder.h"
#include "run/RunStore.h"

#include <QEventLoop>
#include <QFile>
#include <QLockFile>
#include <QThread>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace anthology {

QString RunOutcome::statusText() const
{
    if (error)
        return u"error: "_s + error->message;
    return runStatusName(status);
}

// Lives on the controller's thread: opens the project, holds the run's lock, owns the engine.
class RunController::Worker final : public QObject
{
public:
    Worker(RunController *controller, QString path, qint64 runId, RunDriveOptions options,
           std::unique_ptr<ProjectFile> project)
        : m_controller(controller), m_path(std::move(path)), m_runId(runId), m_options(std::move(options)),
          m_project(std::move(project))
    {
    }

    ~Worker() override { stopEngine(); }

    void run()
    {
        if (Status st = begin(); !st) {
            RunOutcome outcome;
            outcome.runId = m_runId;
            outcome.error = st.error();
            outcome.status = currentStatus();
            m_lock.reset();
            report(std::move(outcome));
        }
    }

    void cancel()
    {
        if (m_engine)
            m_engine->cancel();
    }

    // Stops the engine mid-run; what is committed stays, the rest is pending.
    void stopEngine()
    {
        m_engine.reset(); // its writer finishes the queued commits first
        m_reader.reset();
        m_lock.reset();
    }

private:
    Status begin()
    {
        if (!m_project) {
            Result<std::unique_ptr<ProjectFile>> opened = ProjectFile::open(m_path, ProjectFile::Mode::ReadWrite);
            if (!opened)
                return opened.error();
            m_project = std::move(*opened);
        }
        // Held while the run is driven: `run status` tells a live run from a killed one by it.
        m_lock = std::make_unique<QLockFile>(lockFile(m_path, m_runId));
        m_lock->setStaleLockTime(0);
        if (!m_lock->tryLock(2000))
            return Error::user(u"run %1 is being driven by another process"_s.arg(m_runId))
                .withFile(lockFile(m_path, m_runId));
        Result<RunInfo> info = RunStore(*m_project).run(m_runId);
        if (!info)
            return info.error();
        m_kind = info->kind;
        Result<LlmParameters> llm = RunItemBuilder::llmOf(*info);
        if (!llm)
            return llm.error();
        if (!m_options.profile.isEmpty()) {
            llm->apiProvider = m_options.profile;
            llm->baseUrl.clear();
        }
        Result<EndpointProfile> profile = EndpointProfile::fromParameters(*llm);
        if (!profile)
            return profile.error();
        RunEngineOptions engineOptions = m_options.engine;
        engineOptions.inFlight = inFlightFor(*info, m_options.inFlight);
        engineOptions.freshSamples = m_options.freshSamples || engineOptions.freshSamples;
        QFile::remove(controlFile(m_path, m_runId, u"cancel"_s));
        QFile::remove(controlFile(m_path, m_runId, u"pause"_s));

        m_engine = std::make_unique<RunEngine>(std::move(m_project), m_runId, *profile, engineOptions);
        connect(m_engine.get(), &RunEngine::progressChanged, this, [this](const RunProgress &p) {
            QMetaObject::invokeMethod(
                m_controller, [c = m_controller, p] { c->m_progress = p, Q_EMIT c->progressChanged(p); },
                Qt::QueuedConnection);
            if (p.failed != m_failedSeen)
                readFailures(p.failed);
        });
        connect(m_engine.get(), &RunEngine::finished, this, [this](const QString &status) { onFinished(status); },
                Qt::QueuedConnection); // after the engine's own finish() has returned
        if (Status st = m_engine->start(); !st) {
            m_engine.reset();
            return st;
        }
        QMetaObject::invokeMethod(
            m_controller, [c = m_controller] { Q_EMIT c->started(c->m_runId); }, Qt::QueuedConnection);
        return {};
    }

    void onFinished(const QString &engineStatus)
    {
        RunOutcome outcome;
        outcome.runId = m_runId;
        outcome.progress = m_engine->progress();
        outcome.stopReason = m_engine->stopReason();
        if (engineStatus.startsWith(u"error"_s))
            outcome.error = Error::internal(engineStatus.mid(engineStatus.indexOf(u':') + 1).trimmed());
        m_engine.reset();
        outcome.status = currentStatus();
        if (!outcome.error && m_kind == QLatin1StringView(GeneratePlan::kind)) {
            // Its stories become backstories (idempotent), whatever stopped the run.
            Result<std::unique_ptr<ProjectFile>> project = ProjectFile::open(m_path, ProjectFile::Mode::ReadWrite);
            Result<GenerateReport> report =
                project ? GenerateStep::materialise(**project, m_runId) : Result<GenerateReport>(project.error());
            if (report)
                outcome.backstories = *report;
            else
                outcome.error = report.error();
        }
        m_lock.reset();
        report(std::move(outcome));
    }

    // Read here, on the run's thread, so the window never waits on the project for them.
    void readFailures(qint64 failed)
    {
        if (!m_reader) {
            Result<std::unique_ptr<ProjectFile>> reader = ProjectFile::open(m_path, ProjectFile::Mode::ReadOnly);
            if (!reader)
                return;
            m_reader = std::move(*reader);
        }
        Result<QList<FailureGroup>> failures = RunFailures::of(*m_reader, m_runId);
        if (!failures)
            return;
        m_failedSeen = failed;
        QMetaObject::invokeMethod(
            m_controller, [c = m_controller, f = *failures] { Q_EMIT c->failuresChanged(f); },
            Qt::QueuedConnection);
    }

    RunStatus currentStatus() const
    {
        Result<std::unique_ptr<ProjectFile>> reader = ProjectFile::open(m_path, ProjectFile::Mode::ReadOnly);
        if (!reader)
            return RunStatus::Interrupted;
        Result<RunInfo> info = RunStore(**reader).run(m_runId);
        return info ? runStatusFromName(info->status).value_or(RunStatus::Interrupted) : RunStatus::Interrupted;
    }

    void report(RunOutcome outcome)
    {
        if (Result<std::unique_ptr<ProjectFile>> reader = ProjectFile::open(m_path, ProjectFile::Mode::ReadOnly)) {
            if (Result<QList<FailureGroup>> failures = RunFailures::of(**reader, m_runId))
                outcome.failures = *failures;
        }
        QMetaObject::invokeMethod(
            m_controller, [c = m_controller, outcome] { c->onWorkerFinished(outcome); }, Qt::QueuedConnection);
    }

    RunController *m_controller;
    QString m_path;
    qint64 m_runId;
    RunDriveOptions m_options;
    std::unique_ptr<ProjectFile> m_project;
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<RunEngine> m_engine;
    std::unique_ptr<ProjectFile> m_reader;
    qint64 m_failedSeen = 0;
    QString m_kind;
};

RunController::RunController(QString projectPath, qint64 runId, RunDriveOptions options, QObject *parent)
    : QObject(parent), m_projectPath(std::move(projectPath)), m_runId(runId), m_options(std::move(options))
{
    m_progress.runId = runId;
}

RunController::RunController(std::unique_ptr<ProjectFile> project, qint64 runId, RunDriveOptions options,
                             QObject *parent)
    : RunController(project->path(), runId, std::move(options), parent)
{
    m_project = std::move(project);
}

RunController::~RunController()
{
    if (m_active)
        stopPaused();
    shutdown();
}

void RunController::start()
{
    if (m_thread)
        return;
    m_active = true;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(u"run-%1"_s.arg(m_runId));
    m_worker = new Worker(this, m_projectPath, m_runId, m_options, std::move(m_project));
    m_worker->moveToThread(m_thread.get());
    m_thread->start();
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->run(); }, Qt::QueuedConnection);
}

void RunController::pause()
{
    QFile marker(controlFile(m_projectPath, m_runId, u"pause"_s));
    (void)marker.open(QIODevice::WriteOnly);
}

void RunController::resume()
{
    QFile::remove(controlFile(m_projectPath, m_runId, u"pause"_s));
}

void RunController::cancel()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->cancel(); }, Qt::QueuedConnection);
}

void RunController::stopPaused()
{
    if (!m_active || !m_worker)
        return;
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->stopEngine(); }, Qt::BlockingQueuedConnection);
    m_active = false;
    QFile::remove(controlFile(m_projectPath, m_runId, u"pause"_s));
    if (Result<std::unique_ptr<ProjectFile>> project = ProjectFile::open(m_projectPath, ProjectFile::Mode::ReadWrite)) {
        RunStore store(**project);
        Result<RunInfo> info = store.run(m_runId);
        if (info && info->status != runStatusName(RunStatus::Completed))
            (void)store.setStatus(m_runId, runStatusName(RunStatus::Paused));
    }
    shutdown();
}

void RunController::shutdown()
{
    if (!m_thread)
        return;
    if (m_worker) {
        QMetaObject::invokeMethod(m_worker, [w = m_worker] { delete w; }, Qt::BlockingQueuedConnection);
        m_worker = nullptr;
    }
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
}

void RunController::onWorkerFinished(const RunOutcome &outcome)
{
    m_active = false;
    m_progress = outcome.progress.runId ? outcome.progress : m_progress;
    shutdown();
    Q_EMIT finished(outcome);
}

RunOutcome RunController::drive(std::unique_ptr<ProjectFile> project, qint64 runId, const RunDriveOptions &options,
                                const std::function<void(const RunProgress &)> &onProgress,
                                const std::function<bool()> &interrupted)
{
    RunController controller(std::move(project), runId, options);
    RunOutcome result;
    QEventLoop loop;
    connect(&controller, &RunController::progressChanged, &loop, [&](const RunProgress &p) {
        if (onProgress)
            onProgress(p);
    });
    connect(&controller, &RunController::finished, &loop, [&](const RunOutcome &outcome) {
        result = outcome;
        loop.quit();
    });
    QTimer interruptPoll;
    if (interrupted) {
        connect(&interruptPoll, &QTimer::timeout, &loop, [&] {
            if (interrupted())
                controller.cancel();
        });
        interruptPoll.start(100);
    }
    controller.start();
    loop.exec();
    return result;
}

QString RunController::controlFile(const QString &projectPath, qint64 runId, const QString &what)
{
    return RunEngine::controlFile(projectPath, runId, what);
}

QString RunController::lockFile(const QString &projectPath, qint64 runId)
{
    return controlFile(projectPath, runId, u"lock"_s);
}

bool RunController::isHeld(const QString &projectPath, qint64 runId)
{
    if (!QFile::exists(lockFile(projectPath, runId)))
        return false;
    QLockFile lock(lockFile(projectPath, runId));
    lock.setStaleLockTime(0); // a live holder's lock never goes stale by age
    if (lock.tryLock(0)) {
        lock.unlock();
        return false;
    }
    return lock.error() == QLockFile::LockFailedError;
}

RunStatus RunController::effectiveStatus(const QString &projectPath, const RunInfo &info)
{
    const RunStatus stored = runStatusFromName(info.status).value_or(RunStatus::Interrupted);
    if (stored == RunStatus::Running && !isHeld(projectPath, info.id))
        return RunStatus::Interrupted;
    return stored;
}

QString RunController::effectiveStatusName(const QString &projectPath, const RunInfo &info)
{
    if (!runStatusFromName(info.status))
        return info.status; // a word of a newer program: shown as stored
    return runStatusName(effectiveStatus(projectPath, info));
}

Result<RunController::RequestResult> RunController::request(const QString &projectPath, qint64 runId, Request what)
{
    const QString marker = controlFile(projectPath, runId,
                                       what == Request::Cancel ? u"cancel"_s : u"pause"_s);
    if (isHeld(projectPath, runId)) {
        if (what == Request::Resume) {
            QFile::remove(marker);
        } else {
            QFile file(marker);
            if (!file.open(QIODevice::WriteOnly))
                return Error::user(u"cannot signal the running process: %1"_s.arg(file.errorString()))
                    .withFile(marker);
        }
        return RequestResult{true, what == Request::Pause ? RunStatus::Paused : RunStatus::Running};
    }
    // No process drives it: record the state directly.
    Result<std::unique_ptr<ProjectFile>> project = ProjectFile::open(projectPath, ProjectFile::Mode::ReadWrite);
    if (!project)
        return project.error();
    RunStore store(**project);
    Result<RunInfo> info = store.run(runId);
    if (!info)
        return info.error();
    QFile::remove(controlFile(projectPath, runId, u"pause"_s));
    QFile::remove(controlFile(projectPath, runId, u"cancel"_s));
    RunStatus status = effectiveStatus(projectPath, *info);
    if (what == Request::Cancel && status != RunStatus::Completed) {
        if (Status st = store.setStatus(runId, runStatusName(RunStatus::Cancelled)); !st)
            return st.error();
        status = RunStatus::Cancelled;
    }
    return RequestResult{false, status};
}

int RunController::inFlightFor(const RunInfo &info, std::optional<int> explicitInFlight)
{
    if (explicitInFlight)
        return qMax(1, *explicitInFlight);
    return RunItemBuilder::configuredInFlight(info).value_or(kDefaultInFlight);
}

Result<int> RunController::resetFailed(ProjectFile &project, qint64 runId)
{
    RunStore store(project);
    if (Result<RunInfo> info = store.run(runId); !info)
        return info.error();
    return store.resetFailed(runId);
}

} // namespace anthology
