#include "OracleProcess.h"

#include "analysis/ComparisonBuilder.h"
#include "analysis/StudyReport.h"
#include "analysis/SubgroupAnalysis.h"
#include "data/SyntheticAtpGenerator.h"
#include "util/SeededRandom.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <cmath>

using namespace anthology;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(anthology::StudyMetric)

namespace {

enum class Style { CopyHumans, AlwaysFirst, Uniform };

// Synthetic model answers: copies of random humans' answers (close to the humans), everyone
// choosing option 1 (far), or uniform choices; every 10th answer non-compliant. Each persona's
// group is its source human's age category (or a random one).
ModelAnswers syntheticRun(const Dataset &ds, const QStringList &items, Style style, std::uint64_t seed,
                          int personas = 120)
{
    SeededRandom random(seed);
    ModelAnswers answers;
    const qsizetype age = ds.indexOf(u"F_AGECAT"_s);
    for (int p = 0; p < personas; ++p) {
        const QString persona = u"persona-%1"_s.arg(p);
        const qsizetype human = qsizetype(random.below(quint64(ds.rowCount())));
        for (qsizetype q = 0; q < items.size(); ++q) {
            const qsizetype column = ds.indexOf(items[q]);
            const int k = int(ds.variable(column).valueLabels.size()) - 1; // minus 99 Refused
            int option = 1;
            if (style == Style::CopyHumans) {
                const double code = ds.numericColumn(column)[size_t(human)];
                option = std::isfinite(code) && code >= 1 && code <= k ? int(code) : 0;
            } else if (style == Style::Uniform) {
                option = 1 + int(random.below(quint64(k)));
            }
            if ((p * int(items.size()) + int(q)) % 10 == 9)
                option = ModelAnswers::nonCompliant;
            answers.add(persona, items[q], option);
        }
        answers.setGroup(p, ComparisonBuilder::groupLabel(ds, age, human));
    }
    return answers;
}

} // namespace

// The study table: every run's numbers are SurveyMetrics' (what `anthology analyze` prints) on
// that run alone, rows sorted by the chosen distance, the human split-half bound a row of its own,
// overall and per subgroup.
class TestStudyReport : public QObject
{
    Q_OBJECT

private:
    Dataset m_dataset;
    QStringList m_items;
    QList<StudyRunInput> m_runs;

    static const StudyRow *find(const StudyTable &t, const QString &label)
    {
        for (const StudyRow &r : t.rows)
            if (r.label == label)
                return &r;
        return nullptr;
    }

    static bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

private Q_SLOTS:
    void initTestCase()
    {
        SyntheticAtpOptions options;
        options.respondents = 600;
        options.items = 4;
        SyntheticAtpGenerator generator(options);
        m_dataset = generator.generate();
        m_items = generator.itemNames();
        // Input order deliberately not the sorted order.
        m_runs = {{u"uniform"_s, syntheticRun(m_dataset, m_items, Style::Uniform, 3)},
                  {u"always first"_s, syntheticRun(m_dataset, m_items, Style::AlwaysFirst, 4)},
                  {u"copies humans"_s, syntheticRun(m_dataset, m_items, Style::CopyHumans, 5)}};
    }

    void rowsAreSortedWithTheHumanBoundAsARow_data()
    {
        QTest::addColumn<StudyMetric>("metric");
        QTest::newRow("emd") << StudyMetric::Emd;
        QTest::newRow("tv") << StudyMetric::TotalVariation;
    }

