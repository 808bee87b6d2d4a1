#include "ResultsWorker.h"

#include "data/Dataset.h"
#include "data/DatasetStore.h"
#include "data/DemographicMetadata.h"
#include "matching/MatchStore.h"
#include "matching/MatchSummary.h"
#include "pipeline/PersonaComposition.h"
#include "project/ProjectFile.h"
#include "run/RunAnswersCache.h"
#include "run/RunStore.h"

using namespace Qt::StringLiterals;

namespace anthology::ui {

ResultsWorker::ResultsWorker() : m_answers(std::make_unique<RunAnswersCache>()) {}
ResultsWorker::~ResultsWorker() = default;

ProjectFile *ResultsWorker::connection(const QString &path, QString &error)
{
    if (m_project && m_path == path)
        return m_project.get();
    m_answers->clear();
    m_project.reset();
    m_path.clear();
    auto opened = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
    if (!opened) {
        error = opened.error().toString();
        return nullptr;
    }
    m_project = std::move(*opened);
    m_path = path;
    return m_project.get();
}

void ResultsWorker::readCatalog(const QString &projectPath)
{
    ResultsCatalog catalog;
    catalog.projectPath = projectPath;
    ProjectFile *project = projectPath.isEmpty() ? nullptr : connection(projectPath, catalog.error);
    if (!project) {
        Q_EMIT catalogRead(catalog);
        return;
    }
    const DatasetStore store(*project);
    for (const DatasetInfo &info : store.list()) {
        ResultsCatalog::Dataset d;
        d.name = info.name;
        d.rows = info.rowCount;
        if (Result<Dataset> data = store.load(info.name); data) {
            const DemographicMetadata metadata = DemographicMetadata::detect(*data);
            QStringList first;
            for (DemographicRole role : DemographicMetadata::allRoles())
                if (metadata.has(role))
                    first.append(metadata.variable(role));
            for (const QString &name : first)
                d.subgroups.append({name, data->variable(data->indexOf(name)).label});
            for (const Variable &v : data->variables())
                if (v.hasValueLabels() && !first.contains(v.name) && v.name.startsWith(u"F_"_s))
                    d.subgroups.append({v.name, v.label});
        }
        catalog.datasets.append(d);
    }
    RunStore runs(*project);
    if (Result<QList<RunInfo>> all = runs.runs(); all) {
        for (const RunInfo &r : *all)
            if (r.kind == u"survey"_s)
                catalog.runs.append({r.id, r.name, r.status});
            else if (r.kind == u"demographics"_s)
                catalog.demographicsRuns.append({r.id, r.name, r.status});
    } else {
        catalog.error = all.error().toString();
    }
    if (Result<QList<MatchRecord>> matches = MatchStore(*project).list(); matches)
        for (const MatchRecord &m : *matches)
            catalog.matches.append({m.id, m.name, m.method});
    Q_EMIT catalogRead(catalog);
}

void ResultsWorker::compute(quint64 ticket, const QString &projectPath, const FigureRequest &request)
{
    QString error;
    ProjectFile *project = connection(projectPath, error);
    if (!project) {
        Q_EMIT failed(ticket, request.cacheKey(), error);
        return;
    }
    Result<FigureData> data = FigureDataLoader::load(*project, request, m_answers.get());
    if (!data) {
        Q_EMIT failed(ticket, request.cacheKey(), data.error().toString());
        return;
    }
    Q_EMIT computed(ticket, request.cacheKey(), std::make_shared<const FigureData>(std::move(*data)));
}

void ResultsWorker::composePersonas(quint64 ticket, const QString &projectPath, qint64 runId, const QString &dataset)
{
    QString error;
    ProjectFile *project = connection(projectPath, error);
    if (!project) {
        Q_EMIT personasComposed(ticket, nullptr, error);
        return;
    }
    Result<QList<TraitComposition>> traits = PersonaComposition::compute(*project, runId, dataset);
    if (!traits) {
        Q_EMIT personasComposed(ticket, nullptr, traits.error().toString());
        return;
    }
    Q_EMIT personasComposed(ticket, std::make_shared<const QList<TraitComposition>>(std::move(*traits)), {});
}

void ResultsWorker::summarizeMatch(quint64 ticket, const QString &projectPath, qint64 matchId)
{
    QString error;
    ProjectFile *project = connection(projectPath, error);
    if (!project) {
        Q_EMIT matchSummarized(ticket, nullptr, error);
        return;
    }
    Result<MatchWeights> match = MatchSummary::compute(*project, matchId);
    if (!match) {
        Q_EMIT matchSummarized(ticket, nullptr, match.error().toString());
        return;
    }
    Q_EMIT matchSummarized(ticket, std::make_shared<const MatchWeights>(std::move(*match)), {});
}

} // namespace anthology::ui
