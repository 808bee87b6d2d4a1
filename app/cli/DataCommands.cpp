#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"

#include "analysis/CodeMatrix.h"
#include "analysis/DatasetDescription.h"
#include "data/DatasetStore.h"
#include "data/QuestionnaireFromDataset.h"
#include "data/SavWriter.h"
#include "data/SyntheticAtpGenerator.h"
#include "project/ProjectFile.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;

namespace anthology::cli {

namespace {

QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

QString fixed(double v, int decimals = 4)
{
    return std::isfinite(v) ? QString::number(v, 'f', decimals) : u"-"_s;
}

QJsonObject infoJson(const DatasetInfo &i)
{
    return QJsonObject{{u"name"_s, i.name},
                       {u"source_path"_s, i.sourcePath},
                       {u"format"_s, DatasetReader::formatName(i.format)},
                       {u"file_label"_s, i.fileLabel},
                       {u"weight_variable"_s, i.weightVariable},
                       {u"key_variable"_s, i.keyVariable},
                       {u"wave"_s, i.wave},
                       {u"respondents"_s, double(i.rowCount)},
                       {u"variables"_s, double(i.variableCount)},
                       {u"imported_at"_s, i.importedAt.toString(Qt::ISODate)}};
}

int importCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"data import"_s,
                   u"Import human survey data (SPSS .sav/.zsav/.por, Stata .dta) into the project, in one "
                   "transaction: a bad file leaves the project unchanged."_s);
    cl.addPositional(u"file"_s, u"The data file."_s);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(u"name"_s,
                                    u"The data set's name in the project (default: the file's base "
                                    "name)."_s,
                                    u"name"_s));
    cl.addOption(
        QCommandLineOption(u"weight"_s, u"The weight variable (default: WEIGHT_W<wave>)."_s, u"var"_s));
    cl.addOption(QCommandLineOption(u"wave"_s, u"The ATP wave number (picks WEIGHT_W<wave>)."_s, u"n"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (cl.positional().size() != 1)
        return out.usage(u"expected one data file"_s, cl.helpHint());
    DatasetImportOptions options;
    options.name = cl.value(u"name"_s);
    options.read.weightVariable = cl.value(u"weight"_s);
    if (cl.isSet(u"wave"_s)) {
        bool ok = false;
        options.read.wave = cl.value(u"wave"_s).toInt(&ok);
        if (!ok || options.read.wave <= 0)
            return out.usage(u"--wave expects a whole number > 0"_s, cl.helpHint());
    }
    auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
    if (!project)
        return out.fail(project.error());
    QElapsedTimer timer;
    timer.start();
    auto info = DatasetStore(**project).importFile(cl.positional().first(), options);
    if (!info)
        return out.fail(info.error());
    const qint64 ms = timer.elapsed();
    if (out.json()) {
        QJsonObject o = infoJson(*info);
        o.insert(u"milliseconds"_s, double(ms));
        out.printJson(o);
    } else {
        out.out() << "Imported data set '" << info->name << "': " << info->rowCount << " respondents, "
                  << info->variableCount << " variables, weight "
                  << (info->weightVariable.isEmpty() ? u"none"_s : info->weightVariable) << ", wave "
                  << (info->wave > 0 ? QString::number(info->wave) : u"unknown"_s) << " (" << ms << " ms)"
                  << Qt::endl;
    }
    return ExitOk;
}

int listCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"data list"_s, u"List the project's data sets."_s);
    cl.addOption(projectOption());
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (!cl.positional().isEmpty())
        return out.usage(u"expected no arguments"_s, cl.helpHint());
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return out.fail(project.error());
    const auto sets = DatasetStore(**project).list();
    if (out.json()) {
        QJsonArray items;
        for (const auto &i : sets)
            items.append(infoJson(i));
        out.printJson(QJsonObject{{u"datasets"_s, items}});
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const auto &i : sets)
        rows.append({i.name, QString::number(i.rowCount), QString::number(i.variableCount),
                     i.weightVariable.isEmpty() ? u"-"_s : i.weightVariable,
                     i.wave > 0 ? QString::number(i.wave) : u"-"_s, DatasetReader::formatName(i.format),
                     i.importedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s), i.sourcePath});
    out.printTable({u"name"_s, u"respondents"_s, u"variables"_s, u"weight"_s, u"wave"_s, u"format"_s,
                    u"imported"_s, u"source"_s},
                   rows);
    out.out() << "(" << sets.size() << " data sets)" << Qt::endl;
    return ExitOk;
}

int removeCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"data remove"_s, u"Remove a data set from the project."_s);
    cl.addPositional(u"dataset"_s, u"The data set's name."_s);
    cl.addOption(projectOption());
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (cl.positional().size() != 1)
        return out.usage(u"expected one data set name"_s, cl.helpHint());
    auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
    if (!project)
        return out.fail(project.error());
    if (Status s = DatasetStore(**project).remove(cl.positional().first()); !s)
        return out.fail(s.error());
    if (out.json())
        out.printJson(QJsonObject{{u"removed"_s, cl.positional().first()}});
    else
        out.out() << "Removed data set '" << cl.positional().first() << "'" << Qt::endl;
    return ExitOk;
}

int describeCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(
        u"data describe"_s,
        u"Describe variables of a data set: value labels, weighted frequencies with standard errors "
        "(n = sum of weights) and Kish's effective n, and for two or more variables their weighted "
        "correlation matrix (listwise) and Cronbach's alpha."_s);
    cl.addPositional(u"dataset"_s, u"The data set's name."_s);
    cl.addPositional(u"variables"_s, u"Variables to describe."_s, u"VAR..."_s);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(u"weight"_s,
                                    u"Weight by this variable instead of the data set's weight; "
                                    "'none' for unweighted."_s,
                                    u"var"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (cl.positional().size() < 2)
        return out.usage(u"expected a data set and at least one variable"_s, cl.helpHint());
    const QString name = cl.positional().first();
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return out.fail(project.error());
    const auto described =
        DatasetDescription::compute(**project, name, cl.positional().mid(1), cl.value(u"weight"_s));
    if (!described)
        return out.fail(described.error());
    const DatasetDescription &dd = *described;

    QJsonArray variablesJson;
    for (const VariableDescription &vd : dd.variables) {
        const Variable &v = vd.variable;
        const WeightedDistribution &d = vd.distribution;
        const qint64 missing = vd.missing;

        if (out.json()) {
            QJsonArray labels, categories;
            for (const ValueLabel &l : v.valueLabels)
                labels.append(QJsonObject{
                    {u"value"_s, l.value}, {u"label"_s, l.label}, {u"missing"_s, v.isUserMissing(l.value)}});
            for (const CategoryShare &c : vd.categories)
                categories.append(QJsonObject{{u"code"_s, c.code},
                                              {u"label"_s, c.label},
                                              {u"count"_s, double(c.count)},
                                              {u"share"_s, number(c.share)},
                                              {u"standard_error"_s, number(c.standardError)}});
            variablesJson.append(QJsonObject{{u"name"_s, v.name},
                                             {u"label"_s, v.label},
                                             {u"value_labels"_s, labels},
                                             {u"categories"_s, categories},
                                             {u"valid"_s, double(d.validCount)},
                                             {u"missing"_s, double(missing)},
                                             {u"sum_of_weights"_s, d.sumWeights},
                                             {u"effective_n"_s, d.effectiveSize},
                                             {u"note"_s, vd.note}});
            continue;
        }
        out.out() << v.name << (v.label.isEmpty() ? QString() : u"  "_s + v.label) << '\n';
        QList<QStringList> rows;
        for (const CategoryShare &c : vd.categories)
            rows.append({QString::number(c.code), c.label, QString::number(c.count),
                         fixed(c.share * 100.0, 2), fixed(c.standardError * 100.0, 2)});
        for (const ValueLabel &l : v.valueLabels)
            if (!isValidCode(int(l.value), vd.categoryCount()) || l.value != std::floor(l.value))
                rows.append({QString::number(l.value, 'g', 15),
                             l.label + (v.isUserMissing(l.value) ? u" (missing)"_s : QString()), u"-"_s,
                             u"-"_s, u"-"_s});
        out.printTable({u"code"_s, u"label"_s, u"count"_s, u"percent"_s, u"se %"_s}, rows);
        if (!vd.note.isEmpty())
            out.out() << "note: " << vd.note << '\n';
        out.out() << "valid " << d.validCount << ", missing " << missing << ", n (sum of weights) "
                  << fixed(d.sumWeights, 2) << ", n_eff (Kish) " << fixed(d.effectiveSize, 1) << "\n\n";
    }

    const QString &weightName = dd.weightVariable;
    const CorrelationMatrix &corr = dd.correlation;
    if (out.json()) {
        QJsonObject o{
            {u"dataset"_s, name},
            {u"weight"_s, weightName.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(weightName)},
            {u"variables"_s, variablesJson}};
        if (dd.hasCorrelation()) {
            QJsonArray matrix;
            for (qsizetype i = 0; i < corr.size(); ++i) {
                QJsonArray row;
                for (qsizetype j = 0; j < corr.size(); ++j)
                    row.append(number(corr.at(i, j)));
                matrix.append(row);
            }
            o.insert(u"correlation"_s, matrix);
            o.insert(u"correlation_rows"_s, double(corr.rowsUsed()));
            o.insert(u"cronbach_alpha"_s, number(dd.alpha));
        }
        out.printJson(o);
        return ExitOk;
    }
    if (dd.hasCorrelation()) {
        QList<QStringList> rows;
        QStringList header{QString()};
        for (qsizetype i = 0; i < dd.variables.size(); ++i) {
            header.append(dd.variables[i].variable.name);
            QStringList row{header.last()};
            for (qsizetype j = 0; j < dd.variables.size(); ++j)
                row.append(fixed(corr.at(i, j), 3));
            rows.append(row);
        }
        out.out() << "Correlations ("
                  << (weightName.isEmpty() ? u"unweighted"_s : u"weighted by "_s + weightName)
                  << ", listwise, " << corr.rowsUsed() << " rows)\n";
        out.printTable(header, rows);
        out.out() << "\nCronbach's alpha: " << fixed(dd.alpha) << Qt::endl;
    }
    return ExitOk;
}

int questionnaireCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(
        u"data questionnaire"_s,
        u"Print the questionnaire YAML for variables of a data set (question text from the variable "
        "label, choices from the value labels of codes 1..K)."_s);
    cl.addPositional(u"dataset"_s, u"The data set's name."_s);
    cl.addPositional(u"variables"_s, u"The question variables."_s, u"VAR..."_s);
    cl.addOption(projectOption());
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (cl.positional().size() < 2)
        return out.usage(u"expected a data set and at least one variable"_s, cl.helpHint());
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return out.fail(project.error());
    const QStringList names = cl.positional().mid(1);
    auto ds = DatasetStore(**project).load(cl.positional().first(), names);
    if (!ds)
        return out.fail(ds.error());
    auto questionnaire = QuestionnaireFromDataset::build(*ds, names);
    if (!questionnaire)
        return out.fail(questionnaire.error());
    if (out.json()) {
        QJsonArray questions;
        for (const Question &q : questionnaire->questions)
            questions.append(QJsonObject{{u"id"_s, q.id},
                                         {u"question_body"_s, q.body},
                                         {u"choices"_s, QJsonArray::fromStringList(q.choices)}});
        out.printJson(QJsonObject{{u"wave"_s, questionnaire->wave}, {u"questions"_s, questions}});
        return ExitOk;
    }
    auto yaml = QuestionnaireFromDataset::toYaml(*questionnaire);
    if (!yaml)
        return out.fail(yaml.error());
    out.out() << *yaml;
    out.out().flush();
    return ExitOk;
}

int syntheticCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(
        u"data synthetic"_s,
        u"Write a synthetic ATP-like data set (our own wording): QKEY, demographics under the wave's ATP "
        "names and codes (those its category map expects), "
        "WEIGHT_W<wave> and correlated Likert items, 99 = Refused. The format follows the extension: "
        ".sav, .zsav or .dta."_s);
    cl.addPositional(u"file"_s, u"The file to write."_s);
    cl.addOption(
        QCommandLineOption(u"respondents"_s, u"Number of respondents (default 2500)."_s, u"n"_s, u"2500"_s));
    cl.addOption(QCommandLineOption(u"items"_s, u"Number of Likert items (default 8)."_s, u"k"_s, u"8"_s));
    cl.addOption(QCommandLineOption(u"seed"_s, u"Random seed (default 20240601)."_s, u"s"_s, u"20240601"_s));
    cl.addOption(
        QCommandLineOption(u"wave"_s, u"Wave number in the variable names (default 34)."_s, u"w"_s, u"34"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (cl.positional().size() != 1)
        return out.usage(u"expected one output file"_s, cl.helpHint());
    SyntheticAtpOptions options;
    bool ok1 = false, ok2 = false, ok3 = false, ok4 = false;
    options.respondents = cl.value(u"respondents"_s).toInt(&ok1);
    options.items = cl.value(u"items"_s).toInt(&ok2);
    options.seed = cl.value(u"seed"_s).toULongLong(&ok3);
    options.wave = cl.value(u"wave"_s).toInt(&ok4);
    if (!ok1 || options.respondents < 1)
        return out.usage(u"--respondents expects a whole number > 0"_s, cl.helpHint());
    if (!ok2 || options.items < 0 || options.items > 5000)
        return out.usage(u"--items expects a whole number 0..5000"_s, cl.helpHint());
    if (!ok3)
        return out.usage(u"--seed expects a whole number"_s, cl.helpHint());
    if (!ok4 || options.wave < 1)
        return out.usage(u"--wave expects a whole number > 0"_s, cl.helpHint());
    const QString path = cl.positional().first();
    const QString suffix = QFileInfo(path).suffix().toLower();
    SavWriteOptions write;
    if (suffix == "zsav"_L1)
        write.format = DatasetFormat::Zsav;
    else if (suffix == "dta"_L1)
        write.format = DatasetFormat::Dta;
    else if (suffix != "sav"_L1) // no .por: its 8-character names cannot hold ATP's variable names
        return out.usage(u"the file must end in .sav, .zsav or .dta"_s, cl.helpHint());
    const SyntheticAtpGenerator generator(options);
    const Dataset data = generator.generate();
    if (Status s = SavWriter::write(data, path, write); !s)
        return out.fail(s.error());
    if (out.json()) {
        out.printJson(
            QJsonObject{{u"file"_s, path},
                        {u"respondents"_s, double(data.rowCount())},
                        {u"variables"_s, double(data.variableCount())},
                        {u"weight_variable"_s, data.weightVariable()},
                        {u"items"_s, QJsonArray::fromStringList(generator.itemNames())},
                        {u"demographics"_s, QJsonArray::fromStringList(generator.demographicNames())}});
    } else {
        out.out() << "Wrote " << path << ": " << data.rowCount() << " respondents, " << data.variableCount()
                  << " variables (items " << generator.itemNames().join(u' ') << ")" << Qt::endl;
    }
    return ExitOk;
}

} // namespace

int runData(const QStringList &args, CliOutput &out)
{
    return dispatch(
        "data",
        {{"import", "Import a .sav/.zsav/.por/.dta file into the project (one transaction)", importCommand},
         {"list", "List the project's data sets", listCommand},
         {"describe", "Value labels, weighted frequencies, correlations and alpha", describeCommand},
         {"questionnaire", "Print the questionnaire YAML for variables", questionnaireCommand},
         {"synthetic", "Write a synthetic ATP-like data file", syntheticCommand},
         {"remove", "Remove a data set from the project", removeCommand}},
        args, out);
}

} // namespace anthology::cli
