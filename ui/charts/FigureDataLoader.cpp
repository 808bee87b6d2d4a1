#include "charts/FigureDataLoader.h"

#include "data/DatasetStore.h"
#include "pipeline/RunComparison.h"
#include "project/ProjectFile.h"
#include "run/RunAnswersCache.h"
#include "run/RunStore.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

QString idList(const QList<qint64> &ids)
{
    QStringList parts;
    for (qint64 id : ids)
        parts.append(QString::number(id));
    return parts.join(u',');
}

} // namespace

QString FigureRequest::cacheKey() const
{
    return QStringList{dataset,
                       idList(runIds),
                       options.subgroupVariable,
                       StudyReport::metricName(options.sortBy),
                       options.questions.join(u','),
                       QString::number(options.metrics.seed),
                       QString::number(options.metrics.splitHalfIterations)}
        .join(u'\x1f');
}

QStringList FigureRequest::commandLine(const QString &format, const QString &outputDir) const
{
    QStringList args{u"anthology"_s, u"figures"_s, u"--runs"_s, idList(runIds), u"--dataset"_s, dataset};
    if (!options.subgroupVariable.isEmpty())
        args << u"--subgroup"_s << options.subgroupVariable;
    args << u"--metric"_s << StudyReport::metricName(options.sortBy);
    if (!options.questions.isEmpty())
        args << u"--questions"_s << options.questions.join(u',');
    if (options.metrics.seed != 0)
        args << u"--seed"_s << QString::number(options.metrics.seed);
    if (options.metrics.splitHalfIterations != MetricsOptions().splitHalfIterations)
        args << u"--split-halves"_s << QString::number(options.metrics.splitHalfIterations);
    args << u"--format"_s << format << u"--output"_s << outputDir;
    return args;
}

Result<FigureData> FigureDataLoader::load(ProjectFile &project, const FigureRequest &request,
                                          RunAnswersCache *cache)
{
    if (request.runIds.isEmpty())
        return Error::user(u"choose at least one run"_s).withKey(u"runs"_s);
    // Without a caller's cache, one for this load: each run's answers and expectations then come
    // from one read of its final rows instead of two.
    RunAnswersCache local;
    RunAnswersCache &answers = cache ? *cache : local;
    FigureData data;
    data.dataset = request.dataset;
    RunStore store(project);
    QList<ComparedRun> compared;
    for (qint64 id : request.runIds) {
        Result<RunInfo> info = store.run(id);
        if (!info)
            return info.error();
        FigureRun run;
        run.runId = id;
        run.label = RunComparison::runLabel(id, info->name);
        Result<QHash<QString, ExpectedDistribution>> expected = answers.expected(project, id);
        if (!expected)
            return expected.error();
        run.expected = std::move(*expected);
        compared.append({run.label, id});
        data.runs.append(std::move(run));
    }
    Result<StudyResult> study =
        RunComparison::compute(project, request.dataset, compared, request.options, &answers);
    if (!study)
        return study.error();
    data.study = std::move(*study);
    data.subgroupTitle = request.options.subgroupVariable;
    if (!data.subgroupTitle.isEmpty()) {
        Result<Dataset> variable = DatasetStore(project).load(request.dataset, {request.options.subgroupVariable});
        if (variable) {
            const qsizetype c = variable->indexOf(request.options.subgroupVariable);
            if (c >= 0 && !variable->variable(c).label.isEmpty())
                data.subgroupTitle = variable->variable(c).label;
        }
    }
    return data;
}

} // namespace anthology::ui
