#include "analysis/ComparisonBuilder.h"

#include "analysis/ModelAnswers.h"
#include "data/Dataset.h"
#include "data/QuestionnaireFromDataset.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

int codeOf(double value)
{
    if (!std::isfinite(value) || value < -1e6 || value > 1e6)
        return -1;
    return int(std::lround(value));
}

} // namespace

QString ComparisonBuilder::groupLabel(const Dataset &dataset, qsizetype column, qsizetype row)
{
    const Variable &v = dataset.variable(column);
    if (!v.isNumeric()) {
        const QString s = dataset.stringColumn(column).value(row);
        if (s.trimmed().isEmpty() || v.isUserMissing(s))
            return {};
        const QString label = v.labelFor(s);
        return label.isEmpty() ? s.trimmed() : label;
    }
    const double x = dataset.numericColumn(column)[static_cast<size_t>(row)];
    if (!std::isfinite(x) || v.isUserMissing(x))
        return {};
    const QString label = v.labelFor(x);
    return label.isEmpty() ? QString::number(x, 'g', 15) : label;
}

Result<ComparisonData> ComparisonBuilder::build(const Dataset &dataset, const ModelAnswers &answers,
                                                const QStringList &questions, const QString &subgroupVariable)
{
    ComparisonData out;
    const QStringList ids = questions.isEmpty() ? answers.questions() : questions;
    if (ids.isEmpty())
        return Error::user(u"no questions to compare"_s);
    QList<qsizetype> humanColumns;
    for (const QString &id : ids) {
        const qsizetype c = dataset.indexOf(id);
        if (c < 0)
            return Error::user(u"the data set has no variable %1 (a question of the answers)"_s.arg(id))
                .withKey(id);
        Result<Question> q = QuestionnaireFromDataset::question(dataset.variable(c));
        if (!q)
            return q.error();
        humanColumns.append(c);
        out.questions.append(*q);
        out.data.categoryCounts.append(int(q->choices.size()));
    }

    const qsizetype rows = dataset.rowCount();
    const qsizetype cols = ids.size();
    out.data.humanCodes = CodeMatrix(rows, cols);
    for (qsizetype c = 0; c < cols; ++c) {
        const std::vector<double> &column = dataset.numericColumn(humanColumns[c]);
        for (qsizetype r = 0; r < rows; ++r)
            out.data.humanCodes.at(r, c) = codeOf(column[static_cast<size_t>(r)]);
    }
    out.data.humanWeights = dataset.weights();
    for (double &w : out.data.humanWeights)
        if (!std::isfinite(w) || w < 0.0)
            w = 0.0;

    const QStringList &personas = answers.personas();
    out.data.modelAnswers = CodeMatrix(personas.size(), cols, ModelAnswers::nonCompliant);
    for (qsizetype c = 0; c < cols; ++c) {
        const qsizetype q = answers.questions().indexOf(ids[c]);
        if (q < 0)
            return Error::user(u"the answers have no question %1"_s.arg(ids[c]))
                .withFile(answers.path())
                .withKey(ids[c]);
        const int k = out.data.categoryCounts[c];
        for (qsizetype p = 0; p < personas.size(); ++p) {
            const int option = answers.option(p, q);
            if (option > k)
                return Error::at(answers.path(), answers.line(p, q), 0,
                                 u"question %1 has %2 choices; expected an option 1..%2 or empty, got %3"_s
                                     .arg(ids[c])
                                     .arg(k)
                                     .arg(option))
                    .withKey(u"option"_s);
            out.data.modelAnswers.at(p, c) = option >= 1 ? option : ModelAnswers::nonCompliant;
        }
    }

    if (subgroupVariable.isEmpty())
        return out;
    const qsizetype g = dataset.indexOf(subgroupVariable);
    if (g < 0)
        return Error::user(u"the data set has no variable %1 to form subgroups"_s.arg(subgroupVariable))
            .withKey(subgroupVariable);
    if (!answers.hasGroups())
        return Error::user(u"--subgroup needs a 'group' column in the answers: each persona's group label "
                           "(e.g. its matched human's %1)"_s.arg(subgroupVariable))
            .withFile(answers.path())
            .withKey(u"group"_s);
    out.subgroupVariable = dataset.variable(g).name;
    for (qsizetype r = 0; r < rows; ++r)
        out.humanGroups.append(groupLabel(dataset, g, r));
    const Variable &gv = dataset.variable(g);
    for (qsizetype p = 0; p < personas.size(); ++p) {
        QString label = answers.group(p);
        bool isCode = false;
        const double code = label.toDouble(&isCode);
        if (isCode && gv.isNumeric() && !gv.labelFor(code).isEmpty())
            label = gv.labelFor(code);
        out.modelGroups.append(label);
    }
    return out;
}

} // namespace anthology
