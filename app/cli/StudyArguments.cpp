#include "StudyArguments.h"

#include "CommandLine.h"

#include "backstories/BackstoryStore.h"
#include "data/DatasetStore.h"
#include "project/ProjectFile.h"
#include "run/RunAnswers.h"
#include "run/RunStore.h"

#include <QJsonObject>

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

// The persona's backstory attribute named `variable`, compared case-insensitively.
QString attributeOf(const BackstoryStore &store, const QString &uid, const QString &variable)
{
    const std::optional<Backstory> b = store.get(uid);
    if (!b)
        return {};
    for (auto it = b->attributes.begin(); it != b->attributes.end(); ++it) {
        if (it.key().compare(variable, Qt::CaseInsensitive) != 0)
            continue;
        if (it.value().isDouble())
            return QString::number(it.value().toDouble(), 'g', 15);
        return it.value().toString().trimmed();
    }
    return {};
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
                           "its backstory attribute of that name)."_s,
                           u"var"_s));
    cl.addOption(QCommandLineOption(u"metric"_s, u"Sort by emd (default) or tv."_s, u"emd|tv"_s, u"emd"_s));
    cl.addOption(QCommandLineOption(
        u"questions"_s, u"Comma-separated question ids (default: those every run answered)."_s, u"ids"_s));
    cl.addOption(QCommandLineOption(u"seed"_s, u"Seed of the split halves and bootstrap (default 0)."_s,
                                    u"n"_s, u"0"_s));
    cl.addOption(QCommandLineOption(u"split-halves"_s, u"Number of human split halves (default 20)."_s,
                                    u"n"_s, u"20"_s));
}

Result<StudyResult> computeStudy(const CommandLine &cl, const ProjectFile &project)
{
    if (!cl.isSet(u"runs"_s) || !cl.isSet(u"dataset"_s))
        return Error::user(u"--runs and --dataset are required"_s);
    Result<QList<qint64>> ids = runIds(cl.value(u"runs"_s));
    if (!ids)
        return ids.error();
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

    // Reads only; these stores take a non-const project for their writes.
    ProjectFile &file = const_cast<ProjectFile &>(project);
    RunStore runs(file);
    BackstoryStore backstories(file);
    QList<StudyRunInput> inputs;
    QStringList variables = options.questions;
    for (qint64 id : *ids) {
        Result<RunInfo> info = runs.run(id);
        if (!info)
            return info.error();
        Result<ModelAnswers> answers = RunAnswers::load(project, id);
        if (!answers)
            return answers.error();
        if (answers->personas().isEmpty())
            return Error::user(u"run %1 has no answers yet"_s.arg(id));
        if (!options.subgroupVariable.isEmpty()) {
            bool any = false;
            for (qsizetype p = 0; p < answers->personas().size(); ++p) {
                const QString group =
                    attributeOf(backstories, answers->personas()[p], options.subgroupVariable);
                any = any || !group.isEmpty();
                answers->setGroup(p, group);
            }
            if (!any)
                return Error::user(u"--subgroup %1: no persona of run %2 has a backstory attribute %1 (its "
                                   "matched human's value)"_s.arg(options.subgroupVariable)
                                       .arg(id))
                    .withKey(u"subgroup"_s);
        }
        for (const QString &q : answers->questions())
            if (!variables.contains(q))
                variables.append(q);
        inputs.append({u"run %1 (%2)"_s.arg(id).arg(info->name), std::move(*answers)});
    }
    if (!options.subgroupVariable.isEmpty())
        variables.append(options.subgroupVariable);
    Result<Dataset> dataset = DatasetStore(file).load(cl.value(u"dataset"_s), variables);
    if (!dataset)
        return dataset.error();
    return StudyReport::compute(*dataset, inputs, options);
}

} // namespace anthology::cli
