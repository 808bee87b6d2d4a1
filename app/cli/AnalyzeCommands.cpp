#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"
#include "StudyArguments.h"

#include "analysis/StudyReport.h"
#include "pipeline/AnswerAnalysis.h"
#include "project/ProjectFile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cmath>

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

QJsonArray numbers(const std::vector<double> &values)
{
    QJsonArray a;
    for (double v : values)
        a.append(number(v));
    return a;
}

QJsonObject intervalJson(const Interval &i)
{
    return QJsonObject{
        {u"mean"_s, number(i.estimate)}, {u"lower"_s, number(i.lower)}, {u"upper"_s, number(i.upper)}};
}

QJsonArray matrixJson(const CorrelationMatrix &m)
{
    QJsonArray rows;
    for (qsizetype i = 0; i < m.size(); ++i) {
        QJsonArray row;
        for (qsizetype j = 0; j < m.size(); ++j)
            row.append(number(m.at(i, j)));
        rows.append(row);
    }
    return rows;
}

QJsonObject reportJson(const SurveyReport &r, const QList<Question> &questions)
{
    QJsonArray perQuestion;
    for (qsizetype i = 0; i < r.questions.size(); ++i) {
        const QuestionMetrics &m = r.questions[i];
        perQuestion.append(QJsonObject{{u"question"_s, questions[i].id},
                                       {u"choices"_s, QJsonArray::fromStringList(questions[i].choices)},
                                       {u"human_shares"_s, numbers(m.human.shares)},
                                       {u"human_standard_errors"_s, numbers(m.human.standardErrors)},
                                       {u"human_sum_of_weights"_s, m.human.sumWeights},
                                       {u"human_effective_n"_s, m.human.effectiveSize},
                                       {u"human_valid"_s, double(m.human.validCount)},
                                       {u"model_shares"_s, numbers(m.model.shares)},
                                       {u"model_standard_errors"_s, numbers(m.model.standardErrors)},
                                       {u"model_compliant"_s, double(m.model.validCount)},
                                       {u"emd"_s, number(m.emd)},
                                       {u"total_variation"_s, number(m.totalVariation)},
                                       {u"split_half_emd"_s, number(m.splitHalfEmd)},
                                       {u"split_half_total_variation"_s, number(m.splitHalfTotalVariation)},
                                       {u"compliance"_s, number(m.compliance)}});
    }
    return QJsonObject{{u"questions"_s, perQuestion},
                       {u"emd"_s, intervalJson(r.emd)},
                       {u"total_variation"_s, intervalJson(r.totalVariation)},
                       {u"split_half_emd"_s, intervalJson(r.splitHalfEmd)},
                       {u"split_half_total_variation"_s, intervalJson(r.splitHalfTotalVariation)},
                       {u"compliance"_s, intervalJson(r.compliance)},
                       {u"human_correlation"_s, matrixJson(r.humanCorrelation)},
                       {u"model_correlation"_s, matrixJson(r.modelCorrelation)},
                       {u"cbs"_s, number(r.cbs)},
                       {u"frobenius"_s, number(r.frobenius)},
                       {u"l1"_s, number(r.l1)},
                       {u"split_half_cbs"_s, number(r.splitHalfCbs)},
                       {u"split_half_frobenius"_s, number(r.splitHalfFrobenius)},
                       {u"split_half_l1"_s, number(r.splitHalfL1)},
                       {u"human_alpha"_s, number(r.humanAlpha)},
                       {u"model_alpha"_s, number(r.modelAlpha)}};
}

