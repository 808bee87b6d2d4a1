#include "ProjectSession.h"

#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"
#include "run/RunStore.h"

namespace anthology::ui {

ProjectSession::~ProjectSession()
{
    // Stores refer to their connections: drop them first.
    m_runStore.reset();
    m_readerStore.reset();
    m_writerStore.reset();
    m_runsConnection.reset();
    m_reader.reset();
    m_writer.reset();
}

Result<std::unique_ptr<ProjectSession>> ProjectSession::open(const QString &path)
{
    auto writer = ProjectFile::open(path, ProjectFile::Mode::ReadWrite);
    if (!writer)
        return writer.error();
    return attach(std::move(writer).value());
}

Result<std::unique_ptr<ProjectSession>> ProjectSession::create(const QString &path)
{
    auto writer = ProjectFile::create(path);
    if (!writer)
        return writer.error();
    return attach(std::move(writer).value());
}

Result<std::unique_ptr<ProjectSession>> ProjectSession::attach(std::unique_ptr<ProjectFile> writer)
{
    const QString path = writer->path();
    auto reader = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
    if (!reader)
        return reader.error();
    auto runsConnection = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
    if (!runsConnection)
        return runsConnection.error();
    std::unique_ptr<ProjectSession> session(new ProjectSession);
    session->m_path = path;
    session->m_writer = std::move(writer);
    session->m_reader = std::move(reader).value();
    session->m_writerStore = std::make_unique<BackstoryStore>(*session->m_writer);
    session->m_readerStore = std::make_unique<BackstoryStore>(*session->m_reader);
    session->m_runsConnection = std::move(runsConnection).value();
    session->m_runStore = std::make_unique<RunStore>(*session->m_runsConnection);
    return session;
}

} // namespace anthology::ui
