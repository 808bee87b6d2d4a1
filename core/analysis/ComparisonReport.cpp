#include "analysis/ComparisonReport.h"

#include "analysis/ComparisonBuilder.h"
#include "util/CsvWriter.h"

#include <QBuffer>

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

QString full(double v)
{
    return std::isfinite(v) ? QString::number(v, 'g', 17) : QString();
}

QString joined(const std::vector<double> &values)
{
    QStringList parts;
    for (double v : values)
        parts.append(full(v));
    return parts.join(u';');
}

void writeRows(CsvWriter &csv, const QString &group, const SurveyReport &r, const QList<Question> &questions)
{
    for (qsizetype i = 0; i < r.questions.size(); ++i) {
        const QuestionMetrics &m = r.questions[i];
        csv.writeRow({group, questions[i].id, QString::number(questions[i].choices.size()),
                      full(m.human.sumWeights), full(m.human.effectiveSize),
                      QString::number(m.model.validCount), full(m.emd), full(m.totalVariation),
                      full(m.splitHalfEmd), full(m.splitHalfTotalVariation), full(m.compliance),
                      joined(m.human.shares), joined(m.model.shares)});
    }
    csv.writeRow({group, u"(average)"_s, QString(), QString(), QString(), QString(), full(r.emd.estimate),
                  full(r.totalVariation.estimate), full(r.splitHalfEmd.estimate),
                  full(r.splitHalfTotalVariation.estimate), full(r.compliance.estimate), QString(),
                  QString()});
}

} // namespace

Result<ComparisonReport> ComparisonReport::compute(const Dataset &dataset, const ModelAnswers &answers,
                                                   const QStringList &questions,
                                                   const QString &subgroupVariable,
                                                   const MetricsOptions &options)
{
    Result<ComparisonData> input = ComparisonBuilder::build(dataset, answers, questions, subgroupVariable);
    if (!input)
        return input.error();
    Result<SurveyReport> overall = SurveyMetrics::compute(input->data, options);
    if (!overall)
        return overall.error();
    ComparisonReport report;
    report.questions = input->questions;
    report.subgroupVariable = input->subgroupVariable;
    report.overall = std::move(*overall);
    if (!subgroupVariable.isEmpty()) {
        Result<QList<SubgroupReport>> groups =
            SubgroupAnalysis::compute(input->data, input->humanGroups, input->modelGroups, options);
        if (!groups)
            return groups.error();
        report.subgroups = std::move(*groups);
    }
    return report;
}

QByteArray ComparisonReport::csv() const
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    CsvWriter csv(buffer);
    csv.writeRow({u"subgroup"_s, u"question"_s, u"categories"_s, u"human_n"_s, u"human_n_eff"_s, u"model_n"_s,
                  u"emd"_s, u"total_variation"_s, u"split_half_emd"_s, u"split_half_total_variation"_s,
                  u"compliance"_s, u"human_shares"_s, u"model_shares"_s});
    writeRows(csv, QString(), overall, questions);
    for (const SubgroupReport &g : subgroups)
        writeRows(csv, g.label, g.report, questions);
    return bytes;
}

} // namespace anthology
