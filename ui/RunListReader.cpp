#include "RunListReader.h"

#include "project/ProjectFile.h"
#include "run/RunStore.h"

#include <QThread>

using namespace Qt::StringLiterals;

namespace anthology::ui {

// Keeps the connection open between reads of the same project.
class RunListReader::Worker final : public QObject
{
public:
    RunListReader::Rows read(const QString &path)
    {
        if (!m_project || m_project->path() != path) {
            m_store.reset();
            m_project.reset();
            auto opened = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
            if (!opened)
                return opened.error();
            m_project = std::move(*opened);
            m_store = std::make_unique<RunStore>(*m_project);
        }
        return RunListModel::read(*m_store);
    }

private:
    std::unique_ptr<ProjectFile> m_project;
    std::unique_ptr<RunStore> m_store;
};

RunListReader::RunListReader(QObject *parent)
    : QObject(parent), m_thread(std::make_unique<QThread>()), m_worker(new Worker)
{
    m_thread->setObjectName(u"runs-list-reader"_s);
    m_worker->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
}

RunListReader::~RunListReader()
{
    m_thread->quit();
    m_thread->wait();
}

void RunListReader::read(const QString &path, std::function<void(Rows)> done)
{
    if (m_reading && path == m_path)
        return;
    m_reading = true;
    m_path = path;
    // The owner outlives every task: its destructor waits for the thread, and a result posted
    // to it after that is dropped with its pending events.
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, owner = this, path, done = std::move(done)]() mutable {
        Rows rows = worker->read(path);
        QMetaObject::invokeMethod(
            owner,
            [owner, path, rows = std::move(rows), done = std::move(done)]() mutable {
                if (owner->m_path != path)
                    return; // a read of another project has been asked since
                owner->m_reading = false;
                done(std::move(rows));
            },
            Qt::QueuedConnection);
    });
}

} // namespace anthology::ui
