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
// connection, so the CLI can keep writing runs into the same file while the window watches.
class ProjectSession final
{
public:
    static Result<std::unique_ptr<ProjectSession>> open(const QString &path);
    static Result<std::unique_ptr<ProjectSession>> create(const QString &path);
    ~ProjectSession();
    ProjectSession(const ProjectSession &) = delete;
    ProjectSession &operator=(const ProjectSession &) = delete;

    QString path() const { return m_path; }
    ProjectFile &writer() { return *m_writer; }
    BackstoryStore &writerStore() { return *m_writerStore; }
    BackstoryStore &readerStore() { return *m_readerStore; }
    RunStore &runReader() { return *m_runStore; }

private:
    ProjectSession() = default;
    static Result<std::unique_ptr<ProjectSession>> attach(std::unique_ptr<ProjectFile> writer);

    QString m_path;
    std::unique_ptr<ProjectFile> m_writer;
    std::unique_ptr<ProjectFile> m_reader;
    std::unique_ptr<BackstoryStore> m_writerStore;
    std::unique_ptr<BackstoryStore> m_readerStore;
    std::unique_ptr<ProjectFile> m_runsConnection;
    std::unique_ptr<RunStore> m_runStore;
};

} // namespace anthology::ui
