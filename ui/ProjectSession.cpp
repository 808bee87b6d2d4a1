#include "ProjectSession.h"

#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"
#include "run/RunStore.h"

#include <QLockFile>

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

namespace {
// True when another live process (or another connection of this one) holds the project's
// writer lock, as opposed to a writer open failing for any other reason.
bool lockedByAnother(const QString &path)
{
    QLockFile probe(path + QStringLiteral(".lock"));
    probe.setStaleLockTime(0);
    return !probe.tryLock(0) && probe.error() == QLockFile::LockFailedError;
}
} // namespace

Result<std::unique_ptr<ProjectSession>> ProjectSession::open(const QString &path)
{
    auto writer = ProjectFile::open(path, ProjectFile::Mode::ReadWrite);
    if (writer)
        return attach(path, std::move(writer).value());
    if (!lockedByAnother(path))
        return writer.error();
    auto session = attach(path, nullptr);
    if (session)
        (*session)->m_readOnlyReason = writer.error().message;
    return session;
}

Result<std::unique_ptr<ProjectSession>> ProjectSession::create(const QString &path)
{
    auto writer = ProjectFile::create(path);
    if (!writer)
        return writer.error();
    const QString created = (*writer)->path();
    return attach(created, std::move(writer).value());
}

Result<std::unique_ptr<ProjectSession>> ProjectSession::attach(const QString &path,
                                                               std::unique_ptr<ProjectFile> writer)
{
    auto reader = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
    if (!reader)
        return reader.error();
    auto runsConnection = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
    if (!runsConnection)
        return runsConnection.error();
    std::unique_ptr<ProjectSession> session(new ProjectSession);
    session->m_path = writer ? writer->path() : reader.value()->path();
    session->m_writer = std::move(writer);
    session->m_reader = std::move(reader).value();
    if (session->m_writer)
        session->m_writerStore = std::make_unique<BackstoryStore>(*session->m_writer);
    session->m_readerStore = std::make_unique<BackstoryStore>(*session->m_reader);
    session->m_runsConnection = std::move(runsConnection).value();
    session->m_runStore = std::make_unique<RunStore>(*session->m_runsConnection);
    return session;
}

} // namespace anthology::ui