void printReport(CliOutput &out, const SurveyReport &r, const QList<Question> &questions)
{
    QList<QStringList> rows;
    for (qsizetype i = 0; i < r.questions.size(); ++i) {
        const QuestionMetrics &m = r.questions[i];
        rows.append({questions[i].id, QString::number(questions[i].choices.size()),
                     fixed(m.human.sumWeights, 1), fixed(m.human.effectiveSize, 1),
                     QString::number(m.model.validCount), fixed(m.emd), fixed(m.totalVariation),
                     fixed(m.splitHalfEmd), fixed(m.splitHalfTotalVariation), fixed(m.compliance, 3)});
    }
    const auto interval = [](const Interval &i) -> QString {
        return fixed(i.estimate) + u" ["_s + fixed(i.lower) + u", "_s + fixed(i.upper) + u"]"_s;
    };
    out.printTable({u"question"_s, u"K"_s, u"human n"_s, u"n_eff"_s, u"model n"_s, u"EMD"_s, u"TV"_s,
                    u"EMD (halves)"_s, u"TV (halves)"_s, u"compliance"_s},
                   rows);
    out.out() << "\nAverage EMD " << interval(r.emd) << "; human split-half bound "
              << interval(r.splitHalfEmd) << "\nAverage TV  " << interval(r.totalVariation)
              << "; human split-half bound " << interval(r.splitHalfTotalVariation) << "\nCompliance  "
              << interval(r.compliance) << "\nCorrelation structure: CBS " << fixed(r.cbs) << " (halves "
              << fixed(r.splitHalfCbs) << "), Frobenius " << fixed(r.frobenius) << " (halves "
              << fixed(r.splitHalfFrobenius) << "), L1 " << fixed(r.l1) << " (halves " << fixed(r.splitHalfL1)
              << ")\nCronbach's alpha: human " << fixed(r.humanAlpha) << ", model " << fixed(r.modelAlpha)
              << Qt::endl;
}

} // namespace

