#pragma once

#include <QObject>

#include <functional>
#include <memory>

class QThread;

namespace anthology {

class ProjectFile;
class RunStore;

// The single writer of a run: owns the project's read-write connection on a thread of its
// own and runs write jobs there one after another, so batched commits never block the
// engine's event loop and the connection is only ever used from one thread.
class RunWriter : public QObject
{
    Q_OBJECT

public:
    explicit RunWriter(std::unique_ptr<ProjectFile> project);
    ~RunWriter() override; // finishes the queued jobs, then closes the connection

    // Runs `job` on the writer thread, after every job posted before it.
    void post(std::function<void(RunStore &)> job);
    // Finishes the queued jobs and stops the thread; the connection is closed.
    void stop();

private:
    std::unique_ptr<ProjectFile> m_project;
    std::unique_ptr<RunStore> m_store;
    std::unique_ptr<QThread> m_thread;
};

} // namespace anthology
