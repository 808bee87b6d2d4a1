#include "CliRunner.h"
#include "PsppOracle.h"
#include "TempProject.h"

#include "util/SeededRandom.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <cmath>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

const QStringList kItems = {u"SYNQ1_W34"_s, u"SYNQ2_W34"_s, u"SYNQ3_W34"_s, u"SYNQ4_W34"_s};

bool close(double a, double b, double tolerance = 1e-9)
{
    return std::abs(a - b) <= tolerance * std::max(1.0, std::abs(b));
}

// PSPP's CSV output: "Table: <title>" then rows until a blank line.
QHash<QString, QList<QStringList>> tables(const QString &csv)
{
    QHash<QString, QList<QStringList>> out;
    QString current;
    for (const QStringList &row : PsppOracle::parseCsv(csv)) {
        if (row.isEmpty() || (row.size() == 1 && row.first().isEmpty())) {
            current.clear();
        } else if (row.size() == 1 && row.first().startsWith(u"Table: "_s)) {
            current = row.first().mid(7);
            out.insert(current, {});
        } else if (!current.isEmpty()) {
            out[current].append(row);
        }
    }
    return out;
}

} // namespace

// The data and analyze commands, driven through the real program: synthetic data -> import ->
// list -> describe (against PSPP) -> questionnaire -> analyze (EMD against SciPy).
class TestCliData : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    QString m_project;
    QString m_sav;

    CliResult run(QStringList args)
    {
        args << u"--project"_s << m_project;
        return runCli(args);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_project = m_dir.path(u"data.anthology"_s);
        m_sav = m_dir.dir() + u"/synthetic w34.sav"_s;
        const CliResult init = runCli({u"project"_s, u"init"_s, m_project, u"--json"_s});
        QVERIFY2(init.exitCode == 0, init.err.constData());
    }

    void syntheticWritesAnAtpLikeFile()
    {
        const CliResult r =
            runCli({u"data"_s, u"synthetic"_s, m_sav, u"--respondents"_s, u"900"_s, u"--items"_s, u"4"_s,
                    u"--seed"_s, u"11"_s, u"--wave"_s, u"34"_s, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(u"respondents"_s).toInt(), 900);
        QCOMPARE(o.value(u"weight_variable"_s).toString(), u"WEIGHT_W34"_s);
        QCOMPARE(o.value(u"items"_s).toArray().size(), 4);
        QVERIFY(QFile::exists(m_sav));
        QCOMPARE(runCli({u"data"_s, u"synthetic"_s, m_dir.dir() + u"/x.csv"_s}).exitCode, 1);
        QCOMPARE(runCli({u"data"_s, u"synthetic"_s, m_dir.dir() + u"/x.por"_s}).exitCode, 1);
        QCOMPARE(runCli({u"data"_s, u"synthetic"_s, m_sav, u"--respondents"_s, u"-3"_s}).exitCode, 1);
    }

    void importThenList()
    {
        const CliResult r = run({u"data"_s, u"import"_s, m_sav, u"--name"_s, u"w34"_s, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(u"respondents"_s).toInt(), 900);
        QCOMPARE(r.json().object().value(u"wave"_s).toInt(), 34);

        const CliResult list = run({u"data"_s, u"list"_s, u"--json"_s});
        QVERIFY2(list.exitCode == 0, list.err.constData());
        const QJsonArray sets = list.json().object().value(u"datasets"_s).toArray();
        QCOMPARE(sets.size(), 1);
        QCOMPARE(sets.first().toObject().value(u"name"_s).toString(), u"w34"_s);
        QCOMPARE(sets.first().toObject().value(u"variables"_s).toInt(), 1 + 8 + 1 + 4);
        QCOMPARE(sets.first().toObject().value(u"weight_variable"_s).toString(), u"WEIGHT_W34"_s);

        const CliResult text = run({u"data"_s, u"list"_s});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.outText().contains(u"WEIGHT_W34"_s));
    }

    void badImportsFailAndChangeNothing_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QString>("expected");
        QFile sav(m_sav);
        QVERIFY(sav.open(QIODevice::ReadOnly));
        const QByteArray bytes = sav.readAll();
        QTest::newRow("truncated") << bytes.left(bytes.size() / 2) << u"cut.sav"_s << u"SPSS system file"_s;
        QTest::newRow("csv named .sav") << "a,b\n1,2\n"_ba << u"fake.sav"_s << u"SPSS system file"_s;
    }

    void badImportsFailAndChangeNothing()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, fileName);
        QFETCH(QString, expected);
        const QString path = m_dir.writeFile(fileName, bytes);
        const CliResult r = run({u"data"_s, u"import"_s, path});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.errText().contains(path) && r.errText().contains(expected), r.err.constData());
        const CliResult json = run({u"data"_s, u"import"_s, path, u"--json"_s});
        QCOMPARE(json.exitCode, 1);
        QCOMPARE(json.json().object().value(u"error"_s).toObject().value(u"file"_s).toString(), path);
        const CliResult list = run({u"data"_s, u"list"_s, u"--json"_s});
        QCOMPARE(list.json().object().value(u"datasets"_s).toArray().size(), 1);
        QCOMPARE(run({u"data"_s, u"import"_s, m_sav, u"--name"_s, u"w34"_s}).exitCode, 1);
    }

    void describeAgreesWithPspp()
    {
        if (!PsppOracle::available())
            QSKIP("pspp is not installed (Debian package pspp)");
        const QString vars = kItems.join(u' ');
        QString output, error;
        const QString syntax =
            u"SET FORMAT=F40.16 TNUMBERS=VALUES TVARS=NAMES.\n"
            "OUTPUT MODIFY /SELECT TABLES /TABLECELLS SELECT=[CORRELATIONS COUNT PERCENT] FORMAT=F40.16.\n"
            "GET FILE='%1'.\nWEIGHT BY WEIGHT_W34.\nFREQUENCIES /VARIABLES=%2 /STATISTICS=NONE.\n"
            "CORRELATIONS /VARIABLES=%2 /MISSING=LISTWISE.\nWEIGHT OFF.\n"
            "RELIABILITY /VARIABLES=%2 /MODEL=ALPHA.\n"_s.arg(m_sav, vars);
        QVERIFY2(PsppOracle::run(syntax, m_dir.dir(), &output, &error), qPrintable(error));
        const auto pspp = tables(output);

        const CliResult weighted =
            run(QStringList{u"data"_s, u"describe"_s, u"w34"_s} + kItems + QStringList{u"--json"_s});
        QVERIFY2(weighted.exitCode == 0, weighted.err.constData());
        const QJsonObject o = weighted.json().object();
        QCOMPARE(o.value(u"weight"_s).toString(), u"WEIGHT_W34"_s);
        const QJsonArray variables = o.value(u"variables"_s).toArray();
        QCOMPARE(variables.size(), kItems.size());
        for (qsizetype i = 0; i < kItems.size(); ++i) {
            const QJsonObject v = variables[i].toObject();
            QVERIFY(pspp.contains(kItems[i]));
            double psppSum = 0.0;
            QHash<int, double> psppShare;
            bool valid = false;
            for (const QStringList &row : pspp.value(kItems[i])) {
                if (!row.value(0).isEmpty())
                    valid = row.value(0) == u"Valid"_s;
                if (valid && !row.value(1).isEmpty()) {
                    psppShare.insert(int(std::lround(row.value(1).toDouble())),
                                     row.value(4).toDouble() / 100.0);
                    psppSum += row.value(2).toDouble();
                }
            }
            const QJsonArray categories = v.value(u"categories"_s).toArray();
            QVERIFY(categories.size() >= 3);
            QCOMPARE(psppShare.size(), categories.size());
            const double n = v.value(u"sum_of_weights"_s).toDouble();
            QVERIFY2(close(n, psppSum),
                     qPrintable(u"%1: n %2, PSPP %3"_s.arg(kItems[i]).arg(n).arg(psppSum)));
            for (const QJsonValue &c : categories) {
                const QJsonObject cat = c.toObject();
                const double share = cat.value(u"share"_s).toDouble();
                QVERIFY2(close(share, psppShare.value(cat.value(u"code"_s).toInt())),
                         qPrintable(u"%1 code %2: ours %3, PSPP %4"_s.arg(kItems[i])
                                        .arg(cat.value(u"code"_s).toInt())
                                        .arg(share, 0, 'g', 17)
                                        .arg(psppShare.value(cat.value(u"code"_s).toInt()), 0, 'g', 17)));
                QVERIFY(close(cat.value(u"standard_error"_s).toDouble(), std::sqrt(share * (1 - share) / n)));
            }
            QVERIFY(v.value(u"effective_n"_s).toDouble() < n);
            QVERIFY(v.value(u"effective_n"_s).toDouble() > 0.5 * n);
            QVERIFY(v.value(u"value_labels"_s).toArray().last().toObject().value(u"missing"_s).toBool());
        }
        // Pearson rows of PSPP's weighted listwise correlations.
        QList<double> psppCorrelations;
        for (const QStringList &row : pspp.value(u"Correlations"_s))
            if (row.value(1) == u"Pearson Correlation"_s)
                for (qsizetype c = 2; c < row.size(); ++c)
                    psppCorrelations.append(row[c].toDouble());
        QCOMPARE(psppCorrelations.size(), kItems.size() * kItems.size());
        const QJsonArray matrix = o.value(u"correlation"_s).toArray();
        for (qsizetype i = 0; i < kItems.size(); ++i)
            for (qsizetype j = 0; j < kItems.size(); ++j)
                QVERIFY(
                    close(matrix[i].toArray()[j].toDouble(), psppCorrelations[i * kItems.size() + j], 1e-9));
        const double weightedAlpha = o.value(u"cronbach_alpha"_s).toDouble();
        QVERIFY(weightedAlpha > 0.3 && weightedAlpha < 1.0);

        // PSPP 1.6's RELIABILITY ignores WEIGHT BY: compare the unweighted alpha.
        const CliResult unweighted = run(QStringList{u"data"_s, u"describe"_s, u"w34"_s} + kItems +
                                         QStringList{u"--weight"_s, u"none"_s, u"--json"_s});
        QVERIFY2(unweighted.exitCode == 0, unweighted.err.constData());
        const QList<QStringList> reliability = pspp.value(u"Reliability Statistics"_s);
        QVERIFY(reliability.size() >= 2);
        const double alpha = unweighted.json().object().value(u"cronbach_alpha"_s).toDouble();
        QVERIFY2(close(alpha, reliability[1][0].toDouble()),
                 qPrintable(u"alpha ours %1, PSPP %2"_s.arg(alpha, 0, 'g', 17).arg(reliability[1][0])));
        QVERIFY(unweighted.json().object().value(u"weight"_s).isNull());

        const CliResult text = run({u"data"_s, u"describe"_s, u"w34"_s, kItems[0], kItems[1]});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.outText().contains(u"Cronbach's alpha"_s));
        QVERIFY(text.outText().contains(u"Refused (missing)"_s));
        QCOMPARE(run({u"data"_s, u"describe"_s, u"w34"_s, u"NOPE"_s}).exitCode, 1);
        QCOMPARE(run({u"data"_s, u"describe"_s, u"w35"_s, kItems[0]}).exitCode, 1);
    }

    void questionnairePrintsYaml()
    {
        const CliResult r = run({u"data"_s, u"questionnaire"_s, u"w34"_s, kItems[0], kItems[2]});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString yaml = r.outText();
        QVERIFY2(yaml.contains(u"wave: 34"_s), qPrintable(yaml));
        QVERIFY(yaml.contains(kItems[0] + u":"_s));
        QVERIFY(yaml.contains(u"question_body:"_s));
        QVERIFY(!yaml.contains(u"Refused"_s));
        const CliResult json = run({u"data"_s, u"questionnaire"_s, u"w34"_s, kItems[1], u"--json"_s});
        QCOMPARE(json.exitCode, 0);
        QCOMPARE(
            json.json().object().value(u"questions"_s).toArray().first().toObject().value(u"id"_s).toString(),
            kItems[1]);
        QCOMPARE(run({u"data"_s, u"questionnaire"_s, u"w34"_s, u"F_AGECAT_NOPE"_s}).exitCode, 1);
    }

    void analyzeMatchesScipy()
    {
        // Model answers: 150 personas, seeded choices, some non-compliant, a group per persona.
        const QList<int> k = {3, 4, 5, 3}; // SYNQ<k>: 3 + (k-1) % 3 options
        const QStringList ages = {u"18-29"_s, u"30-49"_s, u"50-64"_s, u"65+"_s};
        SeededRandom rng(2024);
        QByteArray csv = "persona,question,option,group\n";
        for (int p = 0; p < 150; ++p) {
            const QString group = p % 7 == 0 ? QString::number(1 + p % 4) : ages[p % 4]; // codes work too
            for (qsizetype q = 0; q < kItems.size(); ++q) {
                const bool nonCompliant = rng.below(12) == 0;
                const QString option =
                    nonCompliant ? QString() : QString::number(1 + rng.below(quint64(k[q])));
                csv += u"p%1,%2,%3,\"%4\"\n"_s.arg(p).arg(kItems[q], option, group).toUtf8();
            }
        }
        const QString answers = m_dir.writeFile(u"answers.csv"_s, csv);
        const QString exported = m_dir.dir() + u"/metrics.csv"_s;
        const CliResult r = run({u"analyze"_s, u"--dataset"_s, u"w34"_s, u"--answers"_s, answers,
                                 u"--subgroup"_s, u"F_AGECAT"_s, u"--csv"_s, exported, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = r.json().object();
        const QJsonArray questions = o.value(u"questions"_s).toArray();
        QCOMPARE(questions.size(), kItems.size());

        // SciPy's wasserstein_distance on the human data as PSPP exports it and the answers CSV.
        QString output, error;
        const QString dataCsv = m_dir.dir() + u"/human.csv"_s;
        QVERIFY2(
            PsppOracle::run(u"GET FILE='%1'.\nFORMATS WEIGHT_W34 (F40.16).\nSAVE TRANSLATE /OUTFILE='%2' "
                            "/TYPE=CSV /FIELDNAMES /REPLACE.\n"_s.arg(m_sav, dataCsv),
                            m_dir.dir(), &output, &error),
            qPrintable(error));
        const QString script = uR"(
import csv, json, sys
import numpy as np
from scipy.stats import wasserstein_distance
human = list(csv.DictReader(open(sys.argv[1])))
answers = list(csv.DictReader(open(sys.argv[2])))
ks = json.loads(sys.argv[3])
out = {}
for q, k in ks.items():
    w = np.array([float(r['WEIGHT_W34']) for r in human])
    codes = np.array([float(r[q]) if r[q].strip() else -1 for r in human])
    valid = (codes >= 1) & (codes <= k)
    hs = np.array([w[valid & (codes == c)].sum() for c in range(1, k + 1)])
    opts = [int(a['option']) for a in answers if a['question'] == q and a['option'].strip()]
    ms = np.array([opts.count(c) for c in range(1, k + 1)], dtype=float)
    out[q] = wasserstein_distance(np.arange(1, k + 1), np.arange(1, k + 1), hs, ms)
print(json.dumps(out))
)"_s;
        QJsonObject ks;
        for (qsizetype q = 0; q < kItems.size(); ++q)
            ks.insert(kItems[q], k[q]);
        QProcess python;
        python.start(u"/usr/bin/python3"_s,
                     {u"-c"_s, script, dataCsv, answers,
                      QString::fromUtf8(QJsonDocument(ks).toJson(QJsonDocument::Compact))});
        QVERIFY(python.waitForFinished(60000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        const QJsonObject scipy = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
        double sum = 0.0;
        for (const QJsonValue &qv : questions) {
            const QJsonObject q = qv.toObject();
            const QString id = q.value(u"question"_s).toString();
            const double emd = q.value(u"emd"_s).toDouble();
            QVERIFY2(close(emd, scipy.value(id).toDouble(), 1e-9),
                     qPrintable(u"%1: ours %2, scipy %3"_s.arg(id)
                                    .arg(emd, 0, 'g', 17)
                                    .arg(scipy.value(id).toDouble(), 0, 'g', 17)));
            sum += emd;
            QVERIFY(q.value(u"compliance"_s).toDouble() > 0.8 && q.value(u"compliance"_s).toDouble() < 1.0);
            QVERIFY(q.value(u"split_half_emd"_s).toDouble() > 0.0);
        }
        QVERIFY(close(o.value(u"emd"_s).toObject().value(u"mean"_s).toDouble(), sum / kItems.size()));
        QVERIFY(o.value(u"human_alpha"_s).toDouble() > 0.3);
        QVERIFY(o.value(u"cbs"_s).isDouble());
        QCOMPARE(o.value(u"personas"_s).toInt(), 150);

        // Subgroups: the four age categories, personas given by label or by code alike.
        const QJsonArray groups = o.value(u"subgroups"_s).toArray();
        QCOMPARE(groups.size(), 4);
        int personas = 0;
        for (const QJsonValue &g : groups) {
            QVERIFY(ages.contains(g.toObject().value(u"label"_s).toString()));
            personas += g.toObject().value(u"personas"_s).toInt();
        }
        QCOMPARE(personas, 150);

        QFile metrics(exported);
        QVERIFY(metrics.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = metrics.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 1 + 5 * (kItems.size() + 1));
        QVERIFY(lines.first().startsWith("subgroup,question,categories"));

        const CliResult table = run({u"analyze"_s, u"--dataset"_s, u"w34"_s, u"--answers"_s, answers,
                                     u"--questions"_s, kItems[0] + u","_s + kItems[1]});
        QVERIFY2(table.exitCode == 0, table.err.constData());
        QVERIFY(table.outText().contains(u"Average EMD"_s));
        QVERIFY(!table.outText().contains(kItems[2]));
    }

    void analyzeRejectsBadAnswers_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QString>("expected");
        QTest::newRow("option beyond K") << "persona,question,option\np1,SYNQ1_W34,2\np2,SYNQ1_W34,4\n"_ba
                                         << u":3: option: question SYNQ1_W34 has 3 choices"_s;
        QTest::newRow("not a number") << "persona,question,option\np1,SYNQ1_W34,B\n"_ba << u":2: option:"_s;
        QTest::newRow("no option column")
            << "persona,question,answer\np1,SYNQ1_W34,1\n"_ba << u"no 'option' column"_s;
        QTest::newRow("unknown question") << "persona,question,option\np1,NOPE,1\n"_ba << u"NOPE"_s;
        QTest::newRow("twice") << "persona,question,option\np1,SYNQ1_W34,1\np1,SYNQ1_W34,2\n"_ba
                               << u"already has an answer"_s;
        QTest::newRow("subgroup without groups")
            << "persona,question,option\np1,SYNQ1_W34,1\n"_ba << u"'group' column"_s;
    }

    void analyzeRejectsBadAnswers()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QString, expected);
        const QString path = m_dir.writeFile(u"bad-answers.csv"_s, csv);
        QStringList args{u"analyze"_s, u"--dataset"_s, u"w34"_s, u"--answers"_s, path};
        if (QByteArray(QTest::currentDataTag()) == "subgroup without groups")
            args << u"--subgroup"_s << u"F_AGECAT"_s;
        const CliResult r = run(args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.errText().contains(expected), r.err.constData());
    }

    void usageErrorsAndHelp()
    {
        QCOMPARE(run({u"analyze"_s, u"--dataset"_s, u"w34"_s}).exitCode, 1);
        QCOMPARE(runCli({u"data"_s, u"list"_s}).exitCode, 1); // no project
        const CliResult help = runCli({u"data"_s, u"describe"_s, u"--help"_s});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.outText().contains(u"--weight"_s));
        QCOMPARE(runCli({u"analyze"_s, u"--help"_s}).exitCode, 0);
        QCOMPARE(runCli({u"data"_s}).exitCode, 1);
    }
};

QTEST_GUILESS_MAIN(TestCliData)
#include "TestCliData.moc"
