#pragma once

#include "analysis/BootstrapInterval.h"
#include "analysis/ModelAnswers.h"
#include "analysis/SurveyMetrics.h"
#include "survey/SurveyTypes.h"
#include "util/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace anthology {

class Dataset;

enum class StudyMetric { Emd, TotalVariation };

// One run of a study: a label (e.g. "run 3 (anthology-greedy)") and its final answers; with
// subgroups each persona carries its group label (its matched human's value label or code).
struct StudyRunInput
{
    QString label;
    ModelAnswers answers;
};

struct StudyOptions
{
    MetricsOptions metrics; // the same defaults as `anthology analyze`
    StudyMetric sortBy = StudyMetric::Emd;
    QStringList questions;    // empty: the questions every run answered, in the first run's order
    QString subgroupVariable; // empty: overall only
};

// One line of the table. The human row carries the split-half lower bounds (distances and
// correlation structure between random halves of the humans), the humans' Cronbach's alpha, no
// compliance (NaN) and the number of respondents as n.
struct StudyRow
{
    QString label;
    bool human = false;
    Interval emd;
    Interval totalVariation;
    double frobenius = 0.0;
    double cbs = 0.0;
    double alpha = 0.0;
    double compliance = 0.0;
    double representativeness = 0.0; // SurveyReport::representativeness (split-half for humans)
    qsizetype n = 0; // personas (runs) or respondents (human row)
    // Everything behind the row (per-question distributions, correlation matrices), for the
    // charts; the human row carries the first run's report, whose human side every run shares.
    std::shared_ptr<const SurveyReport> report;
};

struct StudyTable
{
    QString group; // empty: everyone
    qsizetype humanRows = 0;
    QList<StudyRow> rows; // sorted by the study's metric, NaN last; ties keep input order
};

struct StudyResult
{
    QList<Question> questions;
    StudyMetric metric = StudyMetric::Emd;
    QString subgroupVariable;
    StudyTable overall;
    QList<StudyTable> subgroups; // sorted by label
};

// The comparison table of `anthology study` (METHOD.md section 8): every run against the same
// human data over the same questions, each run's numbers exactly those of SurveyMetrics (and so
// of `anthology analyze`) on that run alone, plus the human split-half row; overall and per
// value of a demographic variable.
class StudyReport
{
public:
    static Result<StudyResult> compute(const Dataset &dataset, const QList<StudyRunInput> &runs,
                                       const StudyOptions &options = {});

    static QString humanLabel() { return QStringLiteral("Human (split-half lower bound)"); }
    static QString metricName(StudyMetric metric);
    // The row of `label` in `table`, nullptr when absent.
    static const StudyRow *runRow(const StudyTable &table, const QString &label);
    static const StudyRow *humanRowOf(const StudyTable &table);

    // A plain-text table per group (overall first).
    static QString text(const StudyResult &result);
    // RFC 4180: subgroup, run, human, emd, emd_lower, emd_upper, total_variation, tv_lower,
    // tv_upper, frobenius, cbs, alpha, compliance, n; full precision, empty for NaN.
    static QByteArray csv(const StudyResult &result);
    // {metric, questions, subgroup_variable, overall: {group, human_rows, rows: [...]}, subgroups: [...]}
    static QJsonObject json(const StudyResult &result);
};

} // namespace anthology
