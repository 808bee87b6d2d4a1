#include "CliRunner.h"
#include "FakeLlmServer.h"
#include "TempProject.h"
#include "core/RunFixture.h"

#include "analysis/ComparisonBuilder.h"
#include "backstories/BackstoryImporter.h"
#include "data/DatasetReader.h"
#include "data/DatasetStore.h"
#include "data/QuestionnaireFromDataset.h"
#include "data/SyntheticAtpGenerator.h"
#include "project/ProjectFile.h"
#include "run/RunStore.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// `anthology export ...`, `anthology run show` and `anthology analyze --runs` through the real
// program, on surveys run with `anthology run survey` against a fake server: every export format
// is written and read back, the shown command reproduces the run's items in a fresh project, and
// the study table holds exactly what `anthology analyze` says of each run.
class TestCliExport : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    FakeLlmServer m_server;
    QString m_project;
    QString m_questionnaire;
    QList<qint64> m_runs;
    int m_files = 0;

    static constexpr int personas = 8;

    QString newProject()
    {
        auto p = projectWithPersonas(m_dir, u"cli-export%1.anthology"_s.arg(++m_files), personas);
        if (!p)
            return {};
        // The humans: a synthetic ATP-like data set whose items the questionnaire asks.
        SyntheticAtpOptions options;
        options.respondents = 300;
        options.items = 3;
        if (!DatasetStore(*p).store(SyntheticAtpGenerator(options).generate(), u"humans"_s, 34))
            return {};
        return p->path();
    }

    QStringList surveyArgs(const QString &project, int seed) const
    {
        return {u"run"_s,
                u"survey"_s,
                u"--project"_s,
                project,
                u"--questionnaire"_s,
                m_questionnaire,
                u"--profile"_s,
                m_server.baseUrl().toString(),
                u"--model"_s,
                u"fake-model"_s,
                u"--seed"_s,
                QString::number(seed),
                u"--name"_s,
                u"seed %1"_s.arg(seed),
                u"--quiet"_s};
    }

    QString path(const QString &name) const { return m_dir.dir() + u'/' + name; }

    CliResult exportRun(const QString &what, const QStringList &more) const
    {
        return runCli(QStringList{u"export"_s, what, u"--project"_s, m_project, u"--json"_s} + more);
    }

    static QByteArray readAll(const QString &file)
    {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    // (persona, question, sample, reask, request) of every item, in a stable order.
    static QStringList itemKeys(const QString &project, qint64 runId)
    {
        auto p = ProjectFile::open(project, ProjectFile::Mode::ReadOnly);
        if (!p)
            return {};
        RunStore store(**p);
        Result<QList<StoredItem>> items = store.items(runId);
        if (!items)
            return {};
        QStringList keys;
        for (const StoredItem &i : *items)
            keys.append(QStringList{i.persona, i.question, QString::number(i.sample),
                                    QString::number(i.reask), QString::fromUtf8(i.request)}
                            .join(u'|'));
        keys.sort();
        return keys;
    }

    static bool same(const QJsonValue &a, const QJsonValue &b)
    {
        if (a.isNull() || b.isNull())
            return a.isNull() && b.isNull();
        return a.toDouble() == b.toDouble();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.start());
        m_project = newProject();
        QVERIFY(!m_project.isEmpty());
        SyntheticAtpOptions options;
        options.respondents = 300;
        options.items = 3;
        SyntheticAtpGenerator generator(options);
        Result<Questionnaire> q =
            QuestionnaireFromDataset::build(generator.generate(), generator.itemNames());
        QVERIFY(q);
        Result<QString> yaml = QuestionnaireFromDataset::toYaml(*q);
        QVERIFY(yaml);
        m_questionnaire = m_dir.writeFile(u"questions.yaml"_s, yaml->toUtf8());
        for (int seed : {11, 12}) {
            const CliResult r = runCli(surveyArgs(m_project, seed) << u"--json"_s);
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QCOMPARE(r.json()[u"status"_s].toString(), u"completed"_s);
            m_runs.append(r.json()[u"run"_s].toInteger());
        }
    }

    void answersExportInEveryFormat_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("rows");
        const int items = personas * 3;
        QTest::newRow("csv long") << QStringList{u"--format"_s, u"csv"_s} << u"long.csv"_s << items;
        QTest::newRow("csv wide") << QStringList{u"--wide"_s} << u"wide.csv"_s << personas;
        QTest::newRow("sav by extension") << QStringList{} << u"answers.sav"_s << personas;
        QTest::newRow("jsonl") << QStringList{u"--format"_s, u"jsonl"_s} << u"answers.jsonl"_s << items;
    }

    void answersExportInEveryFormat()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, file);
        QFETCH(int, rows);
        const CliResult r = exportRun(u"answers"_s, args << u"--run"_s << QString::number(m_runs.first())
                                                         << u"--output"_s << path(file));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json()[u"rows"_s].toInt(), rows);
        const QByteArray bytes = readAll(path(file));
        QVERIFY(!bytes.isEmpty());
        if (file.endsWith(u".csv"_s)) {
            QCOMPARE(bytes.count("\r\n"), rows + 1); // answers hold no line breaks here
        } else if (file.endsWith(u".jsonl"_s)) {
            QCOMPARE(bytes.count('\n'), rows);
            const QJsonObject first = QJsonDocument::fromJson(bytes.left(bytes.indexOf('\n'))).object();
            QVERIFY(first[u"request"_s].toObject().contains(u"prompt"_s));
            QVERIFY(first[u"response"_s].isObject());
        } else {
            Result<Dataset> ds = DatasetReader::read(path(file));
            QVERIFY2(ds, ds ? "" : qPrintable(ds.error().toString()));
            QCOMPARE(ds->rowCount(), rows);
            QCOMPARE(ds->variableCount(), 4);
        }
    }

    void requestsAndBackstoriesExport()
    {
        CliResult r = exportRun(u"requests"_s, {u"--run"_s, QString::number(m_runs.first()), u"--output"_s,
                                                path(u"requests.jsonl"_s)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json()[u"rows"_s].toInt(), personas * 3);

        r = exportRun(u"backstories"_s, {u"--output"_s, path(u"ours.csv"_s)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json()[u"rows"_s].toInt(), personas);
        const CliResult theirs =
            runCli({u"backstories"_s, u"export"_s, path(u"theirs.csv"_s), u"--project"_s, m_project});
        QCOMPARE(theirs.exitCode, 0);
        QCOMPARE(readAll(path(u"ours.csv"_s)), readAll(path(u"theirs.csv"_s)));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no run") << QStringList{u"answers"_s, u"--output"_s, u"x.csv"_s} << u"--run"_s;
        QTest::newRow("unknown format")
            << QStringList{u"answers"_s, u"--run"_s, u"1"_s, u"--output"_s, u"x.xlsx"_s} << u"--format"_s;
        QTest::newRow("wide sav") << QStringList{u"answers"_s, u"--run"_s,    u"1"_s,
                                                 u"--wide"_s,  u"--output"_s, u"x.sav"_s}
                                  << u"--wide"_s;
        QTest::newRow("unknown run") << QStringList{u"answers"_s, u"--run"_s, u"999"_s, u"--output"_s,
                                                    u"x.csv"_s}
                                     << u"999"_s;
        QTest::newRow("study without runs")
            << QStringList{u"study"_s, u"--dataset"_s, u"humans"_s, u"--output"_s, u"x.csv"_s} << u"--runs"_s;
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const CliResult r = runCli(QStringList{u"export"_s} + args + QStringList{u"--project"_s, m_project});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.errText().contains(message), r.err.constData());
    }

    void runShowPrintsACommandThatReproducesTheRun()
    {
        const qint64 runId = m_runs.first();
        const CliResult text =
            runCli({u"run"_s, u"show"_s, QString::number(runId), u"--project"_s, m_project});
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.outText().contains(u"reproduce: cd "_s), text.out.constData());
        QVERIFY2(text.outText().contains(u"anthology run survey"_s), text.out.constData());
        QVERIFY2(text.outText().contains(u"seeds: run 11"_s), text.out.constData());

        const QString fresh = newProject();
        QVERIFY(!fresh.isEmpty());
        const CliResult shown = runCli({u"run"_s, u"show"_s, QString::number(runId), u"--project"_s,
                                        m_project, u"--into"_s, fresh, u"--json"_s});
        QCOMPARE(shown.exitCode, 0);
        const QJsonObject o = shown.json().object();
        QCOMPARE(o[u"seeds"_s][u"run"_s].toInt(), 11);
        QCOMPARE(o[u"items"_s][u"total"_s].toInt(), personas * 3);
        QVERIFY(o[u"config"_s].toObject().contains(u"questions"_s));
        QVERIFY(!o[u"config"_s].toObject().contains(u"invocation"_s));
        const QJsonObject invocation = o[u"invocation"_s].toObject();
        QCOMPARE(invocation[u"working_directory"_s].toString(), QDir::currentPath());
        QStringList args;
        for (const QJsonValue &v : invocation[u"arguments"_s].toArray())
            args.append(v.toString());
        QCOMPARE(args.mid(0, 2), (QStringList{u"run"_s, u"survey"_s}));
        QVERIFY(args.contains(fresh));
        QVERIFY(!args.contains(m_project));

        const CliResult again = runCli(args << u"--json"_s);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        const qint64 replayed = again.json()[u"run"_s].toInteger();
        const QStringList before = itemKeys(m_project, runId);
        QCOMPARE(before.size(), personas * 3);
        QCOMPARE(itemKeys(fresh, replayed), before);
    }

    void studyEqualsAnalyzeOnEachRun()
    {
        const QString runs = QString::number(m_runs[0]) + u',' + QString::number(m_runs[1]);
        const CliResult r = runCli({u"export"_s, u"study"_s, u"--project"_s, m_project, u"--runs"_s, runs,
                                    u"--dataset"_s, u"humans"_s, u"--output"_s, path(u"study.json"_s)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject study = QJsonDocument::fromJson(readAll(path(u"study.json"_s))).object();
        const QJsonArray rows = study[u"overall"_s][u"rows"_s].toArray();
        QCOMPARE(rows.size(), 3);

        for (qint64 runId : std::as_const(m_runs)) {
            const QString answers = path(u"answers-%1.csv"_s.arg(runId));
            const CliResult exported = runCli({u"run"_s, u"export"_s, QString::number(runId), u"--project"_s,
                                               m_project, u"--answers"_s, answers});
            QVERIFY2(exported.exitCode == 0, exported.err.constData());
            const CliResult analyzed = runCli({u"analyze"_s, u"--project"_s, m_project, u"--dataset"_s,
                                               u"humans"_s, u"--answers"_s, answers, u"--json"_s});
            QVERIFY2(analyzed.exitCode == 0, analyzed.err.constData());
            const QJsonObject a = analyzed.json().object();
            QJsonObject row, human;
            for (const QJsonValue &v : rows) {
                if (v[u"run"_s].toString().startsWith(u"run %1 "_s.arg(runId)))
                    row = v.toObject();
                if (v[u"human"_s].toBool())
                    human = v.toObject();
            }
            QVERIFY2(!row.isEmpty(), qPrintable(QString::number(runId)));
            QVERIFY(a[u"emd"_s][u"mean"_s].isDouble());
            QVERIFY(same(row[u"emd"_s][u"mean"_s], a[u"emd"_s][u"mean"_s]));
            QVERIFY(same(row[u"emd"_s][u"lower"_s], a[u"emd"_s][u"lower"_s]));
            QVERIFY(same(row[u"emd"_s][u"upper"_s], a[u"emd"_s][u"upper"_s]));
            QVERIFY(same(row[u"total_variation"_s][u"mean"_s], a[u"total_variation"_s][u"mean"_s]));
            QVERIFY(same(row[u"frobenius"_s], a[u"frobenius"_s]));
            QVERIFY(same(row[u"cbs"_s], a[u"cbs"_s]));
            QVERIFY(same(row[u"alpha"_s], a[u"model_alpha"_s]));
            QVERIFY(same(row[u"compliance"_s], a[u"compliance"_s][u"mean"_s]));
            QCOMPARE(row[u"n"_s].toInt(), a[u"personas"_s].toInt());
            QVERIFY(same(human[u"emd"_s][u"mean"_s], a[u"split_half_emd"_s][u"mean"_s]));
            QVERIFY(same(human[u"alpha"_s], a[u"human_alpha"_s]));
        }

        // `analyze --runs` prints the same table.
        const CliResult table = runCli({u"analyze"_s, u"--project"_s, m_project, u"--dataset"_s, u"humans"_s,
                                        u"--runs"_s, runs, u"--json"_s});
        QVERIFY2(table.exitCode == 0, table.err.constData());
        QCOMPARE(table.json().object(), study);
        const CliResult printed =
            runCli({u"analyze"_s, u"--project"_s, m_project, u"--dataset"_s, u"humans"_s, u"--runs"_s, runs});
        QVERIFY2(printed.outText().contains(u"Human (split-half lower bound)"_s), printed.out.constData());

        const CliResult csv =
            runCli({u"export"_s, u"study"_s, u"--project"_s, m_project, u"--runs"_s, runs, u"--dataset"_s,
                    u"humans"_s, u"--metric"_s, u"tv"_s, u"--output"_s, path(u"study.csv"_s)});
        QVERIFY2(csv.exitCode == 0, csv.err.constData());
        QCOMPARE(readAll(path(u"study.csv"_s)).count("\r\n"), 4);
    }

    void studySubgroupsComeFromBackstoryAttributes()
    {
        // Personas carry their matched human's age category as a backstory attribute, half as the
        // value label, half as the code (2 = "30-49").
        QByteArray jsonl;
        for (int i = 0; i < personas; ++i) {
            QJsonObject o{{u"uid"_s, personaUid(i)}, {u"backstory"_s, personaText(i)}};
            o.insert(u"f_agecat"_s, i % 2 ? QJsonValue(u"18-29"_s) : QJsonValue(2));
            jsonl += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
        }
        const QString project = path(u"grouped.anthology"_s);
        {
            auto p = ProjectFile::create(project);
            QVERIFY(p);
            BackstoryImportOptions options;
            options.dropShort = false;
            QVERIFY(BackstoryImporter(**p).importFile(m_dir.writeFile(u"grouped.jsonl"_s, jsonl), options));
            SyntheticAtpOptions data;
            data.respondents = 300;
            data.items = 3;
            QVERIFY(DatasetStore(**p).store(SyntheticAtpGenerator(data).generate(), u"humans"_s, 34));
        }
        const CliResult run = runCli(surveyArgs(project, 11) << u"--json"_s);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QString runId = QString::number(run.json()[u"run"_s].toInteger());
        const CliResult r = runCli({u"analyze"_s, u"--project"_s, project, u"--dataset"_s, u"humans"_s,
                                    u"--runs"_s, runId, u"--subgroup"_s, u"F_AGECAT"_s, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json()[u"subgroup_variable"_s].toString(), u"F_AGECAT"_s);
        QHash<QString, int> personasPerGroup;
        for (const QJsonValue &g : r.json()[u"subgroups"_s].toArray()) {
            QCOMPARE(g[u"rows"_s].toArray().size(), 2);
            for (const QJsonValue &row : g[u"rows"_s].toArray())
                if (!row[u"human"_s].toBool())
                    personasPerGroup.insert(g[u"group"_s].toString(), row[u"n"_s].toInt());
        }
        QCOMPARE(personasPerGroup.value(u"18-29"_s), personas / 2);
        QCOMPARE(personasPerGroup.value(u"30-49"_s), personas / 2);
        QCOMPARE(personasPerGroup.value(u"65+"_s), 0);

        // Without the attribute there is nothing to group personas by.
        const CliResult none = runCli({u"export"_s, u"study"_s, u"--project"_s, m_project, u"--runs"_s,
                                       QString::number(m_runs.first()), u"--dataset"_s, u"humans"_s,
                                       u"--subgroup"_s, u"F_AGECAT"_s, u"--output"_s, path(u"none.csv"_s)});
        QCOMPARE(none.exitCode, 1);
        QVERIFY2(none.errText().contains(u"backstory attribute"_s), none.err.constData());
    }

    // Demographics-primed backstories carry their respondent's key (qkey): the group is that
    // respondent's value in the data set, whatever else the backstory says.
    void studySubgroupsOfPrimedBackstoriesComeFromTheirRespondent()
    {
        SyntheticAtpOptions data;
        data.respondents = 300;
        data.items = 3;
        const Dataset humans = SyntheticAtpGenerator(data).generate();
        const qsizetype key = humans.indexOf(humans.keyVariable());
        const qsizetype age = humans.indexOf(u"F_AGECAT"_s);
        QVERIFY(key >= 0 && age >= 0);
        QByteArray jsonl;
        QHash<QString, int> expected;
        for (int i = 0; i < personas; ++i) {
            const qsizetype row = 7 * i + 3;
            QJsonObject o{{u"uid"_s, personaUid(i)}, {u"backstory"_s, personaText(i)}};
            o.insert(u"qkey"_s, QString::number(qint64(humans.numericColumn(key)[size_t(row)])));
            o.insert(u"f_agecat"_s, u"not this"_s);
            jsonl += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
            const QString label = ComparisonBuilder::groupLabel(humans, age, row);
            if (!label.isEmpty())
                ++expected[label];
        }
        const QString project = path(u"primed.anthology"_s);
        {
            auto p = ProjectFile::create(project);
            QVERIFY(p);
            BackstoryImportOptions options;
            options.dropShort = false;
            QVERIFY(BackstoryImporter(**p).importFile(m_dir.writeFile(u"primed.jsonl"_s, jsonl), options));
            QVERIFY(DatasetStore(**p).store(humans, u"humans"_s, 34));
        }
        const CliResult run = runCli(surveyArgs(project, 11) << u"--json"_s);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const CliResult r =
            runCli({u"analyze"_s, u"--project"_s, project, u"--dataset"_s, u"humans"_s, u"--runs"_s,
                    QString::number(run.json()[u"run"_s].toInteger()), u"--subgroup"_s, u"F_AGECAT"_s,
                    u"--split-halves"_s, u"2"_s, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QHash<QString, int> reported;
        for (const QJsonValue &g : r.json()[u"subgroups"_s].toArray())
            for (const QJsonValue &row : g[u"rows"_s].toArray())
                if (!row[u"human"_s].toBool() && row[u"n"_s].toInt() > 0)
                    reported.insert(g[u"group"_s].toString(), row[u"n"_s].toInt());
        QVERIFY(expected.size() >= 2);
        QCOMPARE(reported, expected);
    }
};

QTEST_GUILESS_MAIN(TestCliExport)
#include "TestCliExport.moc"
