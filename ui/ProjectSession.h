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

// One open project in the window: read-only connections only, one the table model pages
// through and one for the runs view, as DESIGN.md asks for readers on their own connections.
// The writer connection (and with it the single-writer lock) is opened for one edit, undo
// or import and closed right after, so the CLI can drive a run on a project the window
// shows; when the CLI holds the lock at that moment the write fails with its holder named.
// A session is read-only only when the file itself cannot be written by us.
class ProjectSession final
{
public:
    static Result<std::unique_ptr<ProjectSession>> open(const QString &path);
    static Result<std::unique_ptr<ProjectSession>> create(const QString &path);
    ~ProjectSession();
    ProjectSession(const ProjectSession &) = delete;
    ProjectSession &operator=(const ProjectSession &) = delete;

    QString path() const { return m_path; }
    // The config folder that travels with the project (NAME-configs beside the file): the
    // composer's questionnaires and the LLM profiles saved for this project.
    QString configDir() const;
    bool isReadOnly() const { return !m_readOnlyReason.isEmpty(); }
    // Why the session is read-only (the file or its folder is not writable), empty when not.
    QString readOnlyReason() const { return m_readOnlyReason; }
    // Who held the writer lock when the project was opened (the CLI driving a run), empty
    // when nobody did.
    QString writerAtOpen() const { return m_writerAtOpen; }
    // A writer connection for one write, holding the lock until it is destroyed: keep it
    // short-lived. Fails with the lock holder named when another writer is open.
    Result<std::unique_ptr<ProjectFile>> openWriter() const;
    // A fresh read-only connection of its own, e.g. for a job on another thread.
    Result<std::unique_ptr<ProjectFile>> openReader() const;
    BackstoryStore &readerStore() { return *m_readerStore; }
    RunStore &runReader() { return *m_runStore; }

private:
    ProjectSession() = default;
    static Result<std::unique_ptr<ProjectSession>> attach(const QString &path);

    QString m_path;
    QString m_readOnlyReason;
    QString m_writerAtOpen;
    std::unique_ptr<ProjectFile> m_reader;
    std::unique_ptr<BackstoryStore> m_readerStore;
    std::unique_ptr<ProjectFile> m_runsConnection;
    std::unique_ptr<RunStore> m_runStore;
};

} // namespace anthology::ui
