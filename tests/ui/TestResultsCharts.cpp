#include "CliRunner.h"
#include "ResultsFixture.h"
#include "TempProject.h"
#include "core/PersonaFixture.h"

#include "charts/DistributionChart.h"
#include "charts/FigureDataLoader.h"
#include "charts/HeatmapChart.h"
#include "charts/OverviewChart.h"
#include "charts/MatchChart.h"
#include "charts/PersonaChart.h"
#include "charts/SubgroupChart.h"

#include <QJsonArray>
#include "matching/MatchStore.h"
#include "matching/MatchSummary.h"
#include "pipeline/PersonaComposition.h"
#include <QTest>

#include <cmath>

using namespace anthology;
using namespace anthology::test;
using namespace anthology::ui;
using namespace Qt::StringLiterals;

// The plotted values read back from the chart objects equal core's numbers for the same runs
// (and `anthology analyze --runs`), and a study built to give known answers gives known bars.
class TestResultsCharts : public QObject
{
    Q_OBJECT

private:
    static constexpr int kRespondents = 300;
    TempProject m_dir;
    SyntheticStudy m_study;
    FigureData m_data;
    FigureData m_groups;

    static bool close(double a, double b) { return std::abs(a - b) <= 1e-12 || (std::isnan(a) && std::isnan(b)); }

