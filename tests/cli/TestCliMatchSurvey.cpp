#include "CliRunner.h"
#include "FakeLlmServer.h"
#include "ProjectQuery.h"
#include "TempProject.h"
#include "TestPaths.h"
#include "core/PersonaFixture.h"
#include "core/RunFixture.h"

#include "backstories/BackstoryStore.h"
#include "data/QuestionnaireFromDataset.h"
#include "llm/LlmRequest.h"
#include "matching/CategoryMapLocator.h"
#include "matching/MatchStore.h"
#include "pipeline/RespondentTraits.h"
#include "project/Statement.h"
#include "prompt/OptionOrder.h"
#include "run/PersonaSetStore.h"
#include "run/RequestCodec.h"
#include "run/SurveyItemBuilder.h"

#include <QDir>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QProcess>
#include <QSet>
#include <QTest>
#include <QThread>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// The pipeline end to end through the real program: a synthetic wave of 60 respondents, 120
// backstories and a demographics run; `anthology match` greedy and maximum_weight; a survey of
// the matched qa_mcq set (killed mid-run and resumed by name) and a bio baseline, against a
// fake LLM server.
class TestCliMatchSurvey : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    QString m_project;
    QString m_configDir;
    QStringList m_items;
    int m_files = 0;

    QString newProject()
    {
        const QString name = u"e2e%1.anthology"_s.arg(++m_files);
        auto p = projectWithPersonas(m_dir, name, 120);
        if (!p)
            return {};
        QList<QPair<QString, int>> personas;
        for (int i = 0; i < 120; ++i)
            personas.append({personaUid(i), 1});
        if (!writeDemographicsRun(*p, u"demo"_s, personas, defaultDemographics()))
            return {};
        if (!storeSyntheticWave(*p, u"W99"_s, 60) || !storeSyntheticWave(*p, u"BIG"_s, 150))
            return {};
        return p->path();
    }

    // The opinion questionnaire in the config dir, built from the wave's own items.
    void writeQuestionnaire(const QString &name, const QString &renameFirstChoice = {})
    {
        auto p = ProjectFile::open(m_project, ProjectFile::Mode::ReadOnly);
        QVERIFY(p);
        const Dataset data = *DatasetStore(**p).load(u"W99"_s);
        Questionnaire q = *QuestionnaireFromDataset::build(data, m_items);
        QByteArray yaml = "wave: 99\nquestions:\n";
        for (Question &question : q.questions) {
            if (!renameFirstChoice.isEmpty())
                question.choices[0] = renameFirstChoice;
            yaml += "  " + question.id.toUtf8() + ":\n    question_body: \"" + question.body.toUtf8() +
                    "\"\n    choices:\n";
            for (const QString &c : std::as_const(question.choices))
                yaml += "      - \"" + c.toUtf8() + "\"\n";
            yaml += "    allow_randomization: false\n    randomization_pattern: []\n";
        }
        QDir().mkpath(m_configDir + u"/questionnaire/example"_s);
        QFile f(m_configDir + u"/questionnaire/example/"_s + name + u".yaml"_s);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(yaml);
    }

    QStringList surveyArgs(const QString &sub, const FakeLlmServer &server,
                           const QString &questionnaire = u"synq"_s)
    {
        return {u"survey"_s,
                sub,
                u"--project"_s,
                m_project,
                u"--config-dir"_s,
                m_configDir,
                u"questionnaire/example="_s + questionnaire,
                u"llm_parameters.api_provider="_s + server.baseUrl().toString(),
                u"llm_parameters.model_name=fake-model"_s,
                u"llm_parameters.max_tokens=8"_s,
                u"include_compliance_forcing=false"_s,
                u"--quiet"_s,
                u"--json"_s};
    }

    // Every item of the run done once; returns a problem or an empty string.
    QString checkRun(qint64 runId, int expected)
    {
        auto p = ProjectFile::open(m_project, ProjectFile::Mode::ReadOnly);
        const QList<StoredItem> items = *RunStore(**p).items(runId);
        if (items.size() != expected)
            return u"%1 items, expected %2"_s.arg(items.size()).arg(expected);
        QSet<QString> keys;
        for (const StoredItem &it : items) {
            keys.insert(it.persona + u'|' + it.question + u'|' + QString::number(it.sample));
            if (it.state != u"done"_s)
                return u"item %1 is %2 (%3)"_s.arg(it.id).arg(it.state, it.error);
        }
        return keys.size() == items.size() ? QString() : u"duplicate items"_s;
    }

    // The first prompt of one persona, and what it must be: the set's passage then the question.
    void checkFirstPrompt(
        qint64 runId,
        const std::function<QString(const RespondentTraits &, int row, const QString &)> &passage)
    {
        auto p = ProjectFile::open(m_project, ProjectFile::Mode::ReadOnly);
        RunStore store(**p);
        const SurveyPlan plan =
            *SurveyPlan::fromJson(QJsonDocument::fromJson(store.run(runId)->config.toUtf8()).object());
        const SurveyItemBuilder builder(plan);
        const CategoryMapConfig map = *CategoryMapLocator::load(99, {});
        const PersonaSet set = *PersonaSetStore(**p).load(plan.personaSetId);
        QStringList traits;
        for (const QJsonValue &v : set.source.value(u"traits"_s).toArray())
            traits.append(v.toString());
        const RespondentTraits humans =
            *RespondentTraits::build(*DatasetStore(**p).load(u"W99"_s), map, defaultDemographics(), traits);
        int checked = 0;
        const QList<StoredItem> items = *store.items(runId);
        for (const StoredItem &it : items) {
            if (it.position != 0 || (checked > 0 && it.persona != set.members[5].personaKey))
                continue;
            int row = -1;
            for (int r = 0; r < humans.rowCount(); ++r)
                if (humans.humanKey(r) == it.persona)
                    row = r;
            QVERIFY(row >= 0);
            const Question *q = builder.question(it.question);
            const QString expected = passage(humans, row, it.persona).trimmed() + u"\n\n"_s +
                                     builder.questionText(*q, *builder.optionOrder(*q, it.persona), 0);
            QCOMPARE(RequestCodec::requestFromJson(it.request)->prompt, expected);
            ++checked;
        }
        QVERIFY(checked >= 2);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_items = SyntheticAtpGenerator(SyntheticAtpOptions{60, 3, 99, 7, 0.02}).itemNames();
        m_configDir = m_dir.dir() + u"/configs"_s;
        m_project = newProject();
        QVERIFY(!m_project.isEmpty());
        writeQuestionnaire(u"synq"_s);
        writeQuestionnaire(u"renamed"_s, u"Not a label of the data"_s);
    }

    void matchStoresTheMatchAndItsSets_data()
    {
        QTest::addColumn<QString>("method");
        QTest::newRow("greedy") << u"greedy"_s;
        QTest::newRow("maximum_weight") << u"maximum_weight"_s;
    }

    void matchStoresTheMatchAndItsSets()
    {
        QFETCH(QString, method);
        const CliResult r =
            runCli({u"match"_s, u"match_config"_s, u"name=na_"_s + method, u"method="_s + method,
                    u"dataset=W99"_s, u"demographics_run=demo"_s, u"--project"_s, m_project, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(u"humans"_s).toInt(), 60);
        QCOMPARE(o.value(u"personas"_s).toInt(), 120);
        if (method == u"maximum_weight"_s)
            QCOMPARE(o.value(u"distinct_personas"_s).toInt(), 60);
        const QJsonArray sets = o.value(u"persona_sets"_s).toArray();
        QCOMPARE(sets.size(), 3);
        QCOMPARE(sets.first().toString(), u"na_"_s + method + u"/qa_mcq"_s);
        auto p = ProjectFile::open(m_project, ProjectFile::Mode::ReadOnly);
        const MatchRecord m = *MatchStore(**p).load(o.value(u"match"_s).toInteger());
        QCOMPARE(m.pairs.size(), 60);
        QCOMPARE(m.method, method);

        const CliResult list = runCli({u"survey"_s, u"sets"_s, u"--project"_s, m_project, u"--json"_s});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.outText().contains(u"na_"_s + method + u"/bio"_s));
    }

    void matchRefusesUpFront_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("more humans than personas")
            << QStringList{u"name=big"_s, u"method=maximum_weight"_s, u"dataset=BIG"_s}
            << u"150 respondents"_s;
        QTest::newRow("unknown trait") << QStringList{u"name=t"_s, u"dataset=W99"_s, u"traits=[shoe_size]"_s}
                                       << u"unknown trait 'shoe_size'"_s;
        QTest::newRow("unknown run") << QStringList{u"name=r"_s, u"dataset=W99"_s, u"demographics_run=nope"_s}
                                     << u"no demographics run named 'nope'"_s;
    }

    void matchRefusesUpFront()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        QStringList all{u"match"_s, u"match_config"_s, u"demographics_run=demo"_s};
        all << args << u"--project"_s << m_project;
        const CliResult r = runCli(all);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.errText().contains(expected), r.err.constData());
    }

    // The matched qa_mcq set, killed mid-run and run again by the same command: it resumes the
    // run of that name and leaves every item exactly once.
    void surveyOfAMatchedSetResumesAfterAKill()
    {
        const CliResult match = runCli({u"match"_s, u"match_config"_s, u"name=resume"_s, u"dataset=W99"_s,
                                        u"demographics_run=demo"_s, u"--project"_s, m_project});
        QVERIFY2(match.exitCode == 0, match.err.constData());
        FakeLlmServerConfig config;
        config.latencyMs = 25;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QStringList args = surveyArgs(u"atp"_s, server)
                                 << u"personas=resume/qa_mcq"_s << u"--in-flight"_s << u"3"_s;
        const qint64 runsBefore = projectScalar(m_project, "SELECT count(*) FROM runs");
        // 24 answers, then the server holds the rest: the kill lands mid-run on any machine.
        server.setCompletionGate(24);
        QProcess child;
        child.start(QStringLiteral(ANTHOLOGY_CLI_PATH), args);
        QVERIFY(child.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(projectScalar(m_project,
                                               "SELECT count(*) FROM items i JOIN runs r ON r.id = i.run_id "
                                               "WHERE r.name = 'atp/resume/qa_mcq' AND i.state = 'done'") >= 20 ||
                                     child.state() != QProcess::Running,
                                 60000);
        QCOMPARE(child.state(), QProcess::Running);
        child.kill();
        QVERIFY(child.waitForFinished(10000));
        qInfo("killed with %lld items done",
              projectScalar(
                  m_project,
                  "SELECT count(*) FROM items WHERE state = 'done' AND run_id = (SELECT max(id) FROM runs)"));
        const qint64 runId = projectScalar(m_project, "SELECT max(id) FROM runs");
        QCOMPARE(runId, runsBefore + 1);
        QVERIFY(
            projectScalar(m_project,
                          "SELECT count(*) FROM items WHERE state = 'pending' AND run_id = (SELECT max(id) "
                          "FROM runs)") > 0);

        server.setCompletionGate(-1);
        const CliResult resumed = runCli(args);
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QCOMPARE(resumed.json().object().value(u"run"_s).toInteger(), runId);
        QCOMPARE(resumed.json().object().value(u"status"_s).toString(), u"completed"_s);
        QCOMPARE(projectScalar(m_project, "SELECT count(*) FROM runs"), runsBefore + 1);
        QCOMPARE(checkRun(runId, 60 * 3), QString());

        auto p = ProjectFile::open(m_project, ProjectFile::Mode::ReadOnly);
        const BackstoryStore backstories(**p);
        const PersonaSet set = *PersonaSetStore(**p).load(u"resume/qa_mcq"_s);
        checkFirstPrompt(runId, [&](const RespondentTraits &humans, int row, const QString &key) {
            QString uid;
            for (const PersonaSetMember &m : set.members)
                if (m.personaKey == key)
                    uid = m.backstoryUid;
            return DemographicPrefixBuilder(PrefixStyle::Qa)
                .appendToBackstory(backstories.get(uid)->passage(), humans.answers(row));
        });

        const CliResult again = runCli(args);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(again.json().object().value(u"resumed"_s).toBool(), true);
    }

    void baselineBioSurveysTheRespondents()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        const CliResult r = runCli(surveyArgs(u"baseline"_s, server)
                                   << u"prompt_style=bio"_s << u"dataset=W99"_s << u"num_users=20"_s);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.json().object().value(u"status"_s).toString(), u"completed"_s);
        const qint64 runId = r.json().object().value(u"run"_s).toInteger();
        QCOMPARE(checkRun(runId, 20 * 3), QString());
        checkFirstPrompt(runId, [](const RespondentTraits &humans, int row, const QString &key) {
            return DemographicPrefixBuilder(PrefixStyle::Bio)
                .prefix(DemographicPrefixBuilder::shuffled(humans.answers(row), 42, key));
        });
        // Items keep the respondent: every persona key is a QKEY of the set, with its weight.
        auto p = ProjectFile::open(m_project, ProjectFile::Mode::ReadOnly);
        const PersonaSet set = *PersonaSetStore(**p).load(u"W99/baseline_bio"_s);
        QCOMPARE(set.members.size(), 20);
        const QList<StoredItem> items = *RunStore(**p).items(runId);
        for (const StoredItem &it : items)
            QVERIFY(PersonaSetStore(**p).member(set.id, it.persona)->humanWeight.has_value());

        // The analysis groups the run's personas by their respondents' age group.
        const CliResult analysis = runCli({u"analyze"_s, u"--run"_s, QString::number(runId), u"--dataset"_s,
                                           u"W99"_s, u"--subgroup"_s, u"F_AGECAT"_s, u"--split-halves"_s,
                                           u"2"_s, u"--project"_s, m_project, u"--json"_s});
        QVERIFY2(analysis.exitCode == 0, analysis.out.constData());
        int grouped = 0;
        for (const PersonaSetMember &m : set.members) {
            const int code = MatchStore::traitsFromJson(m.traits).value(u"age_category_4"_s).code;
            grouped += code >= 1 && code <= 4 ? 1 : 0;
        }
        int reported = 0;
        const QJsonArray subgroups = analysis.json().object().value(u"subgroups"_s).toArray();
        QVERIFY(subgroups.size() >= 2);
        for (const QJsonValue &g : subgroups)
            reported += g[u"personas"_s].toInt();
        QCOMPARE(reported, grouped);

        // The study table groups them the same way: by their linked respondents.
        const CliResult study = runCli({u"analyze"_s, u"--runs"_s, QString::number(runId), u"--dataset"_s,
                                        u"W99"_s, u"--subgroup"_s, u"F_AGECAT"_s, u"--split-halves"_s, u"2"_s,
                                        u"--project"_s, m_project, u"--json"_s});
        QVERIFY2(study.exitCode == 0, study.err.constData());
        QHash<QString, int> byRun, byStudy;
        for (const QJsonValue &g : subgroups)
            if (g[u"personas"_s].toInt() > 0)
                byRun.insert(g[u"label"_s].toString(), g[u"personas"_s].toInt());
        for (const QJsonValue &g : study.json().object().value(u"subgroups"_s).toArray())
            for (const QJsonValue &row : g[u"rows"_s].toArray())
                if (!row[u"human"_s].toBool() && row[u"n"_s].toInt() > 0)
                    byStudy.insert(g[u"group"_s].toString(), row[u"n"_s].toInt());
        QVERIFY(!byRun.isEmpty());
        QCOMPARE(byStudy, byRun);

        // `run show` prints the command that planned the run, the step's keys kept apart from
        // the config's overrides.
        const CliResult shown =
            runCli({u"run"_s, u"show"_s, QString::number(runId), u"--project"_s, m_project});
        QVERIFY2(shown.exitCode == 0, shown.err.constData());
        QVERIFY2(shown.outText().contains(u"reproduce: cd "_s), shown.out.constData());
        QVERIFY2(shown.outText().contains(u"anthology survey baseline --project"_s), shown.out.constData());
        QVERIFY2(shown.outText().contains(u"dataset=W99"_s), shown.out.constData());
        QVERIFY2(shown.outText().contains(u"config: survey_config questionnaire/example=synq"_s),
                 shown.out.constData());
    }

    void surveyRefusesChoicesThatDifferFromTheData()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        const CliResult r = runCli(surveyArgs(u"baseline"_s, server, u"renamed"_s)
                                   << u"prompt_style=qa"_s << u"dataset=W99"_s << u"num_users=5"_s);
        QCOMPARE(r.exitCode, 1);
        const QString message = r.json().object().value(u"error"_s)[u"message"_s].toString();
        QVERIFY2(
            message.contains(u"question %1: choice 1 is 'Not a label of the data'"_s.arg(m_items.first())),
            r.out.constData());
        QCOMPARE(server.completionRequestCount(), 0);
        auto p = ProjectFile::open(m_project, ProjectFile::Mode::ReadOnly);
        QVERIFY(!PersonaSetStore(**p).find(u"W99/baseline_qa"_s)->has_value()); // nothing stored

        // A run name already taken by another survey is not resumed.
        const CliResult clash = runCli(surveyArgs(u"atp"_s, server) << u"name=baseline/W99/baseline_bio"_s);
        QCOMPARE(clash.exitCode, 1);
        QVERIFY2(clash.outText().contains(u"give it another name"_s), clash.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliMatchSurvey)
#include "TestCliMatchSurvey.moc"
