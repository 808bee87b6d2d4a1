#pragma once

#include "util/Result.h"

#include <QString>

#include <memory>

namespace anthology {
class BackstoryStore;
class ProjectFile;
class RunStore;
} // namespace anthology

namespace anthology::ui {

// One open project in the window: the writer connection (edits, imports) and a separate
// read-only connection that the table model pages through, as DESIGN.md asks for one writer
// and readers on their own connections. The runs view reads through a third read-only
// connection. A project that another program (the CLI driving a run) holds for writing opens
// read-only: no writer, so the window can watch the run without taking the lock from it.
class ProjectSession final
{
public:
    static Result<std::unique_ptr<ProjectSession>> open(const QString &path);
    static Result<std::unique_ptr<ProjectSession>> create(const QString &path);
    ~ProjectSession();
    ProjectSession(const ProjectSession &) = delete;
    ProjectSession &operator=(const ProjectSession &) = delete;

    QString path() const { return m_path; }
    bool isReadOnly() const { return !m_writer; }
    // Why the session is read-only (the lock holder), empty when it is not.
    QString readOnlyReason() const { return m_readOnlyReason; }
    // Only when !isReadOnly().
    ProjectFile &writer() { return *m_writer; }
    BackstoryStore &writerStore() { return *m_writerStore; }
    BackstoryStore &readerStore() { return *m_readerStore; }
    RunStore &runReader() { return *m_runStore; }

private:
    ProjectSession() = default;
    static Result<std::unique_ptr<ProjectSession>> attach(const QString &path,
                                                          std::unique_ptr<ProjectFile> writer);

    QString m_path;
    QString m_readOnlyReason;
    std::unique_ptr<ProjectFile> m_writer;
    std::unique_ptr<ProjectFile> m_reader;
    std::unique_ptr<BackstoryStore> m_writerStore;
    std::unique_ptr<BackstoryStore> m_readerStore;
    std::unique_ptr<ProjectFile> m_runsConnection;
    std::unique_ptr<RunStore> m_runStore;
};

} // namespace anthology::ui
