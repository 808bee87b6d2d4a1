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
    // Here, before the first keystroke, so the first search does not load the story lengths.
    // A failure only costs that first search the load: it reports its own errors.
    (void)m_store->prepareSearch();
}

void BackstorySearchWorker::search(quint64 generation, const QString &query)
{
    if (superseded(generation))
        return;
    if (!m_store) {
        Q_EMIT searched(generation, {}, 0, tr("No project is open."), true);
        return;
    }
    int total = 0;
    auto ids = m_store->searchIds(query, kMaxHits, SearchSyntax::Simple, &total);
    auto first = ids ? m_store->searchRows(query, ids->mid(0, kFirstRows))
                     : Result<QList<BackstorySummary>>(ids.error());
    if (!first) {
        Q_EMIT searched(generation, {}, 0, first.error().toString(), true);
        return;
    }
    Q_EMIT searched(generation, *first, total, QString(), ids->size() <= kFirstRows);
    for (qsizetype from = kFirstRows; from < ids->size(); from += kBatchRows) {
        if (superseded(generation))
            return;
        auto rows = m_store->searchRows(query, ids->mid(from, kBatchRows));
        const bool last = from + kBatchRows >= ids->size();
        // An error here (the index changed under the search) keeps the rows already shown.
        Q_EMIT moreFound(generation, rows ? *rows : QList<BackstorySummary>(), last || !rows);
        if (!rows)
            return;
    }
}

} // namespace anthology::ui
