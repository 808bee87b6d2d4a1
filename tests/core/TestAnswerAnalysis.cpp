#include "DatasetFixture.h"
#include "OracleProcess.h"
#include "PsppTables.h"
#include "ScriptedRun.h"
#include "TempProject.h"

#include "pipeline/AnswerAnalysis.h"
#include "project/ProjectFile.h"
#include "util/SeededRandom.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

const QStringList kQuestions{u"q1"_s, u"q2"_s, u"q3"_s};
const QList<int> kCategories{4, 5, 3};
const QStringList kGroups{u"18-29"_s, u"30-49"_s, u"50+"_s};
constexpr int kRows = 300;
constexpr int kPersonas = 120;
constexpr int kNotAsked = -1;

} // namespace

// `anthology analyze --answers/--run` through its core service: a data set PSPP wrote and the
// project imported, model answers made here; human shares from PSPP's weighted FREQUENCIES
// (overall and per age group), model shares and compliance counted here, the distances from
// SciPy's wasserstein_distance and the total variation formula in Python.
class TestAnswerAnalysis : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    std::unique_ptr<ProjectFile> m_project;
    QList<PsppTable> m_tables;
    QList<int> m_humanGroup;     // per row: 1..3
    QList<QList<int>> m_answers; // per persona and question: 1..K, 0 non-compliant, -1 not asked
    QList<int> m_personaGroup;   // per persona: 1..3
    QString m_answersCsv;

    // Python's verdict on each (human shares, model shares) pair: [emd, tv].
    static QJsonArray pythonDistances(const QJsonArray &pairs)
    {
        const oracle::Outcome o = oracle::python(R"(
import json, sys
import numpy as np
from scipy.stats import wasserstein_distance
out = []
for h, m in json.loads(sys.stdin.read()):
    k = np.arange(1, len(h) + 1)
    out.append([wasserstein_distance(k, k, h, m), 0.5 * sum(abs(a - b) for a, b in zip(h, m))])
print(json.dumps(out))
)",
                                                 QJsonDocument(pairs).toJson(QJsonDocument::Compact));
        if (!o.ok)
            qWarning("python: %s", o.err.constData());
        return QJsonDocument::fromJson(o.out).array();
    }

    // The model's shares of question q among personas of `group` (0: everyone).
    std::vector<double> modelShares(int q, int group, int *compliant, int *personas) const
    {
        std::vector<double> counts(size_t(kCategories[q]), 0.0);
        *compliant = 0;
        *personas = 0;
        for (int p = 0; p < kPersonas; ++p) {
            if (group != 0 && m_personaGroup[p] != group)
                continue;
            ++*personas;
            if (m_answers[p][q] >= 1) {
                counts[size_t(m_answers[p][q] - 1)] += 1.0;
                ++*compliant;
            }
        }
        for (double &c : counts)
            c /= double(*compliant);
        return counts;
    }

    // Every per-question number of `report` (the table of `group`, 0: overall) against the oracles.
    void compareReport(const SurveyReport &report, int group)
    {
        QCOMPARE(report.questions.size(), kQuestions.size());
        QJsonArray pairs;
        QList<std::vector<double>> human, model;
        for (int q = 0; q < kQuestions.size(); ++q) {
            const PsppTable *t = PsppTables::find(m_tables, kQuestions[q].toUtf8(), group);
            QVERIFY2(t, "PSPP frequency table missing");
            const QMap<int, double> shares = t->validShares();
            std::vector<double> h;
            for (int k = 1; k <= kCategories[q]; ++k)
                h.push_back(shares.value(k, 0.0));
            int compliant = 0, personas = 0;
            const std::vector<double> m = modelShares(q, group, &compliant, &personas);
            human.append(h);
            model.append(m);
            pairs.append(QJsonArray{QJsonArray::fromVariantList(QVariantList(h.begin(), h.end())),
                                    QJsonArray::fromVariantList(QVariantList(m.begin(), m.end()))});
            const QuestionMetrics &qm = report.questions[q];
            for (size_t k = 0; k < h.size(); ++k) {
                QVERIFY2(oracle::close(qm.human.shares[k], h[k]),
                         qPrintable(u"group %1 %2 code %3: ours %4, pspp %5"_s.arg(group)
                                        .arg(kQuestions[q])
                                        .arg(k + 1)
                                        .arg(qm.human.shares[k], 0, 'g', 17)
                                        .arg(h[k], 0, 'g', 17)));
                QVERIFY(oracle::close(qm.model.shares[k], m[k]));
            }
            QCOMPARE(qm.model.validCount, compliant);
            QVERIFY(oracle::close(qm.compliance, double(compliant) / double(personas)));
        }
        const QJsonArray distances = pythonDistances(pairs);
        QCOMPARE(distances.size(), kQuestions.size());
        double sum = 0.0;
        for (int q = 0; q < kQuestions.size(); ++q) {
            const double emd = distances[q].toArray()[0].toDouble();
            const double tv = distances[q].toArray()[1].toDouble();
            QVERIFY2(oracle::close(report.questions[q].emd, emd),
                     qPrintable(u"group %1 %2 EMD: ours %3, scipy %4"_s.arg(group)
                                    .arg(kQuestions[q])
                                    .arg(report.questions[q].emd, 0, 'g', 17)
                                    .arg(emd, 0, 'g', 17)));
            QVERIFY(oracle::close(report.questions[q].totalVariation, tv));
            sum += emd;
        }
        QVERIFY(oracle::close(report.emd.estimate, sum / kQuestions.size()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        SeededRandom rng(77);
        QByteArray data;
        for (int r = 0; r < kRows; ++r) {
            const int age = 1 + int(rng.below(3));
            m_humanGroup.append(age);
            const double latent = 0.25 * (age - 1) + 0.5 * rng.uniform();
            for (int q = 0; q < kCategories.size(); ++q) {
                const int k = kCategories[q];
                int code = 1 + std::min(k - 1, int((0.7 * latent + 0.3 * rng.uniform()) * k));
                const quint64 roll = rng.below(25);
                data += (roll == 0 ? "99" : roll == 1 ? "." : QByteArray::number(code)) + ' ';
            }
            data += QByteArray::number(age) + ' ' +
                    QByteArray::number(0.2 + double(rng.below(3000)) / 1000.0) + '\n';
        }
        const QByteArray sav = m_dir.dir().toUtf8() + "/humans.sav";
        QByteArray syntax = PsppTables::precision +
                            "DATA LIST LIST /q1 (F8.0) q2 (F8.0) q3 (F8.0) age (F8.0) w (F8.3).\n"
                            "BEGIN DATA.\n" +
                            data +
                            "END DATA.\n"
                            "VARIABLE LABELS q1 'How much do you trust your neighbours?' /q2 'How often do "
                            "you vote?' /q3 'Do you own a car?' /age 'Age group'.\n"
                            "VALUE LABELS q1 1 'A lot' 2 'Some' 3 'Not much' 4 'Not at all' 99 'Refused'"
                            " /q2 1 'Never' 2 'Rarely' 3 'Sometimes' 4 'Often' 5 'Always' 99 'Refused'"
                            " /q3 1 'Yes' 2 'No' 3 'Unsure' 99 'Refused'"
                            " /age 1 '18-29' 2 '30-49' 3 '50+'.\n"
                            "MISSING VALUES q1 q2 q3 (99).\n"
                            "SAVE OUTFILE='" +
                            sav +
                            "'.\n"
                            "WEIGHT BY w.\n"
                            "FREQUENCIES /VARIABLES=q1 q2 q3 /STATISTICS=NONE.\n";
        for (int g = 1; g <= 3; ++g)
            syntax += "TEMPORARY.\nSELECT IF age = " + QByteArray::number(g) +
                      ".\nFREQUENCIES /VARIABLES=q1 q2 q3 /STATISTICS=NONE.\n";
        m_tables = PsppTables::run(m_dir.dir(), syntax);
        QVERIFY2(PsppTables::find(m_tables, "q3", 3), "PSPP printed no frequency tables");

        QString error;
        m_project = projectWithDataset(m_dir, QString::fromUtf8(sav), u"humans"_s, u"w"_s, &error);
        QVERIFY2(m_project, qPrintable(error));

        // Personas name their group by label, every fifth by code; some answers are
        // non-compliant (empty option), some questions not asked (no row).
        QByteArray csv = "persona,question,option,group\n";
        for (int p = 0; p < kPersonas; ++p) {
            const int group = 1 + int(rng.below(3));
            m_personaGroup.append(group);
            const QString label = p % 5 == 0 ? QString::number(group) : kGroups[group - 1];
            QList<int> answers;
            for (int q = 0; q < kQuestions.size(); ++q) {
                const quint64 roll = rng.below(20);
                const int option = roll == 0  ? kNotAsked
                                   : roll < 3 ? 0
                                              : 1 + int(rng.below(quint64(kCategories[q])));
                answers.append(option);
                if (option != kNotAsked)
                    csv += u"p%1,%2,%3,%4\n"_s.arg(p)
                               .arg(kQuestions[q], option > 0 ? QString::number(option) : QString(), label)
                               .toUtf8();
            }
            m_answers.append(answers);
        }
        m_answersCsv = m_dir.writeFile(u"answers.csv"_s, csv);
    }

    void answersAgainstWeightedHumansOverallAndPerGroup()
    {
        AnswerAnalysisOptions options;
        options.dataset = u"humans"_s;
        options.answersFile = m_answersCsv;
        options.subgroupVariable = u"age"_s;
        Result<AnswerAnalysis> a = AnswerAnalysis::compute(*m_project, options);
        QVERIFY2(a, a ? "" : qPrintable(a.error().toString()));
        QCOMPARE(a->dataset, u"humans"_s);
        QCOMPARE(a->weightVariable, u"w"_s);
        QCOMPARE(a->humanRows, kRows);
        QCOMPARE(a->personas, kPersonas);
        const ComparisonReport &r = a->comparison;
        QCOMPARE(r.subgroupVariable, u"age"_s);
        QCOMPARE(r.questions.size(), 3);
        QCOMPARE(r.questions[1].choices.value(4), u"Always"_s);
        compareReport(r.overall, 0);

        QCOMPARE(r.subgroups.size(), 3);
        for (int g = 1; g <= 3; ++g) {
            const SubgroupReport &s = r.subgroups[g - 1];
            QCOMPARE(s.label, kGroups[g - 1]);
            QCOMPARE(s.humanRows, qsizetype(m_humanGroup.count(g)));
            QCOMPARE(s.modelRows, qsizetype(m_personaGroup.count(g)));
            compareReport(s.report, g);
        }
    }

    void csvHoldsEveryNumberAtFullPrecision()
    {
        AnswerAnalysisOptions options;
        options.dataset = u"humans"_s;
        options.answersFile = m_answersCsv;
        options.subgroupVariable = u"age"_s;
        options.questions = {u"q3"_s, u"q1"_s};
        Result<AnswerAnalysis> a = AnswerAnalysis::compute(*m_project, options);
        QVERIFY(a);
        const ComparisonReport &r = a->comparison;
        QCOMPARE(r.questions.size(), 2);
        QCOMPARE(r.questions[0].id, u"q3"_s);
        const QString path = m_dir.writeFile(u"metrics.csv"_s, r.csv());
        // Python's csv module reads it back.
        const oracle::Outcome o =
            oracle::python("import csv, json, sys\n"
                           "with open(sys.stdin.read(), newline='', encoding='utf-8') as f:\n"
                           "    print(json.dumps(list(csv.DictReader(f))))\n",
                           path.toUtf8());
        QVERIFY2(o.ok, o.err.constData());
        const QJsonArray rows = QJsonDocument::fromJson(o.out).array();
        QCOMPARE(rows.size(), (1 + 3) * (2 + 1)); // overall and 3 groups, 2 questions and an average
        const auto check = [](const QJsonObject &row, const QString &group, const QString &question,
                              const QuestionMetrics &m) {
            QCOMPARE(row.value(u"subgroup"_s).toString(), group);
            QCOMPARE(row.value(u"question"_s).toString(), question);
            QCOMPARE(row.value(u"categories"_s).toString().toInt(), int(m.human.shares.size()));
            QCOMPARE(row.value(u"emd"_s).toString().toDouble(), m.emd);
            QCOMPARE(row.value(u"total_variation"_s).toString().toDouble(), m.totalVariation);
            QCOMPARE(row.value(u"compliance"_s).toString().toDouble(), m.compliance);
            QCOMPARE(row.value(u"human_n"_s).toString().toDouble(), m.human.sumWeights);
            QCOMPARE(row.value(u"model_n"_s).toString().toInt(), int(m.model.validCount));
            const QStringList shares = row.value(u"human_shares"_s).toString().split(u';');
            QCOMPARE(shares.size(), qsizetype(m.human.shares.size()));
            for (qsizetype k = 0; k < shares.size(); ++k)
                QCOMPARE(shares[k].toDouble(), m.human.shares[size_t(k)]);
        };
        check(rows[0].toObject(), QString(), u"q3"_s, r.overall.questions[0]);
        check(rows[1].toObject(), QString(), u"q1"_s, r.overall.questions[1]);
        QCOMPARE(rows[2].toObject().value(u"question"_s).toString(), u"(average)"_s);
        QCOMPARE(rows[2].toObject().value(u"emd"_s).toString().toDouble(), r.overall.emd.estimate);
        check(rows[10].toObject(), u"50+"_s, u"q1"_s, r.subgroups[2].report.questions[1]);
    }

    void aRunsFinalAnswersGiveTheNumbersOfTheSameAnswersAsCsv()
    {
        // The first 40 personas' answers as a run: answered chains, a non-compliant answer
        // re-asked into the persona's option, failures for questions not asked.
        QList<ScriptedItem> items;
        QByteArray csv = "persona,question,option\n";
        for (int p = 0; p < 40; ++p) {
            const QString persona = u"p%1"_s.arg(p);
            for (int q = 0; q < kQuestions.size(); ++q) {
                const int option = m_answers[p][q];
                if (option == kNotAsked) {
                    items.append({persona, kQuestions[q], q, 0, 0, ScriptedItem::State::Failed});
                    continue;
                }
                csv += u"%1,%2,%3\n"_s
                           .arg(persona, kQuestions[q], option > 0 ? QString::number(option) : QString())
                           .toUtf8();
                if (option > 0 && p % 3 == 0) {
                    items.append({persona, kQuestions[q], q, 0, 0, ScriptedItem::State::Done, 0});
                    items.append({persona, kQuestions[q], q, 0, 1, ScriptedItem::State::Done, option});
                } else {
                    items.append({persona, kQuestions[q], q, 0, 0, ScriptedItem::State::Done, option});
                }
            }
        }
        const qint64 run = storeScriptedRun(*m_project, items);
        QVERIFY(run > 0);

        AnswerAnalysisOptions fromRun;
        fromRun.dataset = u"humans"_s;
        fromRun.runId = run;
        AnswerAnalysisOptions fromCsv = fromRun;
        fromCsv.runId = 0;
        fromCsv.answersFile = m_dir.writeFile(u"run.csv"_s, csv);
        Result<AnswerAnalysis> a = AnswerAnalysis::compute(*m_project, fromRun);
        Result<AnswerAnalysis> b = AnswerAnalysis::compute(*m_project, fromCsv);
        QVERIFY2(a && b, qPrintable(a ? (b ? QString() : b.error().toString()) : a.error().toString()));
        QCOMPARE(a->personas, 40);
        QCOMPARE(a->comparison.csv(), b->comparison.csv());
        QCOMPARE(a->comparison.overall.cbs, b->comparison.overall.cbs);
        QCOMPARE(a->comparison.overall.modelAlpha, b->comparison.overall.modelAlpha);

        // A run asked of backstories has no humans to group its personas by.
        fromRun.subgroupVariable = u"age"_s;
        Result<AnswerAnalysis> grouped = AnswerAnalysis::compute(*m_project, fromRun);
        QVERIFY(!grouped);
    }

    void badRequestsAreErrors()
    {
        AnswerAnalysisOptions options;
        options.dataset = u"humans"_s;
        options.answersFile = m_answersCsv;
        options.questions = {u"q9"_s};
        Result<AnswerAnalysis> a = AnswerAnalysis::compute(*m_project, options);
        QVERIFY(!a);
        QVERIFY2(a.error().toString().contains(u"q9"_s), qPrintable(a.error().toString()));
        options.questions.clear();
        options.dataset = u"nobody"_s;
        a = AnswerAnalysis::compute(*m_project, options);
        QVERIFY(!a);
        QVERIFY(a.error().toString().contains(u"nobody"_s));
        options.dataset = u"humans"_s;
        options.answersFile = m_dir.dir() + u"/missing.csv"_s;
        a = AnswerAnalysis::compute(*m_project, options);
        QVERIFY(!a);
        QVERIFY(a.error().toString().contains(u"missing.csv"_s));
        options.answersFile.clear();
        options.runId = 999;
        a = AnswerAnalysis::compute(*m_project, options);
        QVERIFY(!a);
    }
};

QTEST_GUILESS_MAIN(TestAnswerAnalysis)
#include "TestAnswerAnalysis.moc"
