#include "FakeLlmServer.h"
#include "TempProject.h"
#include "core/RunFixture.h"

#include "pipeline/RunController.h"
#include "pipeline/RunEstimate.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "run/RunFailures.h"
#include "run/RunPlanner.h"
#include "run/RunStatus.h"
#include "run/RunStore.h"

#include <QFile>
#include <QLockFile>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <memory>

using namespace anthology;
using namespace anthology::test;
using namespace Qt::StringLiterals;

// The run lifecycle both faces call: a run driven on the controller's own thread, the
// pause/resume/cancel requests another process makes, the held/interrupted test, failures by
// cause and the plan estimate.
class TestRunController : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_files = 0;

    QString newRun(const FakeLlmServer &server, int personas, int questions, qint64 *runId,
                   const std::function<void(SurveyPlan &)> &adjust = {})
    {
        auto p = projectWithPersonas(m_dir, u"controller%1.anthology"_s.arg(++m_files), personas);
        if (!p)
            return {};
        SurveyPlan plan = surveyPlan(server.baseUrl(), questions, true);
        plan.options.numProcesses = 3;
        if (adjust)
            adjust(plan);
        Result<qint64> id = RunPlanner::plan(*p, plan);
        *runId = id ? *id : 0;
        return p->path();
    }

    static RunDriveOptions fast()
    {
        RunDriveOptions o;
        o.engine.client.retry.baseDelayMs = 5;
        o.engine.client.retry.maxDelayMs = 20;
        return o;
    }

    static QString status(const QString &path, qint64 runId)
    {
        auto p = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        return p ? RunStore(**p).run(runId)->status : QString();
    }