    static void compareBars(const DrawnBars &drawn, const StudyTable &table, const FigureData &data, qsizetype q)
    {
        const StudyRow *human = StudyReport::humanRowOf(table);
        QVERIFY(human && human->report && drawn.humans);
        const WeightedDistribution &h = human->report->questions[q].human;
        QCOMPARE(drawn.humans->data()->size(), int(h.shares.size()));
        for (int k = 0; k < drawn.humans->data()->size(); ++k) {
            QCOMPARE(drawn.humans->data()->at(k)->value, h.shares[size_t(k)]);
            if (std::isfinite(h.lower(size_t(k)))) {
                QVERIFY(close(h.shares[size_t(k)] - drawn.humanErrors->data()->at(k).errorMinus, h.lower(size_t(k))));
                QVERIFY(close(h.shares[size_t(k)] + drawn.humanErrors->data()->at(k).errorPlus, h.upper(size_t(k))));
            }
        }
        const QList<const StudyRow *> rows = data.runRows(table);
        for (qsizetype r = 0; r < rows.size(); ++r) {
            QVERIFY(rows[r] && drawn.runs[r]);
            const QuestionMetrics &m = rows[r]->report->questions[q];
            for (int k = 0; k < drawn.runs[r]->data()->size(); ++k) {
                QCOMPARE(drawn.runs[r]->data()->at(k)->value, m.model.shares[size_t(k)]);
                if (std::isfinite(m.model.lower(size_t(k))))
                    QVERIFY(close(m.model.shares[size_t(k)] - drawn.runErrors[r]->data()->at(k).errorMinus,
                                  m.model.lower(size_t(k))));
            }
            QCOMPARE(drawn.nonCompliant[r]->data()->at(0)->value, 1.0 - m.compliance);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        Result<SyntheticStudy> study = syntheticStudy(m_dir.path(u"charts.anthology"_s), kRespondents, 4);
        QVERIFY2(study, qPrintable(study ? QString() : study.error().toString()));
        m_study = *study;
        auto project = ProjectFile::open(m_study.path, ProjectFile::Mode::ReadWrite);
        QVERIFY(project);
        // Run 1 cycles through the options (uniform shares), a tenth non-compliant on the second
        // question, and stores logprobs of 0.7 on its answer; run 2 always answers the first option.
        Result<qint64> cycling = writeSurveyRun(
            **project, u"cycling"_s, m_study, kRespondents,
            [](int p, int q, int k) { return q == 1 && p % 10 == 0 ? 0 : p % k + 1; },
            [](int p, int, int k) {
                QList<double> d(k, 0.3 / (k - 1));
                d[p % k] = 0.7;
                return d;
            });
        QVERIFY(cycling);
        Result<qint64> first = writeSurveyRun(**project, u"first option"_s, m_study, kRespondents,
                                              [](int, int, int) { return 1; });
        QVERIFY(first);
        m_study.runIds = {*cycling, *first};
        FigureRequest request;
        request.dataset = m_study.dataset;
        request.runIds = m_study.runIds;
        Result<FigureData> data = FigureDataLoader::load(**project, request);
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        m_data = *data;
        request.options.subgroupVariable = u"F_AGECAT"_s;
        Result<FigureData> groups = FigureDataLoader::load(**project, request);
        QVERIFY2(groups, qPrintable(groups ? QString() : groups.error().toString()));
        m_groups = *groups;
    }

    void questionBarsEqualCore()
    {
        DistributionChart chart;
        for (qsizetype q = 0; q < m_data.study.questions.size(); ++q) {
            chart.showQuestion(m_data, q);
            compareBars(chart.drawn(), m_data.study.overall, m_data, q);
            QVERIFY(chart.titleText().startsWith(m_data.study.questions[q].id));
        }
    }

    void knownStudyGivesKnownBars()
    {
        DistributionChart chart;
        chart.showQuestion(m_data, 0);
        const int k = m_study.optionCounts[0];
        QVERIFY(kRespondents % k == 0);
        // Run 2 answered the first option only.
        QCPBars *first = chart.drawn().runs[1];
        QCOMPARE(first->data()->at(0)->value, 1.0);
        for (int i = 1; i < k; ++i)
            QCOMPARE(first->data()->at(i)->value, 0.0);
        // Run 1 cycled: every option 1/K; its logprobs expect 0.7 on the answer and 0.3 spread.
        for (int i = 0; i < k; ++i) {
            QVERIFY(close(chart.drawn().runs[0]->data()->at(i)->value, 1.0 / k));
            QVERIFY(chart.drawn().expected[0]);
            QVERIFY(close(chart.drawn().expected[0]->data()->at(i)->value, 1.0 / k));
        }
        QVERIFY(!chart.drawn().expected[1]);
        QCOMPARE(chart.drawn().nonCompliant[0]->data()->at(0)->value, 0.0);
        chart.showQuestion(m_data, 1);
        QVERIFY(close(chart.drawn().nonCompliant[0]->data()->at(0)->value, 0.1));
        QCOMPARE(chart.drawn().nonCompliant[1]->data()->at(0)->value, 0.0);
    }

    void overviewEqualsAnalyzeCommand()
    {
        OverviewChart chart;
        chart.showStudy(m_data);
        const CliResult r = runCli({u"analyze"_s, u"--project"_s, m_study.path, u"--dataset"_s, m_study.dataset,
                                    u"--runs"_s, u"%1,%2"_s.arg(m_study.runIds[0]).arg(m_study.runIds[1]),
                                    u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray rows = r.json().object().value(u"overall"_s).toObject().value(u"rows"_s).toArray();
        QCOMPARE(rows.size(), 3);
        QCOMPARE(chart.dots().size(), 2);
        int dot = 0;
        for (const QJsonValue &v : rows) {
            const QJsonObject row = v.toObject();
            const QJsonObject emd = row.value(u"emd"_s).toObject();
            if (row.value(u"human"_s).toBool()) {
                QCOMPARE(chart.lowerBound()->point1->coords().x(), emd.value(u"mean"_s).toDouble());
                continue;
            }
            // Same order as the command's table (sorted by mean EMD), same numbers.
            QCOMPARE(chart.dots()[dot]->name(), row.value(u"run"_s).toString());
            const double mean = chart.dots()[dot]->data()->at(0)->value;
            QCOMPARE(mean, emd.value(u"mean"_s).toDouble());
            const QCPErrorBarsData whisker = chart.whiskers()[dot]->data()->at(0);
            QVERIFY(close(mean - whisker.errorMinus, emd.value(u"lower"_s).toDouble()));
            QVERIFY(close(mean + whisker.errorPlus, emd.value(u"upper"_s).toDouble()));
            ++dot;
        }
        // The run that always answers the first option is the farther one.
        QVERIFY(chart.dots()[1]->name().contains(u"first option"_s));
    }

    void heatmapCellsEqualCore()
    {
        HeatmapChart chart;
        chart.showRun(m_data, 0);
        QCOMPARE(chart.maps().size(), 3);
        const SurveyReport &report = *StudyReport::runRow(m_data.study.overall, m_data.runs[0].label)->report;
        const qsizetype n = report.humanCorrelation.size();
        QCOMPARE(n, qsizetype(4));
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) {
                QVERIFY(close(chart.maps()[0]->data()->cell(j, i), report.humanCorrelation.at(i, j)));
                QVERIFY(close(chart.maps()[1]->data()->cell(j, i), report.modelCorrelation.at(i, j)));
                QVERIFY(close(chart.maps()[2]->data()->cell(j, i),
                              report.modelCorrelation.at(i, j) - report.humanCorrelation.at(i, j)));
            }
        // One shared scale for the three panels.
        for (QCPColorMap *map : chart.maps())
            QCOMPARE(map->colorScale(), chart.scale());
    }

    void personaBarsEqualCore()
    {
        auto project = ProjectFile::open(m_study.path, ProjectFile::Mode::ReadWrite);
        QVERIFY(project);
        QList<QPair<QString, int>> personas;
        for (int i = 0; i < 60; ++i)
            personas.append({studyPersona(i), 1});
        Result<qint64> run = writeDemographicsRun(**project, u"demographics"_s, personas, defaultDemographics());
        QVERIFY(run);
        Result<QList<TraitComposition>> traits = PersonaComposition::compute(**project, *run, m_study.dataset);
        QVERIFY2(traits, qPrintable(traits ? QString() : traits.error().toString()));
        QVERIFY(traits->size() >= 3);
        PersonaChart chart;
        chart.showComposition(*traits, *run, u"demographics"_s, m_study.dataset);
        QCOMPARE(chart.panels().size(), traits->size());
        for (qsizetype t = 0; t < traits->size(); ++t) {
            const TraitComposition &c = (*traits)[t];
            QCOMPARE(c.sampledPersonas, qsizetype(60));
            QVERIFY(c.humanWeight > 0.0);
            QVERIFY(!chart.panels()[t].expected); // sampled only
            double humans = 0.0, sampled = 0.0;
            for (size_t k = 0; k < c.humans.size(); ++k) {
                QCOMPARE(chart.panels()[t].humans->data()->at(int(k))->value, c.humans[k]);
                QCOMPARE(chart.panels()[t].sampled->data()->at(int(k))->value, c.sampled[k]);
                humans += c.humans[k];
                sampled += c.sampled[k];
            }
            QVERIFY(close(humans, 1.0) || std::abs(humans - 1.0) < 1e-9);
            QVERIFY(std::abs(sampled - 1.0) < 1e-9);
        }
    }

    void matchWeightsAreBinnedByCore()
    {
        auto project = ProjectFile::open(m_study.path, ProjectFile::Mode::ReadWrite);
        QVERIFY(project);
        MatchRecord match;
        match.name = u"known"_s;
        match.method = u"greedy"_s;
        match.datasetName = m_study.dataset;
        match.datasetId = DatasetStore(**project).info(m_study.dataset)->id;
        match.traits = {u"age_category_4"_s};
        // Ten pairs over four personas with weights 10^0 .. 10^-8 and one of weight 0.
        for (int i = 0; i < 10; ++i) {
            StoredMatchPair p;
            p.humanKey = u"h%1"_s.arg(i);
            p.backstoryUid = studyPersona(i % 4);
            p.logWeight = i < 9 ? -i * std::log(10.0) : -std::numeric_limits<double>::infinity();
            p.weight = std::exp(p.logWeight);
            match.pairs.append(p);
        }
        Result<qint64> id = MatchStore(**project).insert(match);
        QVERIFY2(id, qPrintable(id ? QString() : id.error().toString()));
        Result<MatchWeights> summary = MatchSummary::compute(**project, *id, 4);
        QVERIFY(summary);
        QCOMPARE(summary->pairs, qsizetype(10));
        QCOMPARE(summary->distinctPersonas, qsizetype(4));
        QCOMPARE(summary->zeroWeight, qsizetype(1));
        QCOMPARE(summary->datasetRows, qsizetype(kRespondents));
        // log10 weights 0, -1, ..., -8 in four bins of width 2 from -8: {-8,-7}, {-6,-5}, {-4,-3}, {-2,-1,0}.
        QCOMPARE(summary->counts, (std::vector<qsizetype>{2, 2, 2, 3}));
        MatchChart chart;
        chart.showMatch(*summary);
        QCOMPARE(chart.bins()->data()->size(), 4);
        for (int b = 0; b < 4; ++b)
            QCOMPARE(chart.bins()->data()->at(b)->value, double(summary->counts[size_t(b)]));
        QVERIFY(chart.titleText().contains(u"10 of 300 respondents"_s));
        QVERIFY(chart.titleText().contains(u"4 distinct personas"_s));
    }

    void subgroupFacetsEqualCore()
    {
        SubgroupChart chart;
        chart.showQuestion(m_groups, 2);
        QVERIFY(m_groups.study.subgroups.size() >= 2);
        QCOMPARE(chart.facets().size(), m_groups.study.subgroups.size());
        for (qsizetype g = 0; g < chart.facets().size(); ++g) {
            QCOMPARE(chart.groups()[g], m_groups.study.subgroups[g].group);
            compareBars(chart.facets()[g], m_groups.study.subgroups[g], m_groups, 2);
        }
    }
};

QTEST_MAIN(TestResultsCharts)
#include "TestResultsCharts.moc"