    void rowsAreSortedWithTheHumanBoundAsARow()
    {
        QFETCH(StudyMetric, metric);
        StudyOptions options;
        options.sortBy = metric;
        Result<StudyResult> study = StudyReport::compute(m_dataset, m_runs, options);
        QVERIFY2(study, study ? "" : qPrintable(study.error().toString()));
        const QList<StudyRow> &rows = study->overall.rows;
        QCOMPARE(rows.size(), 4);
        int humans = 0;
        for (qsizetype i = 0; i < rows.size(); ++i) {
            humans += rows[i].human ? 1 : 0;
            if (i > 0) {
                const double before = metric == StudyMetric::Emd ? rows[i - 1].emd.estimate
                                                                 : rows[i - 1].totalVariation.estimate;
                const double now =
                    metric == StudyMetric::Emd ? rows[i].emd.estimate : rows[i].totalVariation.estimate;
                QVERIFY2(before <= now, qPrintable(rows[i].label));
            }
        }
        QCOMPARE(humans, 1);
        // The humans' halves are closest, the copies next, answering "1" always is farthest.
        QCOMPARE(rows[0].label, StudyReport::humanLabel());
        QCOMPARE(rows[1].label, u"copies humans"_s);
        QCOMPARE(rows[3].label, u"always first"_s);
        QCOMPARE(rows[0].n, m_dataset.rowCount());
        QVERIFY(std::isnan(rows[0].compliance));
        QCOMPARE(study->questions.size(), m_items.size());
    }

    void everyRunEqualsSurveyMetricsOnItsOwn()
    {
        Result<StudyResult> study = StudyReport::compute(m_dataset, m_runs);
        QVERIFY(study);
        for (const StudyRunInput &run : std::as_const(m_runs)) {
            Result<ComparisonData> input = ComparisonBuilder::build(m_dataset, run.answers);
            QVERIFY(input);
            Result<SurveyReport> report = SurveyMetrics::compute(input->data);
            QVERIFY(report);
            const StudyRow *row = find(study->overall, run.label);
            QVERIFY(row);
            QCOMPARE(row->emd.estimate, report->emd.estimate);
            QCOMPARE(row->emd.lower, report->emd.lower);
            QCOMPARE(row->emd.upper, report->emd.upper);
            QCOMPARE(row->totalVariation.estimate, report->totalVariation.estimate);
            QVERIFY(same(row->frobenius, report->frobenius));
            QVERIFY(same(row->cbs, report->cbs));
            QVERIFY(same(row->alpha, report->modelAlpha));
            QCOMPARE(row->compliance, report->compliance.estimate);
            QCOMPARE(row->n, run.answers.personas().size());
            const StudyRow *human = find(study->overall, StudyReport::humanLabel());
            QCOMPARE(human->emd.estimate, report->splitHalfEmd.estimate);
            QCOMPARE(human->totalVariation.estimate, report->splitHalfTotalVariation.estimate);
            QVERIFY(same(human->frobenius, report->splitHalfFrobenius));
            QVERIFY(same(human->cbs, report->splitHalfCbs));
            QVERIFY(same(human->alpha, report->humanAlpha));
        }
        // 90% of the answers are compliant by construction.
        QVERIFY(std::abs(find(study->overall, u"uniform"_s)->compliance - 0.9) < 0.01);
    }

    void subgroupsEqualSubgroupAnalysis()
    {
        StudyOptions options;
        options.subgroupVariable = u"F_AGECAT"_s;
        Result<StudyResult> study = StudyReport::compute(m_dataset, m_runs, options);
        QVERIFY2(study, study ? "" : qPrintable(study.error().toString()));
        QCOMPARE(study->subgroupVariable, u"F_AGECAT"_s);
        QVERIFY(study->subgroups.size() >= 4);
        for (qsizetype i = 1; i < study->subgroups.size(); ++i)
            QVERIFY(study->subgroups[i - 1].group < study->subgroups[i].group);
        const StudyRunInput &run = m_runs[2];
        Result<ComparisonData> input =
            ComparisonBuilder::build(m_dataset, run.answers, {}, options.subgroupVariable);
        QVERIFY(input);
        Result<QList<SubgroupReport>> groups =
            SubgroupAnalysis::compute(input->data, input->humanGroups, input->modelGroups);
        QVERIFY(groups);
        QCOMPARE(groups->size(), study->subgroups.size());
        for (qsizetype g = 0; g < groups->size(); ++g) {
            const StudyTable &table = study->subgroups[g];
            QCOMPARE(table.group, groups->at(g).label);
            QCOMPARE(table.humanRows, groups->at(g).humanRows);
            QCOMPARE(table.rows.size(), 4);
            const StudyRow *row = find(table, run.label);
            QVERIFY(row);
            QVERIFY(same(row->emd.estimate, groups->at(g).report.emd.estimate));
            QCOMPARE(row->n, groups->at(g).modelRows);
            const StudyRow *human = find(table, StudyReport::humanLabel());
            QVERIFY(human);
            QVERIFY(same(human->emd.estimate, groups->at(g).report.splitHalfEmd.estimate));
        }
        // The overall table is the same with or without subgroups.
        Result<StudyResult> plain = StudyReport::compute(m_dataset, m_runs);
        QCOMPARE(find(study->overall, run.label)->emd.estimate,
                 find(plain->overall, run.label)->emd.estimate);
    }

