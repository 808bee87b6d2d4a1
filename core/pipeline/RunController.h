#pragma once

#include "pipeline/GenerateStep.h"
#include "run/RunEngine.h"
#include "run/RunFailures.h"
#include "run/RunStatus.h"
#include "run/RunTypes.h"
#include "util/Result.h"

#include <QObject>
#include <QString>

#include <memory>
#include <optional>

class QThread;

namespace anthology {

class ProjectFile;

// How to drive a stored run: everything else comes from the run itself.
struct RunDriveOptions
{
    std::optional<int> inFlight; // else the run's configured in-flight, else kDefaultInFlight
    bool freshSamples = false;   // never answer from the request cache
    QString profile;             // non-empty: this URL or provider instead of the run's own endpoint
    RunEngineOptions engine;     // batching, client retry and timeouts (inFlight/freshSamples above win)
};

// How a drive ended. `status` is what the run is now; `error` is set when the run could not
// start (nothing was sent) or stopped on a fault ("error: ..." from the engine).
struct RunOutcome
{
    qint64 runId = 0;
    RunStatus status = RunStatus::Interrupted;
    std::optional<Error> error;
    RunProgress progress;
    QList<FailureGroup> failures;
    std::optional<GenerateReport> backstories; // a generate run's stories, once they are backstories
    QString stopReason; // the engine paused the run itself (its endpoint was never reached): why

    // "completed", "incomplete", "cancelled", "paused", or "error: ..." (the CLI's words).
    QString statusText() const;
    // The run ended with every item answered (the CLI exits 0 only then).
    bool succeeded() const { return !error && status == RunStatus::Completed; }
};

// The lifecycle of one run, for both faces: the CLI drives a run with drive() and waits; the
// workbench starts a RunController and watches its signals. The engine runs on a thread of the
// controller's own, so the caller's thread never waits on SQLite or the network.
//
// Between processes the protocol is the one `anthology run pause|resume|cancel` speaks: marker
// files next to the project that the engine polls, and a per-run lock file the driving process
// holds, so a run stored as running with no holder is known to be interrupted (killed).
class RunController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunController)

public:
    // Requests in flight for a run whose config says nothing (and no explicit in-flight).
    static constexpr int kDefaultInFlight = 64;

    // Drives `runId` of the project at `projectPath`; the read-write connection is opened on the
    // controller's thread. With `project` (already open read-write), that connection is used.
    RunController(QString projectPath, qint64 runId, RunDriveOptions options = {}, QObject *parent = nullptr);
    RunController(std::unique_ptr<ProjectFile> project, qint64 runId, RunDriveOptions options = {},
                  QObject *parent = nullptr);
    // A live run stops here: what is committed stays, the run is stored as paused.
    ~RunController() override;

    qint64 runId() const { return m_runId; }
    QString projectPath() const { return m_projectPath; }
    // Starts the run; everything after (opening, refusals, the engine) reports through finished().
    void start();
    bool isActive() const { return m_active; }
    RunProgress progress() const { return m_progress; }

    // The same requests another process would make (the marker files), so a pause from here is
    // undone by `anthology run resume` and the reverse.
    void pause();
    void resume();
    void cancel();
    // Stops the run now and keeps it paused on disk (closing the window mid-run); blocks until
    // the committed answers are written.
    void stopPaused();

    // Drives a run to its end on the calling thread's event loop (the CLI): `onProgress` sees
    // every progress tick. SIGINT/SIGTERM are the caller's business (see cancel()).
    static RunOutcome drive(std::unique_ptr<ProjectFile> project, qint64 runId, const RunDriveOptions &options,
                            const std::function<void(const RunProgress &)> &onProgress = {},
                            const std::function<bool()> &interrupted = {});

    // --- between processes ---
    static QString controlFile(const QString &projectPath, qint64 runId, const QString &what);
    static QString lockFile(const QString &projectPath, qint64 runId);
    // Whether a live process is driving the run right now (this one included).
    static bool isHeld(const QString &projectPath, qint64 runId);
    // The status to show: a run stored as running that no process holds was interrupted.
    static RunStatus effectiveStatus(const QString &projectPath, const RunInfo &info);
    static QString effectiveStatusName(const QString &projectPath, const RunInfo &info);

    enum class Request { Pause, Resume, Cancel };
    struct RequestResult
    {
        bool running = false; // a process was driving the run and was asked
        RunStatus status = RunStatus::Planned;
    };
    // Pause, resume or cancel a run: asks the process driving it, or (none driving) records a
    // cancel in the project. Resume of a run no process drives reports running=false: the
    // caller drives it.
    static Result<RequestResult> request(const QString &projectPath, qint64 runId, Request what);

    // The in-flight count a drive uses: explicit, else the run's configured, else the default.
    static int inFlightFor(const RunInfo &info, std::optional<int> explicitInFlight);
    // Failed items back to pending, ready for a drive; returns how many.
    static Result<int> resetFailed(ProjectFile &project, qint64 runId);

Q_SIGNALS:
    void started(qint64 runId);
    void progressChanged(const anthology::RunProgress &progress);
    // The failed items by cause, each time the count of failed items changes.
    void failuresChanged(const QList<anthology::FailureGroup> &failures);
    void finished(const anthology::RunOutcome &outcome);

private:
    class Worker;
    void onWorkerFinished(const RunOutcome &outcome);
    void shutdown();

    QString m_projectPath;
    qint64 m_runId;
    RunDriveOptions m_options;
    std::unique_ptr<ProjectFile> m_project;
    std::unique_ptr<QThread> m_thread;
    Worker *m_worker = nullptr; // lives on m_thread
    RunProgress m_progress;
    bool m_active = false;
};

} // namespace anthology

Q_DECLARE_METATYPE(anthology::RunOutcome)
