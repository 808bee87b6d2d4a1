#include "run/RunWriter.h"

#include "project/ProjectFile.h"
#include "run/RunStore.h"

#include <QThread>

namespace anthology {

RunWriter::RunWriter(std::unique_ptr<ProjectFile> project)
    : m_project(std::move(project)), m_store(std::make_unique<RunStore>(*m_project)),
      m_thread(std::make_unique<QThread>())
{
    // A run's commits must survive a power cut, not only a crash: fsync every batch.
    (void)m_project->exec("PRAGMA synchronous = FULL");
    (void)m_project->exec("PRAGMA wal_autocheckpoint = 4000");
    // 16 MiB of page cache instead of the connection's 64: the writer touches each answered row
    // once, and a cache that keeps growing with them cost it a third more CPU per answer (heap
    // growth and page faults), at 30,000 items and at 200,000 alike; the hot pages (the request
    // cache index, the tree's upper levels) fit.
    (void)m_project->exec("PRAGMA cache_size = -16384");
    // items.state's CHECK (state IN (...)) builds an ephemeral table on every execution of an
    // UPDATE that sets state, i.e. once per answer. This connection writes only the states
    // RunStore::commit names itself ('done', 'failed', new rows' default 'pending'), so its
    // statements are compiled without CHECK constraints; every other connection keeps them.
    (void)m_project->exec("PRAGMA ignore_check_constraints = ON");
    m_thread->setObjectName(QStringLiteral("run-writer"));
    moveToThread(m_thread.get());
    m_thread->start();
}

RunWriter::~RunWriter()
{
    stop();
}

void RunWriter::post(std::function<void(RunStore &)> job)
{
    QMetaObject::invokeMethod(
        this, [this, job = std::move(job)] { job(*m_store); }, Qt::QueuedConnection);
}

void RunWriter::stop()
{
    if (!m_thread || !m_thread->isRunning())
        return;
    // Queued after every job already posted, so they all run first.
    QMetaObject::invokeMethod(
        this, [this] { m_thread->quit(); }, Qt::QueuedConnection);
    m_thread->wait();
    m_store.reset();
    m_project.reset();
}

} // namespace anthology
