#include "analysis/StudyReport.h"

#include "analysis/ComparisonReport.h"
#include "data/Dataset.h"
#include "util/CsvWriter.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

StudyRow modelRow(const QString &label, const SurveyReport &r, qsizetype personas)
{
    StudyRow row;
    row.label = label;
    row.emd = r.emd;
    row.totalVariation = r.totalVariation;
    row.frobenius = r.frobenius;
    row.cbs = r.cbs;
    row.alpha = r.modelAlpha;
    row.compliance = r.compliance.estimate;
    row.representativeness = r.representativeness;
    row.n = personas;
    row.report = std::make_shared<const SurveyReport>(r);
    return row;
}

StudyRow humanRow(const SurveyReport &r, qsizetype respondents)
{
    StudyRow row;
    row.label = StudyReport::humanLabel();
    row.human = true;
    row.emd = r.splitHalfEmd;
    row.totalVariation = r.splitHalfTotalVariation;
    row.frobenius = r.splitHalfFrobenius;
    row.cbs = r.splitHalfCbs;
    row.alpha = r.humanAlpha;
    row.compliance = nan;
    row.representativeness = r.splitHalfRepresentativeness;
    row.n = respondents;
    row.report = std::make_shared<const SurveyReport>(r);
    return row;
}

const Interval &sortInterval(const StudyRow &row, StudyMetric metric)
{
    return metric == StudyMetric::Emd ? row.emd : row.totalVariation;
}

void sortRows(QList<StudyRow> &rows, StudyMetric metric)
{
    std::stable_sort(rows.begin(), rows.end(), [metric](const StudyRow &a, const StudyRow &b) {
        const double x = sortInterval(a, metric).estimate;
        const double y = sortInterval(b, metric).estimate;
        if (std::isnan(x) || std::isnan(y))
            return !std::isnan(x) && std::isnan(y);
        return x < y;
    });
}

QString fixed(double v, int decimals = 4)
{
    return std::isfinite(v) ? QString::number(v, 'f', decimals) : u"-"_s;
}

QString full(double v)
{
    return std::isfinite(v) ? QString::number(v, 'g', 17) : QString();
}

QJsonValue number(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

QJsonObject intervalJson(const Interval &i)
{
    return QJsonObject{
        {u"mean"_s, number(i.estimate)}, {u"lower"_s, number(i.lower)}, {u"upper"_s, number(i.upper)}};
}

QString textTable(const QStringList &header, const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QString &h : header)
        widths.append(h.size());
    for (const QStringList &r : rows)
        for (qsizetype i = 0; i < r.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], r[i].size());
    const auto line = [&widths](const QStringList &cells) -> QString {
        QString out;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (i > 0)
                out += u"  "_s;
            // Text left, numbers right.
            out += i == 0 ? cells[i].leftJustified(widths[i]) : cells[i].rightJustified(widths[i]);
        }
        return out.trimmed() + u'\n';
    };
    QString out = line(header);
    QStringList rule;
    for (qsizetype w : widths)
        rule.append(QString(w, u'-'));
    out += rule.join(u"  "_s) + u'\n';
    for (const QStringList &r : rows)
        out += line(r);
    return out;
}

} // namespace

QString StudyReport::metricName(StudyMetric metric)
{
    return metric == StudyMetric::Emd ? u"emd"_s : u"tv"_s;
}

const StudyRow *StudyReport::runRow(const StudyTable &table, const QString &label)
{
    for (const StudyRow &r : table.rows)
        if (!r.human && r.label == label)
            return &r;
    return nullptr;
}

const StudyRow *StudyReport::humanRowOf(const StudyTable &table)
{
    for (const StudyRow &r : table.rows)
        if (r.human)
            return &r;
    return nullptr;
}

Result<StudyResult> StudyReport::compute(const Dataset &dataset, const QList<StudyRunInput> &runs,
                                         const StudyOptions &options)
{
    if (runs.isEmpty())
        return Error::user(u"a study needs at least one run"_s);
    QStringList questions = options.questions;
    if (questions.isEmpty()) {
        for (const QString &q : runs.first().answers.questions()) {
            const bool everywhere = std::all_of(runs.begin(), runs.end(), [&q](const StudyRunInput &r) {
                return r.answers.questions().contains(q);
            });
            if (everywhere)
                questions.append(q);
        }
        if (questions.isEmpty())
            return Error::user(u"the runs have no question in common"_s);
    }

    StudyResult result;
    result.metric = options.sortBy;
    result.overall.humanRows = dataset.rowCount();
    QHash<QString, qsizetype> groupIndex;
    for (qsizetype i = 0; i < runs.size(); ++i) {
        const StudyRunInput &run = runs[i];
        Result<ComparisonReport> compared = ComparisonReport::compute(
            dataset, run.answers, questions, options.subgroupVariable, options.metrics);
        if (!compared) {
            Error e = compared.error();
            e.message = run.label + u": "_s + e.message;
            return e;
        }
        const SurveyReport &report = compared->overall;
        if (i == 0) {
            result.questions = compared->questions;
            result.subgroupVariable = compared->subgroupVariable;
            result.overall.rows.append(humanRow(report, dataset.rowCount()));
        }
        result.overall.rows.append(modelRow(run.label, report, run.answers.personas().size()));
        for (const SubgroupReport &g : compared->subgroups) {
            auto it = groupIndex.constFind(g.label);
            if (it == groupIndex.cend()) {
                StudyTable table;
                table.group = g.label;
                table.humanRows = g.humanRows;
                table.rows.append(humanRow(g.report, g.humanRows));
                it = groupIndex.insert(g.label, result.subgroups.size());
                result.subgroups.append(table);
            }
            result.subgroups[*it].rows.append(modelRow(run.label, g.report, g.modelRows));
        }
    }
    sortRows(result.overall.rows, options.sortBy);
    std::sort(result.subgroups.begin(), result.subgroups.end(),
              [](const StudyTable &a, const StudyTable &b) { return a.group < b.group; });
    for (StudyTable &t : result.subgroups)
        sortRows(t.rows, options.sortBy);
    return result;
}