private Q_SLOTS:
    void statusAndKindHaveOneMapping()
    {
        for (RunStatus s : {RunStatus::Planned, RunStatus::Running, RunStatus::Paused, RunStatus::Cancelled,
                            RunStatus::Completed, RunStatus::Incomplete, RunStatus::Interrupted})
            QCOMPARE(runStatusFromName(runStatusName(s)), s);
        for (RunKind k : {RunKind::Survey, RunKind::Generate, RunKind::Demographics, RunKind::DemographicsParser})
            QCOMPARE(runKindFromName(runKindName(k)), k);
        QCOMPARE(runKindFromName(QString()), RunKind::Survey);
        QVERIFY(!runStatusFromName(u"sleeping"_s));
        QVERIFY(!isResumable(RunStatus::Completed));
        QVERIFY(isResumable(RunStatus::Interrupted));
    }

    void failuresAreClassifiedByCause_data()
    {
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("cause");
        QTest::addColumn<int>("status");
        QTest::newRow("gave up on 503") << u"gave up after 21 attempts: HTTP 503: overloaded"_s
                                        << int(FailureCause::HttpStatus) << 503;
        QTest::newRow("key rejected") << u"API key in $X was rejected by http://h/v1 (HTTP 401: no)"_s
                                      << int(FailureCause::HttpStatus) << 401;
        QTest::newRow("refused") << u"gave up after 21 attempts: Connection refused"_s
                                 << int(FailureCause::Network) << 0;
        QTest::newRow("unknown host") << u"Host example.invalid not found"_s << int(FailureCause::Network) << 0;
        QTest::newRow("attempt timeout") << u"gave up after 3 attempts: no complete answer within 120000 ms"_s
                                         << int(FailureCause::Timeout) << 0;
        QTest::newRow("stalled") << u"stalled: no bytes for 120 s"_s << int(FailureCause::Timeout) << 0;
        QTest::newRow("bad json") << u"unreadable response: expected a JSON object"_s
                                  << int(FailureCause::Parse) << 0;
        QTest::newRow("series") << u"not asked: the answer to 'Q1' before it failed: HTTP 500"_s
                                << int(FailureCause::NotAsked) << 0;
        QTest::newRow("other") << u"cancelled"_s << int(FailureCause::Other) << 0;
    }

    void failuresAreClassifiedByCause()
    {
        QFETCH(QString, error);
        QFETCH(int, cause);
        QFETCH(int, status);
        int http = 0;
        QCOMPARE(int(RunFailures::classify(error, &http)), cause);
        QCOMPARE(http, status);
    }

    // Driven on the controller's thread to the end; the failures come grouped, newest message kept.
    void drivesARunAndGroupsItsFailures()
    {
        FakeLlmServerConfig config;
        config.script = [](const FakeRequest &r) -> std::optional<FakeReply> {
            const QString prompt = r.json.value(u"prompt"_s).toString();
            if (prompt.startsWith(personaText(0)))
                return FakeReply{FakeFault::BadRequest, 0};
            if (prompt.startsWith(personaText(1)))
                return FakeReply{FakeFault::NotFound, 0};
            return std::nullopt;
        };
        FakeLlmServer server(config);
        QVERIFY(server.start());
        qint64 runId = 0;
        const QString path = newRun(server, 5, 2, &runId);
        QVERIFY(runId > 0);
        RunController controller(path, runId, fast());
        QSignalSpy finished(&controller, &RunController::finished);
        QSignalSpy failures(&controller, &RunController::failuresChanged);
        controller.start();
        QVERIFY(controller.isActive());
        QVERIFY(finished.wait(60000));
        QVERIFY(!controller.isActive());
        const auto outcome = finished.first().first().value<RunOutcome>();
        QCOMPARE(outcome.status, RunStatus::Incomplete);
        QVERIFY(!outcome.succeeded());
        QCOMPARE(outcome.progress.done, 6);
        QCOMPARE(outcome.failures.size(), 3);
        QCOMPARE(outcome.failures[0].cause, FailureCause::NotAsked);
        QCOMPARE(outcome.failures[0].count, 2);
        QSet<int> statuses{outcome.failures[1].httpStatus, outcome.failures[2].httpStatus};
        QCOMPARE(statuses, (QSet<int>{400, 404}));
        QVERIFY(!failures.isEmpty());
        QCOMPARE(status(path, runId), u"incomplete"_s);
        QVERIFY(!RunController::isHeld(path, runId));
    }

    // A run held by a live controller is running; the same stored state with no holder is
    // interrupted. Requests from "another process" pause, resume and cancel it.
    void requestsBetweenProcessesAndTheHeldTest()
    {
        FakeLlmServerConfig config;
        config.latencyMs = 10;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        qint64 runId = 0;
        const QString path = newRun(server, 30, 4, &runId);
        RunController controller(path, runId, fast());
        QSignalSpy started(&controller, &RunController::started);
        QSignalSpy finished(&controller, &RunController::finished);
        controller.start();
        QVERIFY(started.wait(30000));
        QVERIFY(RunController::isHeld(path, runId));
        RunInfo info;
        info.id = runId;
        info.status = u"running"_s;
        QCOMPARE(RunController::effectiveStatus(path, info), RunStatus::Running);
        QCOMPARE(RunController::effectiveStatus(path + u".elsewhere"_s, info), RunStatus::Interrupted);

        Result<RunController::RequestResult> paused =
            RunController::request(path, runId, RunController::Request::Pause);
        QVERIFY(paused && paused->running);
        QTRY_VERIFY_WITH_TIMEOUT(controller.progress().paused && controller.progress().inFlight == 0, 30000);
        const int asked = server.completionRequestCount();
        QTest::qWait(300); // a paused run sends nothing: the count stays while we look
        QCOMPARE(server.completionRequestCount(), asked);
        Result<RunController::RequestResult> cancelled =
            RunController::request(path, runId, RunController::Request::Cancel);
        QVERIFY(cancelled && cancelled->running);
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().first().value<RunOutcome>().status, RunStatus::Cancelled);
        QVERIFY(!RunController::isHeld(path, runId));

        // Resumed from "another process" (here: ourselves again), it goes on to the end.
        RunController again(path, runId, fast());
        QSignalSpy againStarted(&again, &RunController::started);
        QSignalSpy againFinished(&again, &RunController::finished);
        again.start();
        QVERIFY(againStarted.wait(30000));
        QVERIFY(RunController::request(path, runId, RunController::Request::Pause));
        QTRY_VERIFY_WITH_TIMEOUT(again.progress().paused || !again.isActive(), 30000);
        QVERIFY(RunController::request(path, runId, RunController::Request::Resume));
        QTRY_COMPARE_WITH_TIMEOUT(againFinished.size(), 1, 60000); // it may have ended already
        QCOMPARE(againFinished.first().first().value<RunOutcome>().status, RunStatus::Completed);
        QCOMPARE(server.completionRequestCount(), 120); // nothing asked twice over pause and cancel

        // Nobody drives it now: a cancel is recorded directly.
        Result<RunController::RequestResult> direct =
            RunController::request(path, runId, RunController::Request::Cancel);
        QVERIFY(direct && !direct->running);
        QCOMPARE(direct->status, RunStatus::Completed); // a completed run stays completed
    }

    // A lock file left by a dead process does not count as holding the run.
    void aStaleLockIsNotAHolder()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        qint64 runId = 0;
        const QString path = newRun(server, 2, 1, &runId);
        QFile stale(RunController::lockFile(path, runId));
        QVERIFY(stale.open(QIODevice::WriteOnly));
        stale.write("999999\nanthology\n" + QSysInfo::machineHostName().toUtf8() + "\n");
        stale.close();
        QVERIFY(!RunController::isHeld(path, runId));
        QLockFile live(RunController::lockFile(path, runId));
        QVERIFY(live.tryLock(1000));
        QVERIFY(RunController::isHeld(path, runId));
    }

    // Stopped mid-run (the window closing): paused on disk, resumable, nothing lost.
    void stopPausedKeepsTheRunPaused()
    {
        // The first four requests are answered and the rest held until the stop, so the stop
        // lands mid-run however fast the machine answers.
        const auto holding = std::make_shared<std::atomic<bool>>(true);
        const auto arrived = std::make_shared<std::atomic<int>>(0);
        FakeLlmServerConfig config;
        config.latencyMs = 10;
        config.script = [holding, arrived](const FakeRequest &) -> std::optional<FakeReply> {
            if (arrived->fetch_add(1) < 4 || !holding->load())
                return std::nullopt;
            FakeReply held;
            held.latencyMs = 600000;
            return held;
        };
        FakeLlmServer server(config);
        QVERIFY(server.start());
        qint64 runId = 0;
        const QString path = newRun(server, 20, 4, &runId);
        {
            RunController controller(path, runId, fast());
            QSignalSpy started(&controller, &RunController::started);
            controller.start();
            QVERIFY(started.wait(30000));
            QTRY_VERIFY_WITH_TIMEOUT(controller.progress().done >= 4, 30000);
            controller.stopPaused();
            QVERIFY(!controller.isActive());
            QCOMPARE(controller.progress().done, 4);
        }
        QCOMPARE(status(path, runId), u"paused"_s);
        holding->store(false);
        RunController again(path, runId, fast());
        QSignalSpy finished(&again, &RunController::finished);
        again.start();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().value<RunOutcome>().status, RunStatus::Completed);
        QCOMPARE(finished.first().first().value<RunOutcome>().progress.done, 80);
    }

    // A refusal before any request comes back as the outcome's error, with nothing sent.
    void refusalsComeBackAsErrors()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        qint64 runId = 0;
        const QString path = newRun(server, 2, 1, &runId, [](SurveyPlan &plan) {
            plan.llm.apiKeyEnv = u"ANTHOLOGY_TEST_NEVER_SET_KEY"_s;
        });
        RunDriveOptions options = fast();
        options.profile = u"no-such-provider"_s;
        RunController controller(path, runId, options);
        QSignalSpy finished(&controller, &RunController::finished);
        controller.start();
        QVERIFY(finished.wait(30000));
        const auto refused = finished.first().first().value<RunOutcome>();
        QVERIFY(refused.error.has_value());
        QVERIFY(refused.statusText().startsWith(u"error: "_s));
        QCOMPARE(server.requestCount(), 0);
    }

    // The plan summary: items, requests, tokens from the stored prompts, cost from prices, time
    // from the rate limits.
    void estimateBeforeAnyRequest()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        qint64 runId = 0;
        const QString path = newRun(server, 10, 3, &runId, [](SurveyPlan &plan) {
            plan.options.inSeries = false;
            plan.llm.pricePer1kPromptTokens = 0.5;
            plan.llm.pricePer1kCompletionTokens = 1.5;
            plan.llm.requestsPerMinute = 60;
        });
        auto p = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        QVERIFY(p);
        Result<RunEstimate> e = RunEstimate::of(**p, runId);
        QVERIFY2(e, qPrintable(e ? QString() : e.error().toString()));
        QCOMPARE(e->items, 30);
        QCOMPARE(e->requests, 30);
        QCOMPARE(e->inFlight, 3);
        QCOMPARE(e->completionTokens, 30 * 16);
        QVERIFY(e->promptTokens > 30 * 20); // each prompt holds a backstory of ~110 characters
        QVERIFY(e->cost.has_value());
        QCOMPARE(*e->cost, e->promptTokens * 0.5 / 1000 + e->completionTokens * 1.5 / 1000);
        QVERIFY(e->secondsByRateLimit.has_value());
        QCOMPARE(*e->secondsByRateLimit, 30.0);
        QCOMPARE(server.requestCount(), 0);

        // In series no request is stored at plan time: the prompts are built by the run's own
        // conversation for a few chains, so the estimate still counts the backstories.
        qint64 seriesRun = 0;
        const QString series = newRun(server, 10, 3, &seriesRun);
        auto sp = ProjectFile::open(series, ProjectFile::Mode::ReadOnly);
        Result<RunEstimate> s2 = RunEstimate::of(**sp, seriesRun);
        QVERIFY(s2);
        QCOMPARE(s2->requests, 30);
        QVERIFY2(s2->promptTokens > 30 * 20, qPrintable(QString::number(s2->promptTokens)));
        QVERIFY(!s2->cost.has_value());
        QCOMPARE(server.requestCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRunController)
#include "TestRunController.moc"
