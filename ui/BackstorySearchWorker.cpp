#include "BackstorySearchWorker.h"

#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"

namespace anthology::ui {

BackstorySearchWorker::BackstorySearchWorker() = default;

BackstorySearchWorker::~BackstorySearchWorker()
{
    m_store.reset();
    m_project.reset();
}

void BackstorySearchWorker::openProject(const QString &path)
{
    m_store.reset();
    m_project.reset();
    if (path.isEmpty())
        return;
    auto project = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
    if (!project)
        return;
    m_project = std::move(project).value();
    m_store = std::make_unique<BackstoryStore>(*m_project);
}

void BackstorySearchWorker::search(quint64 generation, const QString &query)
{
    if (!m_store) {
        Q_EMIT searched(generation, {}, 0, tr("No project is open."));
        return;
    }
    auto hits = m_store->search(query, kMaxHits);
    if (!hits) {
        Q_EMIT searched(generation, {}, 0, hits.error().toString());
        return;
    }
    int total = int(hits->size());
    if (total >= kMaxHits) {
        if (auto count = m_store->searchCount(query))
            total = *count;
    }
    Q_EMIT searched(generation, *hits, total, QString());
}

} // namespace anthology::ui
