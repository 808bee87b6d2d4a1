#pragma once

#include "ResultsCatalog.h"
#include "charts/FigureDataLoader.h"

#include <QObject>

#include <memory>

namespace anthology {
class ProjectFile;
class RunAnswersCache;
struct TraitComposition;
struct MatchWeights;
}

namespace anthology::ui {

// Reads and computes for the Results tab on its own thread with its own read-only connection:
// the catalog (data sets, subgroup variables, runs) and FigureData for one selection. Results
// come back as queued signals tagged with the ticket of the request. The runs' answers stay in
// memory between selections while the runs are unchanged (a subgroup or question switch does not
// read them again).
class ResultsWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsWorker)

public:
    ResultsWorker();
    ~ResultsWorker() override;

public Q_SLOTS:
    void readCatalog(const QString &projectPath);
    void compute(quint64 ticket, const QString &projectPath, const anthology::ui::FigureRequest &request);
    void composePersonas(quint64 ticket, const QString &projectPath, qint64 runId, const QString &dataset);
    void summarizeMatch(quint64 ticket, const QString &projectPath, qint64 matchId);

Q_SIGNALS:
    void catalogRead(const anthology::ui::ResultsCatalog &catalog);
    void computed(quint64 ticket, const QString &key, std::shared_ptr<const anthology::ui::FigureData> data);
    void failed(quint64 ticket, const QString &key, const QString &error);
    // `traits` is null when `error` says why.
    void personasComposed(quint64 ticket, std::shared_ptr<const QList<anthology::TraitComposition>> traits,
                          const QString &error);
    void matchSummarized(quint64 ticket, std::shared_ptr<const anthology::MatchWeights> match, const QString &error);

private:
    ProjectFile *connection(const QString &path, QString &error);

    QString m_path;
    std::unique_ptr<ProjectFile> m_project;
    std::unique_ptr<RunAnswersCache> m_answers;
};

} // namespace anthology::ui

Q_DECLARE_METATYPE(anthology::ui::FigureRequest)
Q_DECLARE_METATYPE(std::shared_ptr<const anthology::ui::FigureData>)
Q_DECLARE_METATYPE(std::shared_ptr<const QList<anthology::TraitComposition>>)
Q_DECLARE_METATYPE(std::shared_ptr<const anthology::MatchWeights>)
