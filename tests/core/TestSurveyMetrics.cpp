#include "OracleProcess.h"
#include "analysis/CronbachAlpha.h"
#include "analysis/DistributionDistance.h"
#include "analysis/SubgroupAnalysis.h"
#include "analysis/SurveyMetrics.h"
#include "util/SeededRandom.h"

#include <QTest>

#include <cmath>

using namespace anthology;

namespace {

SurveyData sample(std::uint64_t seed, qsizetype humans, qsizetype personas)
{
    SeededRandom r(seed);
    SurveyData d;
    d.categoryCounts = {4, 3, 5};
    d.humanCodes = CodeMatrix(humans, 3);
    d.modelAnswers = CodeMatrix(personas, 3);
    for (qsizetype i = 0; i < humans; ++i) {
        d.humanWeights.push_back(0.5 + r.uniform());
        for (qsizetype c = 0; c < 3; ++c)
            d.humanCodes.at(i, c) =
                r.below(20) == 0 ? 99 : 1 + int(r.below(std::uint64_t(d.categoryCounts[c])));
    }
    for (qsizetype i = 0; i < personas; ++i)
        for (qsizetype c = 0; c < 3; ++c)
            d.modelAnswers.at(i, c) =
                r.below(10) == 0 ? 0 : 1 + int(r.below(std::uint64_t(d.categoryCounts[c])));
    return d;
}

} // namespace

class TestSurveyMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reportIsConsistentWithItsParts()
    {
        const SurveyData d = sample(1, 300, 200);
        MetricsOptions o;
        o.seed = 5;
        const auto rep = SurveyMetrics::compute(d, o);
        QVERIFY(rep.ok());
        QCOMPARE(rep->questions.size(), 3);
        double sum = 0;
        for (const auto &q : rep->questions) {
            QVERIFY(oracle::close(q.emd, DistributionDistance::emd(q.human.shares, q.model.shares), 1e-15));
            QVERIFY(q.compliance > 0.8 && q.compliance < 1.0);
            sum += q.emd;
        }
        QVERIFY(oracle::close(rep->emd.estimate, sum / 3, 1e-15));
        QVERIFY(rep->emd.lower <= rep->emd.estimate && rep->emd.estimate <= rep->emd.upper);
        QVERIFY(oracle::close(
            rep->humanAlpha, CronbachAlpha::listwise(d.humanCodes, d.categoryCounts, d.humanWeights), 1e-15));
        QCOMPARE(rep->humanCorrelation.size(), 3);
        QVERIFY(std::isfinite(rep->cbs) && std::isfinite(rep->splitHalfCbs));
        // Same seed, same report.
        const auto again = SurveyMetrics::compute(d, o);
        QCOMPARE(again->splitHalfEmd.estimate, rep->splitHalfEmd.estimate);
        QCOMPARE(again->emd.lower, rep->emd.lower);
    }

    void degenerateDataGivesNaNNotErrors()
    {
        SurveyData d = sample(2, 40, 30);
        for (qsizetype i = 0; i < 40; ++i)
            d.humanCodes.at(i, 1) = 99; // nobody answered question 2
        for (qsizetype i = 0; i < 30; ++i)
            d.modelAnswers.at(i, 2) = 2; // the model always gives the same answer to question 3
        const auto rep = SurveyMetrics::compute(d);
        QVERIFY(rep.ok());
        QVERIFY(rep->questions[1].human.empty());
        QVERIFY(std::isnan(rep->questions[1].emd));
        QVERIFY(std::isfinite(rep->emd.estimate)); // averaged over the defined questions
        QVERIFY(std::isnan(rep->modelCorrelation.at(0, 2)));
        QVERIFY(std::isnan(rep->humanAlpha)); // listwise drops every row

        SurveyData zero = sample(3, 20, 20);
        zero.humanWeights.assign(20, 0.0);
        const auto z = SurveyMetrics::compute(zero);
        QVERIFY(z.ok());
        QVERIFY(std::isnan(z->emd.estimate));

        const auto empty = SurveyMetrics::compute(sample(4, 0, 0));
        QVERIFY(empty.ok());
    }

    void malformedInputIsAnError_data()
    {
        QTest::addColumn<int>("defect");
        QTest::newRow("weight count") << 0;
        QTest::newRow("negative weight") << 1;
        QTest::newRow("column count") << 2;
        QTest::newRow("category count") << 3;
    }

    void malformedInputIsAnError()
    {
        QFETCH(int, defect);
        SurveyData d = sample(5, 10, 10);
        if (defect == 0)
            d.humanWeights.pop_back();
        else if (defect == 1)
            d.humanWeights[3] = -1.0;
        else if (defect == 2)
            d.categoryCounts.append(4);
        else
            d.categoryCounts[0] = 0;
        const auto rep = SurveyMetrics::compute(d);
        QVERIFY(!rep.ok());
        QVERIFY(!rep.error().message.isEmpty());
    }

    void subgroupsFilterHumansAndPersonasAlike()
    {
        const SurveyData d = sample(6, 200, 150);
        QStringList humanGroups, modelGroups;
        for (qsizetype i = 0; i < 200; ++i)
            humanGroups.append(i % 3 == 0   ? QStringLiteral("b")
                               : i % 7 == 0 ? QString()
                                            : QStringLiteral("a"));
        for (qsizetype i = 0; i < 150; ++i)
            modelGroups.append(i % 2 ? QStringLiteral("a") : QStringLiteral("b"));
        MetricsOptions o;
        o.seed = 3;
        const auto groups = SubgroupAnalysis::compute(d, humanGroups, modelGroups, o);
        QVERIFY(groups.ok());
        QCOMPARE(groups->size(), 2);
        QCOMPARE(groups->at(0).label, QStringLiteral("a"));
        QCOMPARE(groups->at(1).modelRows, 75);

        // Group "b" equals the metrics of the rows labelled "b", computed directly.
        std::vector<qsizetype> hb, mb;
        SurveyData direct;
        direct.categoryCounts = d.categoryCounts;
        for (qsizetype i = 0; i < 200; ++i)
            if (humanGroups[i] == QStringLiteral("b")) {
                hb.push_back(i);
                direct.humanWeights.push_back(d.humanWeights[static_cast<size_t>(i)]);
            }
        for (qsizetype i = 0; i < 150; ++i)
            if (modelGroups[i] == QStringLiteral("b"))
                mb.push_back(i);
        direct.humanCodes = d.humanCodes.selectRows(hb);
        direct.modelAnswers = d.modelAnswers.selectRows(mb);
        const auto rep = SurveyMetrics::compute(direct, o);
        QVERIFY(rep.ok());
        QCOMPARE(groups->at(1).report.emd.estimate, rep->emd.estimate);
        QCOMPARE(groups->at(1).report.cbs, rep->cbs);
        QCOMPARE(groups->at(1).humanRows, qsizetype(hb.size()));

        QVERIFY(!SubgroupAnalysis::compute(d, humanGroups.mid(1), modelGroups).ok());
    }

    void pairwiseAlphaOption()
    {
        const SurveyData d = sample(7, 100, 100);
        MetricsOptions o;
        o.pairwiseAlpha = true;
        const auto rep = SurveyMetrics::compute(d, o);
        QVERIFY(rep.ok());
        QVERIFY(
            oracle::close(rep->modelAlpha, CronbachAlpha::pairwise(d.modelAnswers, d.categoryCounts), 1e-15));
    }
};

QTEST_GUILESS_MAIN(TestSurveyMetrics)
#include "TestSurveyMetrics.moc"
