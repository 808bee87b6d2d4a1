#include "pipeline/RunComparison.h"

#include "analysis/ComparisonBuilder.h"
#include "analysis/ModelAnswers.h"
#include "backstories/BackstoryStore.h"
#include "data/Dataset.h"
#include "data/DatasetStore.h"
#include "pipeline/LinkedHumans.h"
#include "pipeline/RespondentTraits.h"
#include "project/ProjectFile.h"
#include "run/RunAnswers.h"
#include "run/RunAnswersCache.h"

#include <QHash>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

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

// Who each persona of a run stands for, in the order RunComparison's comment gives.
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

QString RunComparison::runLabel(qint64 runId, const QString &name)
{
    return u"run %1 (%2)"_s.arg(runId).arg(name);
}

Result<StudyResult> RunComparison::compute(ProjectFile &project, const QString &dataset,
                                           const QList<ComparedRun> &runs, const StudyOptions &options,
                                           RunAnswersCache *cache)
{
    QList<StudyRunInput> inputs;
    // Only the compared columns are read (the weight and key come along).
    QStringList variables = options.questions;
    for (const ComparedRun &run : runs) {
        Result<ModelAnswers> answers =
            cache ? cache->answers(project, run.runId) : RunAnswers::load(project, run.runId);
        if (!answers)
            return answers.error();
        if (answers->personas().isEmpty())
            return Error::user(u"run %1 has no answers yet"_s.arg(run.runId));
        for (const QString &q : answers->questions())
            if (!variables.contains(q))
                variables.append(q);
        inputs.append({run.label, std::move(*answers)});
    }
    if (!options.subgroupVariable.isEmpty() && !variables.contains(options.subgroupVariable))
        variables.append(options.subgroupVariable);
    Result<Dataset> data = DatasetStore(project).load(dataset, variables);
    if (!data)
        return data.error();
    if (!options.subgroupVariable.isEmpty()) {
        const PersonaGroups groups(project, *data, options.subgroupVariable);
        for (qsizetype i = 0; i < inputs.size(); ++i)
            if (Status st = groups.assign(runs[i].runId, inputs[i].answers); !st)
                return st.error();
    }
    return StudyReport::compute(*data, inputs, options);
}

} // namespace anthology
