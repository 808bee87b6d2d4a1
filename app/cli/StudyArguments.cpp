#include "StudyArguments.h"

#include "CommandLine.h"

#include "analysis/ComparisonBuilder.h"
#include "analysis/ModelAnswers.h"
#include "backstories/BackstoryStore.h"
#include "data/Dataset.h"
#include "data/DatasetStore.h"
#include "pipeline/LinkedHumans.h"
#include "pipeline/RespondentTraits.h"
#include "project/ProjectFile.h"
#include "run/RunAnswers.h"
#include "run/RunStore.h"

#include <QHash>
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

// A persona's backstory attribute named `variable`, compared case-insensitively.
QString attributeOf(const Backstory &b, const QString &variable)
{
    for (auto it = b.attributes.begin(); it != b.attributes.end(); ++it) {
        if (it.key().compare(variable, Qt::CaseInsensitive) != 0)
            continue;
        if (it.value().isDouble())
            return QString::number(it.value().toDouble(), 'g', 15);
        return it.value().toString().trimmed();
    }
    return {};
}

// Who a persona of a run stands for, for --subgroup: a run over a matched or respondents
// persona set groups a persona by its linked human; a backstory with a qkey attribute (a
// demographics-primed one) by the respondent of that key; any other by its backstory
// attribute named like the variable (its matched human's value, set by whoever imported it).
class PersonaGroups
{
public:
    PersonaGroups(ProjectFile &project, const Dataset &dataset, const QString &variable)
        : m_project(project), m_backstories(project), m_dataset(dataset), m_variable(variable),
          m_column(dataset.indexOf(variable))
    {
        for (qsizetype r = 0; r < dataset.rowCount(); ++r)
            m_rowOfKey.insert(RespondentTraits::humanKeyOf(dataset, r), r);
    }

    Status assign(qint64 runId, ModelAnswers &answers) const
    {
        Result<bool> linked = LinkedHumans::isLinked(m_project, runId);
        if (!linked)
            return linked.error();
        if (*linked)
            return LinkedHumans::assignGroups(m_project, runId, m_dataset, m_variable, answers);
        bool any = false;
        for (qsizetype p = 0; p < answers.personas().size(); ++p) {
            const QString group = groupOf(answers.personas()[p]);
            any = any || !group.isEmpty();
            answers.setGroup(p, group);
        }
        if (!any)
            return Error::user(u"--subgroup %1: no persona of run %2 has a linked human, a qkey of the data "
                               "set or a backstory attribute %1 (its matched human's value)"_s.arg(m_variable)
                                   .arg(runId))
                .withKey(u"subgroup"_s);
        return {};
    }

private:
    QString groupOf(const QString &uid) const
    {
        const std::optional<Backstory> b = m_backstories.get(uid);
        if (!b)
            return {};
        const QString qkey = attributeOf(*b, u"qkey"_s);
        if (!qkey.isEmpty() && m_column >= 0) {
            // A data set without a key variable knows its respondents as row1, row2, ...
            auto row = m_rowOfKey.constFind(qkey);
            if (row == m_rowOfKey.constEnd())
                row = m_rowOfKey.constFind(u"row"_s + qkey);
            if (row != m_rowOfKey.constEnd())
                return ComparisonBuilder::groupLabel(m_dataset, m_column, *row);
        }
        return attributeOf(*b, m_variable);
    }

    ProjectFile &m_project;
    BackstoryStore m_backstories;
    const Dataset &m_dataset;
    QString m_variable;
    qsizetype m_column;
    QHash<QString, qsizetype> m_rowOfKey;
};

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
    QList<StudyRunInput> inputs;
    QList<qint64> inputRuns;
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
        for (const QString &q : answers->questions())
            if (!variables.contains(q))
                variables.append(q);
        inputs.append({u"run %1 (%2)"_s.arg(id).arg(info->name), std::move(*answers)});
        inputRuns.append(id);
    }
    if (!options.subgroupVariable.isEmpty())
        variables.append(options.subgroupVariable);
    Result<Dataset> dataset = DatasetStore(file).load(cl.value(u"dataset"_s), variables);
    if (!dataset)
        return dataset.error();
    if (!options.subgroupVariable.isEmpty()) {
        const PersonaGroups groups(file, *dataset, options.subgroupVariable);
        for (qsizetype i = 0; i < inputs.size(); ++i)
            if (Status st = groups.assign(inputRuns[i], inputs[i].answers); !st)
                return st.error();
    }
    return StudyReport::compute(*dataset, inputs, options);
}

Result<StudyResult> computeStudy(const CommandLine &cl)
{
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return project.error();
    return computeStudy(cl, **project);
}

} // namespace anthology::cli
