#include "StudyArguments.h"

#include "CommandLine.h"

#include "pipeline/RunComparison.h"
#include "project/ProjectFile.h"
#include "run/RunStore.h"

using namespace Qt::StringLiterals;

namespace anthology::cli {

namespace {

Result<QList<qint64>> runIds(const QString &text)
{
    QList<qint64> ids;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 id = part.trimmed().toLongLong(&ok);
        if (!ok || id <= 0)
            return Error::user(u"--runs expects run ids separated by commas, got '%1'"_s.arg(part))
                .withKey(u"runs"_s);
        ids.append(id);
    }
    if (ids.isEmpty())
        return Error::user(u"--runs names no run"_s).withKey(u"runs"_s);
    return ids;
}

} // namespace

void addStudyOptions(CommandLine &cl, bool withRunsAndDataset)
{
    if (withRunsAndDataset) {
        cl.addOption(QCommandLineOption(u"runs"_s, u"Comma-separated run ids to compare."_s, u"ids"_s));
        cl.addOption(
            QCommandLineOption(u"dataset"_s, u"The data set holding the human answers."_s, u"name"_s));
    }
    cl.addOption(
        QCommandLineOption(u"subgroup"_s,
                           u"Also one table per value of this demographic variable (a persona's group is "
                           "its linked human's or qkey respondent's value, else its backstory attribute "
                           "of that name)."_s,
                           u"var"_s));
    cl.addOption(QCommandLineOption(u"metric"_s, u"Sort by emd (default) or tv."_s, u"emd|tv"_s, u"emd"_s));
    cl.addOption(QCommandLineOption(
        u"questions"_s, u"Comma-separated question ids (default: those every run answered)."_s, u"ids"_s));
    cl.addOption(QCommandLineOption(u"seed"_s, u"Seed of the split halves and bootstrap (default 0)."_s,
                                    u"n"_s, u"0"_s));
    cl.addOption(QCommandLineOption(u"split-halves"_s, u"Number of human split halves (default 20)."_s,
                                    u"n"_s, u"20"_s));
}

Result<QList<qint64>> studyRunIds(const CommandLine &cl)
{
    if (!cl.isSet(u"runs"_s) || !cl.isSet(u"dataset"_s))
        return Error::user(u"--runs and --dataset are required"_s);
    return runIds(cl.value(u"runs"_s));
}

Result<StudyOptions> studyOptions(const CommandLine &cl)
{
    StudyOptions options;
    bool ok1 = false, ok2 = false;
    options.metrics.seed = cl.value(u"seed"_s).toULongLong(&ok1);
    options.metrics.splitHalfIterations = cl.value(u"split-halves"_s).toInt(&ok2);
    if (!ok1)
        return Error::user(u"--seed expects a whole number"_s).withKey(u"seed"_s);
    if (!ok2 || options.metrics.splitHalfIterations < 0)
        return Error::user(u"--split-halves expects a whole number >= 0"_s).withKey(u"split-halves"_s);
    const QString metric = cl.value(u"metric"_s).toLower();
    if (metric == u"tv"_s || metric == u"total_variation"_s)
        options.sortBy = StudyMetric::TotalVariation;
    else if (metric != u"emd"_s)
        return Error::user(u"--metric expects emd or tv, got '%1'"_s.arg(metric)).withKey(u"metric"_s);
    for (const QString &q : cl.value(u"questions"_s).split(u',', Qt::SkipEmptyParts))
        options.questions.append(q.trimmed());
    options.subgroupVariable = cl.value(u"subgroup"_s);
    return options;
}

Result<StudyResult> computeStudy(const CommandLine &cl, const ProjectFile &project)
{
    Result<QList<qint64>> ids = studyRunIds(cl);
    if (!ids)
        return ids.error();
    Result<StudyOptions> parsed = studyOptions(cl);
    if (!parsed)
        return parsed.error();
    const StudyOptions &options = *parsed;

    // Reads only; these stores take a non-const project for their writes.
    ProjectFile &file = const_cast<ProjectFile &>(project);
    RunStore runs(file);
    QList<ComparedRun> compared;
    for (qint64 id : *ids) {
        Result<RunInfo> info = runs.run(id);
        if (!info)
            return info.error();
        compared.append({RunComparison::runLabel(id, info->name), id});
    }
    return RunComparison::compute(file, cl.value(u"dataset"_s), compared, options);
}

Result<StudyResult> computeStudy(const CommandLine &cl)
{
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return project.error();
    return computeStudy(cl, **project);
}

} // namespace anthology::cli
