#include "ProjectSession.h"

#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"
#include "run/RunStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLockFile>

using namespace Qt::StringLiterals;

namespace anthology::ui {

ProjectSession::~ProjectSession()
{
    // Stores refer to their connections: drop them first.
    m_runStore.reset();
    m_readerStore.reset();
    m_runsConnection.reset();
    m_reader.reset();
}

namespace {
// The live holder of the project's writer lock, empty when there is none. Only probes with
// tryLock when a lock file exists (to tell a live holder from a stale file), so opening a
// free project never takes the lock, not even for a moment the CLI could trip over.
QString lockHolder(const QString &path)
{
    QLockFile probe(path + u".lock"_s);
    probe.setStaleLockTime(0);
    qint64 pid = 0;
    QString host, app;
    if (!probe.getLockInfo(&pid, &host, &app))
        return {};
    if (probe.tryLock(0) || probe.error() != QLockFile::LockFailedError)
        return {};
    return u"%1 (process %2 on %3)"_s.arg(app.isEmpty() ? u"another program"_s : app).arg(pid).arg(host);
}

QString whyNotWritable(const QString &path)
{
    const QFileInfo file(path);
    if (!file.isWritable())
        return QCoreApplication::translate("ProjectSession", "the project file is not writable");
    if (!QFileInfo(file.absolutePath()).isWritable())
        return QCoreApplication::translate("ProjectSession", "the project's folder is not writable");
    return {};
}
} // namespace

Result<std::unique_ptr<ProjectSession>> ProjectSession::open(const QString &path)
{
    auto session = attach(path);
    if (session)
        return session;
    // Readers refuse an older schema; a writer opened once upgrades it. When that fails too
    // (a corrupt file, the lock held), the reader's reason is the one to show.
    if (!ProjectFile::open(path, ProjectFile::Mode::ReadWrite))
        return session.error();
    return attach(path);
}

Result<std::unique_ptr<ProjectSession>> ProjectSession::create(const QString &path)
{
    QString created;
    {
        auto writer = ProjectFile::create(path);
        if (!writer)
            return writer.error();
        created = (*writer)->path();
    }
    return attach(created);
}

Result<std::unique_ptr<ProjectSession>> ProjectSession::attach(const QString &path)
{
    auto reader = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
    if (!reader)
        return reader.error();
    auto runsConnection = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
    if (!runsConnection)
        return runsConnection.error();
    std::unique_ptr<ProjectSession> session(new ProjectSession);
    session->m_path = reader.value()->path();
    session->m_readOnlyReason = whyNotWritable(session->m_path);
    session->m_writerAtOpen = lockHolder(session->m_path);
    session->m_reader = std::move(reader).value();
    session->m_readerStore = std::make_unique<BackstoryStore>(*session->m_reader);
    session->m_runsConnection = std::move(runsConnection).value();
    session->m_runStore = std::make_unique<RunStore>(*session->m_runsConnection);
    return session;
}

Result<std::unique_ptr<ProjectFile>> ProjectSession::openWriter() const
{
    if (isReadOnly())
        return Error::user(m_readOnlyReason).withFile(m_path);
    return ProjectFile::open(m_path, ProjectFile::Mode::ReadWrite);
}

Result<std::unique_ptr<ProjectFile>> ProjectSession::openReader() const
{
    return ProjectFile::open(m_path, ProjectFile::Mode::ReadOnly);
}

QString ProjectSession::configDir() const
{
    const QFileInfo file(m_path);
    return file.absoluteDir().filePath(file.completeBaseName() + QStringLiteral("-configs"));
}

} // namespace anthology::ui
