#pragma once

#include "backstories/BackstoryTypes.h"

#include <QList>
#include <QObject>

#include <atomic>
#include <memory>

namespace anthology {
class BackstoryStore;
class ProjectFile;
} // namespace anthology

namespace anthology::ui {

// Full-text search on its own thread and its own read-only connection, so typing in the
// search field never waits for SQLite. Each request carries a generation number; the
// browser ignores answers to queries the user has already typed past, and supersede() lets
// the worker drop such queries before or while it works on them. The best hits come first
// with the hit count (ranking is the costly part, their rows are few); the rows of the
// others follow in batches.
class BackstorySearchWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackstorySearchWorker)

public:
    static constexpr int kMaxHits = 5000;
    static constexpr int kFirstRows = 100;
    static constexpr int kBatchRows = 500;

    BackstorySearchWorker();
    ~BackstorySearchWorker() override;

    // Any thread: searches older than `generation` are no longer wanted.
    void supersede(quint64 generation) { m_latest.store(generation, std::memory_order_relaxed); }

public Q_SLOTS:
    void openProject(const QString &path);
    void search(quint64 generation, const QString &query);

Q_SIGNALS:
    // The first rows and the hit count; `complete` when no more rows follow.
    void searched(quint64 generation, const QList<anthology::BackstorySummary> &hits, int total,
                  const QString &errorText, bool complete);
    void moreFound(quint64 generation, const QList<anthology::BackstorySummary> &hits, bool complete);

private:
    bool superseded(quint64 generation) const
    {
        return generation < m_latest.load(std::memory_order_relaxed);
    }

    std::unique_ptr<ProjectFile> m_project;
    std::unique_ptr<BackstoryStore> m_store;
    std::atomic<quint64> m_latest{0};
};

} // namespace anthology::ui