    void csvAndJsonCarryEveryRow()
    {
        StudyOptions options;
        options.subgroupVariable = u"F_AGECAT"_s;
        Result<StudyResult> study = StudyReport::compute(m_dataset, m_runs, options);
        QVERIFY(study);
        const oracle::Outcome parsed =
            oracle::python("import csv, json, sys, "
                           "io\nprint(json.dumps(list(csv.DictReader(io.StringIO(sys.stdin.read())))))\n",
                           StudyReport::csv(*study));
        QVERIFY2(parsed.ok, parsed.err.constData());
        const QJsonArray rows = QJsonDocument::fromJson(parsed.out).array();
        qsizetype expected = study->overall.rows.size();
        for (const StudyTable &t : study->subgroups)
            expected += t.rows.size();
        QCOMPARE(rows.size(), expected);
        const QJsonObject first = rows.first().toObject();
        QCOMPARE(first.value(u"run"_s).toString(), StudyReport::humanLabel());
        QCOMPARE(first.value(u"human"_s).toString(), u"1"_s);
        QCOMPARE(first.value(u"emd"_s).toString().toDouble(), study->overall.rows.first().emd.estimate);
        QCOMPARE(first.value(u"compliance"_s).toString(), QString()); // NaN is empty

        const QJsonObject json = StudyReport::json(*study);
        QCOMPARE(json.value(u"metric"_s).toString(), u"emd"_s);
        QCOMPARE(json[u"overall"_s][u"rows"_s].toArray().size(), 4);
        QCOMPARE(json[u"subgroups"_s].toArray().size(), study->subgroups.size());
        QVERIFY(json[u"overall"_s][u"rows"_s][0][u"compliance"_s].isNull());

        const QString text = StudyReport::text(*study);
        QVERIFY2(text.contains(StudyReport::humanLabel()), qPrintable(text));
        QVERIFY(text.contains(u"== F_AGECAT = 18-29"_s));
    }

    void inputsThatCannotFormATableAreErrors()
    {
        QVERIFY(!StudyReport::compute(m_dataset, {}));
        ModelAnswers other;
        other.add(u"x"_s, u"NOT_A_QUESTION"_s, 1);
        QList<StudyRunInput> disjoint{m_runs.first(), {u"other"_s, other}};
        Result<StudyResult> none = StudyReport::compute(m_dataset, disjoint);
        QVERIFY(!none);
        QVERIFY(none.error().message.contains(u"no question in common"_s));
        StudyOptions options;
        options.subgroupVariable = u"NO_SUCH_VARIABLE"_s;
        Result<StudyResult> bad = StudyReport::compute(m_dataset, m_runs, options);
        QVERIFY(!bad);
        QVERIFY(bad.error().message.startsWith(u"uniform: "_s));
    }
};

QTEST_GUILESS_MAIN(TestStudyReport)
#include "TestStudyReport.moc"
