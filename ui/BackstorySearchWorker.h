#pragma once

#include "backstories/BackstoryTypes.h"

#include <QList>
#include <QObject>

#include <memory>

namespace anthology {
class BackstoryStore;
class ProjectFile;
} // namespace anthology

namespace anthology::ui {

// Full-text search on its own thread and its own read-only connection, so typing in the
// search field never waits for SQLite. Each request carries a generation number; the
// browser ignores answers to queries the user has already typed past.
class BackstorySearchWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackstorySearchWorker)

public:
    static constexpr int kMaxHits = 5000;

    BackstorySearchWorker();
    ~BackstorySearchWorker() override;

public Q_SLOTS:
    void openProject(const QString &path);
    void search(quint64 generation, const QString &query);

Q_SIGNALS:
    void searched(quint64 generation, const QList<anthology::BackstorySummary> &hits, int total,
                  const QString &errorText);

private:
    std::unique_ptr<ProjectFile> m_project;
    std::unique_ptr<BackstoryStore> m_store;
};

} // namespace anthology::ui