QString StudyReport::text(const StudyResult &result)
{
    const QString metric = result.metric == StudyMetric::Emd ? u"EMD"_s : u"TV"_s;
    const QStringList header{u"run"_s,       u"avg EMD"_s, u"avg TV"_s, metric + u" 95% CI"_s,
                             u"Frobenius"_s, u"CBS"_s,     u"alpha"_s,  u"compliance"_s,
                             u"n"_s};
    QString out;
    const auto table = [&](const StudyTable &t) {
        QList<QStringList> rows;
        for (const StudyRow &r : t.rows) {
            const Interval &ci = sortInterval(r, result.metric);
            rows.append({r.label, fixed(r.emd.estimate), fixed(r.totalVariation.estimate),
                         u"["_s + fixed(ci.lower) + u", "_s + fixed(ci.upper) + u"]"_s, fixed(r.frobenius),
                         fixed(r.cbs), fixed(r.alpha), fixed(r.compliance, 3), QString::number(r.n)});
        }
        return textTable(header, rows);
    };
    out += u"Runs by average %1 over %2 questions (%3 respondents)\n"_s.arg(metric)
               .arg(result.questions.size())
               .arg(result.overall.humanRows);
    out += table(result.overall);
    for (const StudyTable &t : result.subgroups) {
        out += u"\n== %1 = %2 (%3 respondents)\n"_s.arg(result.subgroupVariable, t.group).arg(t.humanRows);
        out += table(t);
    }
    return out;
}

QByteArray StudyReport::csv(const StudyResult &result)
{
    QByteArray out =
        "subgroup,run,human,emd,emd_lower,emd_upper,total_variation,tv_lower,tv_upper,frobenius,cbs,"
        "alpha,compliance,n\r\n";
    const auto append = [&out](const QString &group, const StudyRow &r) {
        const QStringList cells{group,
                                r.label,
                                r.human ? u"1"_s : u"0"_s,
                                full(r.emd.estimate),
                                full(r.emd.lower),
                                full(r.emd.upper),
                                full(r.totalVariation.estimate),
                                full(r.totalVariation.lower),
                                full(r.totalVariation.upper),
                                full(r.frobenius),
                                full(r.cbs),
                                full(r.alpha),
                                full(r.compliance),
                                QString::number(r.n)};
        out += CsvWriter::row(cells);
    };
    for (const StudyRow &r : result.overall.rows)
        append(QString(), r);
    for (const StudyTable &t : result.subgroups)
        for (const StudyRow &r : t.rows)
            append(t.group, r);
    return out;
}

QJsonObject StudyReport::json(const StudyResult &result)
{
    const auto table = [](const StudyTable &t) {
        QJsonArray rows;
        for (const StudyRow &r : t.rows)
            rows.append(QJsonObject{{u"run"_s, r.label},
                                    {u"human"_s, r.human},
                                    {u"emd"_s, intervalJson(r.emd)},
                                    {u"total_variation"_s, intervalJson(r.totalVariation)},
                                    {u"frobenius"_s, number(r.frobenius)},
                                    {u"cbs"_s, number(r.cbs)},
                                    {u"alpha"_s, number(r.alpha)},
                                    {u"compliance"_s, number(r.compliance)},
                                    {u"representativeness"_s, number(r.representativeness)},
                                    {u"n"_s, double(r.n)}});
        return QJsonObject{{u"group"_s, t.group}, {u"human_rows"_s, double(t.humanRows)}, {u"rows"_s, rows}};
    };
    QJsonArray questions;
    for (const Question &q : result.questions)
        questions.append(q.id);
    QJsonArray groups;
    for (const StudyTable &t : result.subgroups)
        groups.append(table(t));
    QJsonObject o{{u"metric"_s, metricName(result.metric)},
                  {u"questions"_s, questions},
                  {u"overall"_s, table(result.overall)}};
    if (!result.subgroupVariable.isEmpty()) {
        o.insert(u"subgroup_variable"_s, result.subgroupVariable);
        o.insert(u"subgroups"_s, groups);
    }
    return o;
}

} // namespace anthology