int runAnalyze(const QStringList &args, CliOutput &out)
{
    CommandLine cl(
        u"analyze"_s,
        u"Compare model answers with a data set's weighted human answers: per question EMD, total "
        "variation, their human split-half bounds and compliance; averages with bootstrap intervals; "
        "correlation-structure distances (CBS, Frobenius, L1); Cronbach's alpha. The answers CSV has "
        "the columns persona, question, option (1-based; empty = non-compliant) and optionally group. "
        "With --runs R1,R2,... instead of --answers: the study table of those runs, sorted by average EMD "
        "(--metric tv: total variation), with the human split-half bound as a row."_s);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(u"dataset"_s, u"The data set holding the human answers."_s, u"name"_s));
    cl.addOption(QCommandLineOption(u"answers"_s, u"The model answers (CSV)."_s, u"file"_s));
    cl.addOption(QCommandLineOption(u"run"_s,
                                    u"Or a survey run of the project (a run over a matched or respondents "
                                    "persona set groups its personas by their humans for --subgroup)."_s,
                                    u"id"_s));
    cl.addOption(
        QCommandLineOption(u"runs"_s, u"Comma-separated run ids: print the study table."_s, u"ids"_s));
    cl.addOption(
        QCommandLineOption(u"metric"_s, u"--runs: sort by emd (default) or tv."_s, u"emd|tv"_s, u"emd"_s));
    cl.addOption(QCommandLineOption(
        u"questions"_s, u"Comma-separated question ids (default: all in the answers)."_s, u"ids"_s));
    cl.addOption(
        QCommandLineOption(u"subgroup"_s,
                           u"Also report every metric per value of this demographic variable (personas "
                           "grouped by the answers' group column)."_s,
                           u"var"_s));
    cl.addOption(
        QCommandLineOption(u"csv"_s, u"Also write the per-question metrics to this CSV file."_s, u"file"_s));
    cl.addOption(QCommandLineOption(u"seed"_s, u"Seed of the split halves and bootstrap (default 0)."_s,
                                    u"n"_s, u"0"_s));
    cl.addOption(QCommandLineOption(u"split-halves"_s, u"Number of human split halves (default 20)."_s,
                                    u"n"_s, u"20"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (!cl.positional().isEmpty())
        return out.usage(u"unexpected argument '"_s + cl.positional().first() + u"'"_s, cl.helpHint());
    if (cl.isSet(u"runs"_s)) {
        if (cl.isSet(u"answers"_s))
            return out.usage(u"--runs and --answers exclude each other"_s, cl.helpHint());
        if (!cl.isSet(u"dataset"_s))
            return out.usage(u"--dataset is required"_s, cl.helpHint());
        Result<StudyResult> study = computeStudy(cl);
        if (!study)
            return out.fail(study.error());
        if (cl.isSet(u"csv"_s)) {
            QSaveFile file(cl.value(u"csv"_s));
            const QByteArray bytes = StudyReport::csv(*study);
            if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
                return out.fail(Error::user(u"cannot write the CSV: "_s + file.errorString())
                                    .withFile(cl.value(u"csv"_s)));
        }
        if (out.json())
            out.printJson(StudyReport::json(*study));
        else
            out.out() << StudyReport::text(*study) << Qt::flush;
        return ExitOk;
    }
    if (!cl.isSet(u"dataset"_s) || cl.isSet(u"answers"_s) == cl.isSet(u"run"_s))
        return out.usage(u"--dataset and one of --answers or --run are required"_s, cl.helpHint());
    qint64 runId = 0;
    if (cl.isSet(u"run"_s)) {
        bool ok = false;
        runId = cl.value(u"run"_s).toLongLong(&ok);
        if (!ok || runId <= 0)
            return out.usage(u"--run expects a run id (a whole number > 0)"_s, cl.helpHint());
    }
    MetricsOptions options;
    bool ok1 = false, ok2 = false;
    options.seed = cl.value(u"seed"_s).toULongLong(&ok1);
    options.splitHalfIterations = cl.value(u"split-halves"_s).toInt(&ok2);
    if (!ok1)
        return out.usage(u"--seed expects a whole number"_s, cl.helpHint());
    if (!ok2 || options.splitHalfIterations < 0)
        return out.usage(u"--split-halves expects a whole number >= 0"_s, cl.helpHint());
    QStringList questions;
    for (const QString &q : cl.value(u"questions"_s).split(u',', Qt::SkipEmptyParts))
        questions.append(q.trimmed());

    const QString projectFile = projectPath(cl);
    if (projectFile.isEmpty())
        return out.fail(Error::user(u"no project file: pass --project FILE or set ANTHOLOGY_PROJECT"_s));
    auto project = ProjectFile::open(projectFile, ProjectFile::Mode::ReadOnly);
    if (!project)
        return out.fail(project.error());
    AnswerAnalysisOptions request;
    request.dataset = cl.value(u"dataset"_s);
    request.runId = runId;
    request.answersFile = cl.value(u"answers"_s);
    request.questions = questions;
    request.subgroupVariable = cl.value(u"subgroup"_s);
    request.metrics = options;
    auto analysis = AnswerAnalysis::compute(**project, request);
    if (!analysis)
        return out.fail(analysis.error());
    const ComparisonReport &report = analysis->comparison;
    const QString &subgroup = request.subgroupVariable;

    if (cl.isSet(u"csv"_s)) {
        QSaveFile file(cl.value(u"csv"_s));
        const QByteArray bytes = report.csv();
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
            return out.fail(
                Error::user(u"cannot write the CSV: "_s + file.errorString()).withFile(cl.value(u"csv"_s)));
    }

    if (out.json()) {
        QJsonObject o = reportJson(report.overall, report.questions);
        o.insert(u"dataset"_s, analysis->dataset);
        o.insert(u"weight"_s, analysis->weightVariable);
        o.insert(u"human_rows"_s, double(analysis->humanRows));
        o.insert(u"personas"_s, double(analysis->personas));
        if (!subgroup.isEmpty()) {
            QJsonArray items;
            for (const SubgroupReport &g : report.subgroups) {
                QJsonObject s = reportJson(g.report, report.questions);
                s.insert(u"label"_s, g.label);
                s.insert(u"human_rows"_s, double(g.humanRows));
                s.insert(u"personas"_s, double(g.modelRows));
                items.append(s);
            }
            o.insert(u"subgroup_variable"_s, report.subgroupVariable);
            o.insert(u"subgroups"_s, items);
        }
        out.printJson(o);
        return ExitOk;
    }
    out.out() << "Data set '" << analysis->dataset << "' (" << analysis->humanRows << " respondents, weight "
              << (analysis->weightVariable.isEmpty() ? u"none"_s : analysis->weightVariable) << ") vs "
              << analysis->personas << " personas\n\n";
    printReport(out, report.overall, report.questions);
    for (const SubgroupReport &g : report.subgroups) {
        out.out() << "\n== " << report.subgroupVariable << " = " << g.label << " (" << g.humanRows
                  << " respondents, " << g.modelRows << " personas)\n";
        printReport(out, g.report, report.questions);
    }
    return ExitOk;
}

} // namespace anthology::cli
