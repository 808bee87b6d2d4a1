#include "CliRunner.h"
#include "FakeLlmServer.h"
#include "ProjectQuery.h"
#include "TempProject.h"
#include "TestPaths.h"
#include "core/RunFixture.h"

#include "analysis/ModelAnswers.h"
#include "llm/LlmRequest.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "run/RequestCodec.h"
#include "run/RunStore.h"
#include "util/SeededRandom.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QThread>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// `anthology run` and `anthology llm ping` through the real program, against a fake server in
// this process; and the crash test: a survey killed with SIGKILL at random moments resumes
// with exactly the expected items.
class TestCliRun : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_files = 0;

    QString newProject(int personas)
    {
        auto p = projectWithPersonas(m_dir, u"cli-run%1.anthology"_s.arg(++m_files), personas);
        return p ? p->path() : QString();
    }

    QString questionnaireFile(int questions, int choices = 5)
    {
        QByteArray yaml = "wave: 99\nquestions:\n";
        const Questionnaire q = questionnaire(questions, choices);
        for (const Question &question : q.questions) {
            yaml += "  " + question.id.toUtf8() + ":\n    question_body: \"" + question.body.toUtf8() +
                    "\"\n    choices:\n";
            for (const QString &c : question.choices)
                yaml += "      - \"" + c.toUtf8() + "\"\n";
            yaml += "    allow_randomization: false\n    randomization_pattern: []\n";
        }
        return m_dir.writeFile(u"questions%1.yaml"_s.arg(questions), yaml);
    }

    static QStringList surveyArgs(const QString &project, const QString &questionnaire,
                                  const FakeLlmServer &server)
    {
        return {u"run"_s,
                u"survey"_s,
                u"--project"_s,
                project,
                u"--questionnaire"_s,
                questionnaire,
                u"--profile"_s,
                server.baseUrl().toString(),
                u"--model"_s,
                u"fake-model"_s,
                u"--quiet"_s};
    }

    // The whole expected set, every answer the server's, every in-series prompt carrying the
    // answer before it; an empty string when all holds.
    static QString checkRun(const QString &path, qint64 runId, int expectedItems, int maxTokens,
                            bool allowPending = false)
    {
        auto p = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        if (!p)
            return p.error().message;
        const QList<StoredItem> items = *RunStore(**p).items(runId);
        if (items.size() != expectedItems)
            return u"%1 items, expected %2"_s.arg(items.size()).arg(expectedItems);
        QSet<QString> keys;
        QHash<QString, QList<const StoredItem *>> chains;
        for (const StoredItem &it : items) {
            keys.insert(it.persona + u'|' + it.question + u'|' + QString::number(it.sample));
            if (allowPending && it.state == u"pending"_s)
                continue;
            if (it.state != u"done"_s)
                return u"item %1 is %2: %3"_s.arg(it.id).arg(it.state, it.error);
            const Result<LlmRequest> r = RequestCodec::requestFromJson(it.request);
            if (!r)
                return u"item %1: unreadable request"_s.arg(it.id);
            const QString expected = FakeLlmServer::answerText(r->prompt, r->seed, 0, maxTokens);
            if (it.rawAnswer != expected)
                return u"item %1: answer '%2', the server's is '%3'"_s.arg(it.id).arg(it.rawAnswer, expected);
            chains[it.persona].append(&it);
        }
        if (keys.size() != items.size())
            return u"duplicate keys"_s;
        for (const QList<const StoredItem *> &chain : std::as_const(chains)) {
            for (int i = 1; i < chain.size(); ++i) {
                if (chain[i]->position != chain[i - 1]->position + 1)
                    return u"item %1 follows a missing answer"_s.arg(chain[i]->id);
                const QString before = RequestCodec::requestFromJson(chain[i - 1]->request)->prompt;
                const QString prompt = RequestCodec::requestFromJson(chain[i]->request)->prompt;
                if (!prompt.startsWith(QString(before + chain[i - 1]->rawAnswer).trimmed() + u"\n\n"_s))
                    return u"item %1 does not carry the answer before it"_s.arg(chain[i]->id);
            }
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void surveyRunsAndIsListed()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString project = newProject(5);
        const CliResult r = runCli(surveyArgs(project, questionnaireFile(3), server) << u"--json"_s);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(u"status"_s).toString(), u"completed"_s);
        QCOMPARE(o.value(u"done"_s).toInt(), 15);
        const qint64 runId = o.value(u"run"_s).toInteger();
        QCOMPARE(checkRun(project, runId, 15, 16), QString());

        const CliResult list = runCli({u"run"_s, u"list"_s, u"--project"_s, project, u"--json"_s});
        QCOMPARE(list.exitCode, 0);
        const QJsonArray runs = list.json().object().value(u"runs"_s).toArray();
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.first()[u"items"_s][u"done"_s].toInt(), 15);
        const CliResult status =
            runCli({u"run"_s, u"status"_s, QString::number(runId), u"--project"_s, project, u"--json"_s});
        QCOMPARE(status.exitCode, 0);
        QCOMPARE(status.json().object().value(u"status"_s).toString(), u"completed"_s);
        QCOMPARE(status.json().object().value(u"config"_s)[u"samples"_s].toInt(), 1);
        const CliResult text =
            runCli({u"run"_s, u"status"_s, QString::number(runId), u"--project"_s, project});
        QVERIFY2(text.outText().contains(u"15 done"_s), text.out.constData());
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no questionnaire")
            << QStringList{u"run"_s, u"survey"_s, u"--model"_s, u"m"_s} << 1 << u"--questionnaire"_s;
        QTest::newRow("questionnaire without choices") << QStringList{u"run"_s,
                                                                      u"survey"_s,
                                                                      u"--model"_s,
                                                                      u"m"_s,
                                                                      u"--profile"_s,
                                                                      u"http://127.0.0.1:9/v1"_s,
                                                                      u"--questionnaire"_s,
                                                                      u"BAD_QUESTIONNAIRE"_s}
                                                       << 1 << u"choices"_s;
        QTest::newRow("bad run id") << QStringList{u"run"_s, u"status"_s, u"x"_s} << 1 << u"run id"_s;
        QTest::newRow("unknown run") << QStringList{u"run"_s, u"resume"_s, u"99"_s} << 1 << u"no run 99"_s;
        QTest::newRow("ping without url") << QStringList{u"llm"_s, u"ping"_s} << 1 << u"--url"_s;
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        if (args.first() == u"run"_s)
            args << u"--project"_s << newProject(1);
        args.replaceInStrings(
            u"BAD_QUESTIONNAIRE"_s,
            m_dir.writeFile(u"bad.yaml"_s, "wave: 1\nquestions:\n  Q1:\n    question_body: \"Why?\"\n"));
        const CliResult r = runCli(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.errText().contains(message), r.err.constData());
    }

    void pingReportsFeatures_data()
    {
        QTest::addColumn<int>("maxN");
        QTest::addColumn<bool>("n");
        QTest::newRow("accepts n") << 0 << true;
        QTest::newRow("one choice only") << 1 << false;
    }

    void pingReportsFeatures()
    {
        QFETCH(int, maxN);
        QFETCH(bool, n);
        FakeLlmServerConfig config;
        config.maxN = maxN;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const CliResult r =
            runCli({u"llm"_s, u"ping"_s, u"--url"_s, server.baseUrl().toString(), u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(u"models"_s).toArray().first().toString(), u"fake-model"_s);
        QCOMPARE(o.value(u"model"_s).toString(), u"fake-model"_s);
        QCOMPARE(o.value(u"n_greater_than_1"_s).toBool(), n);
        QCOMPARE(o.value(u"logprobs"_s).toBool(), true);
        QVERIFY(o.value(u"latency_ms"_s).toDouble() >= 0);
    }

    void pingNamesAnUnreachableServer()
    {
        const CliResult r = runCli(
            {u"llm"_s, u"ping"_s, u"--url"_s, u"http://127.0.0.1:9/v1"_s, u"--timeout-ms"_s, u"2000"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.errText().contains(u"127.0.0.1:9"_s), r.err.constData());
    }

    void retryFailedSendsOnlyTheFailed()
    {
        FakeLlmServerConfig config;
        config.script = [](const FakeRequest &r) -> std::optional<FakeReply> {
            if (r.json.value(u"prompt"_s).toString().startsWith(personaText(2)))
                return FakeReply{FakeFault::BadRequest, 0};
            return std::nullopt;
        };
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString project = newProject(4);
        const CliResult first = runCli(surveyArgs(project, questionnaireFile(3), server) << u"--json"_s);
        QVERIFY2(first.exitCode == 1, first.err.constData()); // ended with failures
        QCOMPARE(first.json().object().value(u"status"_s).toString(), u"incomplete"_s);
        QCOMPARE(first.json().object().value(u"failed"_s).toInt(), 3); // one sent, two waiting on it
        const qint64 runId = first.json().object().value(u"run"_s).toInteger();
        // Grouped by cause: the refused one by its status, the two never sent apart.
        const QJsonArray failures = first.json().object().value(u"failures"_s).toArray();
        QCOMPARE(failures.size(), 2);
        QCOMPARE(failures[0].toObject().value(u"cause"_s).toString(), u"not asked (earlier answer failed)"_s);
        QCOMPARE(failures[0].toObject().value(u"count"_s).toInt(), 2);
        QCOMPARE(failures[1].toObject().value(u"cause"_s).toString(), u"HTTP 400"_s);
        QCOMPARE(failures[1].toObject().value(u"http_status"_s).toInt(), 400);
        QCOMPARE(failures[1].toObject().value(u"count"_s).toInt(), 1);
        QVERIFY(failures[1].toObject().value(u"latest_error"_s).toString().contains(u"HTTP 400"_s));
        const CliResult status = runCli({u"run"_s, u"status"_s, QString::number(runId), u"--project"_s, project,
                                         u"--json"_s});
        QCOMPARE(status.exitCode, 0);
        QCOMPARE(status.json().object().value(u"failures"_s).toArray(), failures);
        const CliResult text = runCli({u"run"_s, u"status"_s, QString::number(runId), u"--project"_s, project});
        QVERIFY2(text.outText().contains(u"failures by cause:"_s), text.out.constData());
        QVERIFY2(text.outText().contains(u"1 HTTP 400 (latest: "_s), text.out.constData());
        const CliResult show = runCli({u"run"_s, u"show"_s, QString::number(runId), u"--project"_s, project});
        QVERIFY2(show.outText().contains(u"2 not asked (earlier answer failed)"_s), show.out.constData());
        const int before = server.completionRequestCount();
        QCOMPARE(before, 10);

        server.setConfig(FakeLlmServerConfig{});
        const CliResult retry = runCli({u"run"_s, u"retry-failed"_s, QString::number(runId), u"--project"_s,
                                        project, u"--json"_s, u"--quiet"_s});
        QVERIFY2(retry.exitCode == 0, retry.err.constData());
        QCOMPARE(retry.json().object().value(u"status"_s).toString(), u"completed"_s);
        QCOMPARE(server.completionRequestCount(), before + 3);
        QCOMPARE(checkRun(project, runId, 12, 16), QString());
    }

    void cancelFromAnotherProcessThenResume()
    {
        FakeLlmServerConfig config;
        config.latencyMs = 20;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString project = newProject(20);
        QProcess child;
        child.start(QStringLiteral(ANTHOLOGY_CLI_PATH), surveyArgs(project, questionnaireFile(4), server)
                                                            << u"--in-flight"_s << u"2"_s << u"--json"_s);
        // Six answers, then the server holds every request: the cancel finds the run going
        // however fast the machine; the held ones are answered once it is cancelled.
        server.setCompletionGate(6);
        QVERIFY(child.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(
            projectScalar(project, "SELECT count(*) FROM items WHERE state = 'done'") >= 4, 60000);
        const CliResult live = runCli({u"run"_s, u"status"_s, u"1"_s, u"--project"_s, project, u"--json"_s});
        QCOMPARE(live.json().object().value(u"status"_s).toString(), u"running"_s); // held by the child
        const CliResult cancel =
            runCli({u"run"_s, u"cancel"_s, u"1"_s, u"--project"_s, project, u"--json"_s});
        server.setCompletionGate(-1);
        QVERIFY2(cancel.exitCode == 0, cancel.err.constData());
        QCOMPARE(cancel.json().object().value(u"running"_s).toBool(), true);
        QVERIFY(child.waitForFinished(30000));
        QCOMPARE(child.exitCode(), 1); // cancelled: not every item was answered
        QCOMPARE(
            QJsonDocument::fromJson(child.readAllStandardOutput()).object().value(u"status"_s).toString(),
            u"cancelled"_s);
        QVERIFY(projectScalar(project, "SELECT count(*) FROM items WHERE state = 'pending'") > 0);

        const CliResult resume =
            runCli({u"run"_s, u"resume"_s, u"1"_s, u"--project"_s, project, u"--json"_s, u"--quiet"_s});
        QVERIFY2(resume.exitCode == 0, resume.err.constData());
        QCOMPARE(resume.json().object().value(u"status"_s).toString(), u"completed"_s);
        QCOMPARE(checkRun(project, 1, 80, 16), QString());
    }

    // An independent survey builds each request when it sends it: killed with SIGKILL mid-run
    // and resumed, it has sent, byte for byte, the requests of the same survey run through
    // without a stop (another project with the same backstories and seed).
    void killedIndependentRunSendsTheRequestsOfAnUnbrokenOne()
    {
        FakeLlmServerConfig config;
        config.latencyMs = 1;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const int personas = 60;
        const int questions = 4;
        const QString yaml = questionnaireFile(questions);
        const auto requests = [](const QString &path) {
            QHash<QString, QByteArray> out;
            auto p = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
            const QList<StoredItem> items = *RunStore(**p).items(1);
            for (const StoredItem &it : items)
                out.insert(it.persona + u'|' + it.question + u'|' + QString::number(it.sample),
                           it.state.toUtf8() + ' ' + it.request + ' ' + it.rawAnswer.toUtf8());
            return out;
        };
        const QString unbroken = newProject(personas);
        const CliResult whole = runCli(surveyArgs(unbroken, yaml, server) << u"--independent"_s << u"--seed"_s
                                                                          << u"9"_s);
        QVERIFY2(whole.exitCode == 0, whole.err.constData());
        QCOMPARE(projectScalar(unbroken, "SELECT count(*) FROM items WHERE state = 'done'"), personas * questions);

        const QString killed = newProject(personas);
        server.setCompletionGate(server.admittedCompletions() + 70);
        QProcess child;
        child.start(QStringLiteral(ANTHOLOGY_CLI_PATH), surveyArgs(killed, yaml, server)
                                                            << u"--independent"_s << u"--seed"_s << u"9"_s
                                                            << u"--in-flight"_s << u"16"_s);
        QVERIFY(child.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(server.heldCompletions() > 0 || child.state() != QProcess::Running, 60000);
        child.kill(); // SIGKILL
        QVERIFY(child.waitForFinished(10000));
        server.setCompletionGate(-1);
        const qint64 pending = projectScalar(killed, "SELECT count(*) FROM items WHERE state = 'pending'");
        QVERIFY2(pending > 0, "the kill should land mid-run");
        QCOMPARE(projectScalar(killed, "SELECT count(*) FROM items"), personas * questions);

        const CliResult resume =
            runCli({u"run"_s, u"resume"_s, u"1"_s, u"--project"_s, killed, u"--json"_s, u"--quiet"_s});
        QVERIFY2(resume.exitCode == 0, resume.err.constData());
        const QHash<QString, QByteArray> sent = requests(killed);
        const QHash<QString, QByteArray> expected = requests(unbroken);
        QCOMPARE(sent.size(), expected.size());
        for (auto it = expected.cbegin(); it != expected.cend(); ++it)
            QVERIFY2(sent.value(it.key()) == it.value(), qPrintable(it.key()));
    }

    // Surveys of 2,000 items in series, killed with SIGKILL at 20 seeded random moments: the
    // first kill hits `run survey`, the next ones each `run resume` of the same run (a new
    // survey starts when one has finished). After every kill the project holds exactly the
    // planned items, each once, nothing committed before is lost, and every answer is the
    // server's; the last resume finishes the run completely.
    void killedRunsResumeExactly()
    {
        FakeLlmServerConfig config;
        config.latencyMs = 1;
        config.latencyJitterMs = 2;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const int personas = 250;
        const int questions = 8;
        const int total = personas * questions;
        const QString project = newProject(personas);
        const QString yaml = questionnaireFile(questions);
        auto reader = ProjectFile::open(project, ProjectFile::Mode::ReadOnly);
        QVERIFY(reader);
        const auto count = [&reader](const char *sql, qint64 runId) {
            Statement s = (*reader)->prepare(sql);
            if (QByteArrayView(sql).contains("?1"))
                s.bind(1, runId);
            Result<bool> row = s.step();
            return row && *row ? s.columnInt64(0) : qint64(-1);
        };
        SeededRandom random(20261126);
        qint64 runId = 0;
        qint64 doneBefore = 0;
        int killedMidRun = 0;
        int surveys = 0;
        for (int trial = 0; trial < 20; ++trial) {
            const bool startSurvey =
                runId == 0 ||
                count("SELECT count(*) FROM items WHERE run_id = ?1 AND state = 'pending'", runId) == 0;
            const qint64 runsBefore = count("SELECT count(*) FROM runs", 0);
            QStringList args = startSurvey ? surveyArgs(project, yaml, server)
                                                 << u"--seed"_s << QString::number(1000 + trial)
                                           : QStringList{u"run"_s,       u"resume"_s, QString::number(runId),
                                                         u"--project"_s, project,     u"--quiet"_s};
            args << u"--in-flight"_s << u"128"_s;
            // The kill lands when the child has had a seeded number of answers and asks for
            // more: held at the server's gate, the run cannot finish first on a fast machine,
            // and a slow one only takes longer to get there.
            const int allowance = 1 + int(random.below(240));
            QTRY_COMPARE_WITH_TIMEOUT(server.heldCompletions(), 0, 60000); // the last child's are gone
            server.setCompletionGate(server.admittedCompletions() + allowance);
            QProcess child;
            child.start(QStringLiteral(ANTHOLOGY_CLI_PATH), args);
            QVERIFY(child.waitForStarted());
            if (startSurvey) {
                // Kill after the plan is committed: before it, nothing of the run exists.
                QTRY_VERIFY_WITH_TIMEOUT(count("SELECT count(*) FROM runs", 0) > runsBefore ||
                                             child.state() != QProcess::Running,
                                         60000);
                runId = count("SELECT max(id) FROM runs", 0);
                QCOMPARE(runId, runsBefore + 1);
                doneBefore = 0;
                ++surveys;
            }
            QTRY_VERIFY_WITH_TIMEOUT(server.heldCompletions() > 0 || child.state() != QProcess::Running,
                                     60000);
            if (child.state() != QProcess::NotRunning) {
                child.kill(); // SIGKILL
                QVERIFY(child.waitForFinished(10000));
            }
            const qint64 done =
                count("SELECT count(*) FROM items WHERE run_id = ?1 AND state = 'done'", runId);
            if (done < total)
                ++killedMidRun;
            QVERIFY2(done >= doneBefore, "committed answers were lost");
            qInfo("trial %d: %lld of %d done after the kill", trial, done, total);
            doneBefore = done;
            const QString problem = checkRun(project, runId, total, 16, true);
            QVERIFY2(problem.isEmpty(), qPrintable(u"trial %1: %2"_s.arg(trial).arg(problem)));
            // Stored as running, but no process holds it: shown as interrupted, not running for ever.
            const bool storedRunning = projectScalar(project, "SELECT count(*) FROM runs WHERE status = 'running'") > 0;
            if (storedRunning && trial % 4 == 0) {
                const CliResult status = runCli({u"run"_s, u"status"_s, QString::number(runId), u"--project"_s,
                                                 project, u"--json"_s});
                QCOMPARE(status.json().object().value(u"status"_s).toString(), u"interrupted"_s);
                const CliResult list = runCli({u"run"_s, u"list"_s, u"--project"_s, project, u"--json"_s});
                const QJsonArray runs = list.json().object().value(u"runs"_s).toArray();
                QCOMPARE(runs.last().toObject().value(u"status"_s).toString(), u"interrupted"_s);
            }
        }
        server.setCompletionGate(-1);
        const CliResult resume = runCli({u"run"_s, u"resume"_s, QString::number(runId), u"--project"_s,
                                         project, u"--json"_s, u"--quiet"_s, u"--in-flight"_s, u"128"_s});
        QVERIFY2(resume.exitCode == 0, resume.err.constData());
        QCOMPARE(resume.json().object().value(u"status"_s).toString(), u"completed"_s);
        const QString problem = checkRun(project, runId, total, 16);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        qInfo("%d of 20 kills landed mid-run, over %d surveys", killedMidRun, surveys);
        // The kills must land while the runs are going, or this test shows nothing.
        QVERIFY2(killedMidRun >= 15, qPrintable(u"only %1 of 20 kills landed mid-run"_s.arg(killedMidRun)));
    }
};

QTEST_GUILESS_MAIN(TestCliRun)
#include "TestCliRun.moc"
