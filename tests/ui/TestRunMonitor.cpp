#include "CliRunner.h"
#include "FakeLlmServer.h"
#include "MessageBanner.h"
#include "PlanSummaryView.h"
#include "ProjectSession.h"
#include "RunListModel.h"
#include "RunMonitor.h"
#include "RunMonitorPanel.h"
#include "RunsPanel.h"
#include "TempProject.h"
#include "TestPaths.h"
#include "ThroughputChart.h"
#include "core/RunFixture.h"

#include "pipeline/RunController.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "run/RunAnswers.h"
#include "run/RunStore.h"

#include <QAction>
#include <QFile>
#include <QJsonObject>
#include <QPushButton>
#include <QProcess>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

using namespace anthology;
using namespace anthology::ui;
using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

struct Window
{
    std::unique_ptr<ProjectSession> session;
    RunsPanel panel;
};

std::unique_ptr<Window> showRuns(const QString &path)
{
    auto session = ProjectSession::open(path);
    if (!session)
        return nullptr;
    auto w = std::make_unique<Window>();
    w->session = std::move(*session);
    w->panel.setSession(w->session.get());
    RunEngineOptions fast;
    fast.client.retry.baseDelayMs = 5;
    fast.client.retry.maxDelayMs = 20;
    w->panel.monitorPanel()->setEngineOptions(fast);
    w->panel.resize(1200, 800);
    w->panel.show();
    return w;
}

qint64 scalar(const QString &path, const char *sql)
{
    auto p = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
    if (!p)
        return -1;
    Statement s = (*p)->prepare(sql);
    Result<bool> row = s.step();
    return row && *row ? s.columnInt64(0) : -1;
}

// Launches `arguments` from the Runs tab and waits for the plan summary; returns the planned run.
qint64 planFromWindow(Window &w, const QStringList &arguments)
{
    RunMonitorPanel *monitor = w.panel.monitorPanel();
    w.panel.launch(arguments);
    if (!QTest::qWaitFor([monitor] { return monitor->plannedRunId() > 0 && monitor->planSummary()->isVisible(); },
                         30000))
        return 0;
    return monitor->plannedRunId();
}

// Starts `arguments` in the real program on `path` (JSON out) and waits until it has stored
// `done` answers, so the run is under way when the test acts on it.
bool startCliRun(QProcess &child, const QStringList &arguments, const QString &path, int done)
{
    child.start(QStringLiteral(ANTHOLOGY_CLI_PATH),
                QStringList(arguments) << u"--project"_s << path << u"--quiet"_s << u"--json"_s);
    return child.waitForStarted() &&
           QTest::qWaitFor([&] { return scalar(path, "SELECT count(*) FROM items WHERE state = 'done'") >= done; },
                           30000);
}

QString storedStatus(const QString &path, qint64 runId)
{
    auto p = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
    return p ? RunStore(**p).run(runId)->status : QString();
}

QByteArray answers(const QString &path, qint64 runId)
{
    auto p = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
    Result<QByteArray> csv = RunAnswers::toCsv(**p, runId, 0);
    return csv ? *csv : QByteArray();
}

} // namespace

// Runs launched, watched and controlled from the Runs tab against a loopback server, with the
// real `anthology` program as the other process.
class TestRunMonitor : public QObject
{
    Q_OBJECT

private:
    TempProject m_dir;
    int m_files = 0;

    QString newProject(int personas)
    {
        auto p = projectWithPersonas(m_dir, u"monitor%1.anthology"_s.arg(++m_files), personas);
        return p ? p->path() : QString();
    }

    // `survey atp` of the built-in survey config (8 questions in series) at the server.
    static QStringList atpArgs(const FakeLlmServer &server, const QString &name = u"window"_s)
    {
        return {u"survey"_s,
                u"atp"_s,
                u"survey_config"_s,
                u"llm_parameters.api_provider="_s + server.baseUrl().toString(),
                u"llm_parameters.model_name=fake-model"_s,
                u"llm_parameters.max_tokens=8"_s,
                u"include_compliance_forcing=false"_s,
                u"name="_s + name};
    }

private Q_SLOTS:
    // The chart plots answers per second between progress ticks.
    void throughputIsAnswersBetweenTicks()
    {
        ThroughputChart chart;
        chart.addSample(0.0, 0);
        QCOMPARE(chart.pointCount(), 0);
        chart.addSample(1.0, 10);
        chart.addSample(3.0, 50);
        QCOMPARE(chart.pointCount(), 2);
        QCOMPARE(chart.lastRate(), 20.0);
        chart.addSample(3.0 + ThroughputChart::kWindowSeconds + 10, 60);
        QCOMPARE(chart.pointCount(), 2); // what scrolled out of the window is dropped
        chart.clear();
        QCOMPARE(chart.pointCount(), 0);
    }

    // Launched from the window: plan summary first (nothing sent), then the run completes on
    // its own thread with the answers the CLI gets for the same command on a twin project.
    void launchFromTheWindowMatchesTheCli()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString path = newProject(12);
        const QString twin = newProject(12);
        auto w = showRuns(path);
        QVERIFY(w);
        RunMonitorPanel *monitor = w->panel.monitorPanel();
        const qint64 runId = planFromWindow(*w, atpArgs(server));
        QVERIFY(runId > 0);
        const QString summary = monitor->planSummary()->text();
        QVERIFY2(summary.contains(u"96 planned, 96 to send"_s), qPrintable(summary)); // 12 personas x 8
        QVERIFY2(summary.contains(u"Requests: 96, 4 in flight"_s), qPrintable(summary)); // num_processes
        QVERIFY2(summary.contains(u"no prices in the profile"_s), qPrintable(summary));
        QCOMPARE(server.completionRequestCount(), 0); // nothing before Start
        QCOMPARE(storedStatus(path, runId), u"planned"_s);

        QSignalSpy finished(monitor, &RunMonitorPanel::runFinished);
        QTest::mouseClick(monitor->planSummary()->startButton(), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        const auto outcome = finished.first().first().value<RunOutcome>();
        QCOMPARE(outcome.statusText(), u"completed"_s);
        QCOMPARE(outcome.progress.done, 96);
        QCOMPARE(storedStatus(path, runId), u"completed"_s);
        QCOMPARE(monitor->monitor()->stateText(), u"completed"_s);

        const CliResult cli = runCli(QStringList(atpArgs(server)) << u"--project"_s << twin << u"--json"_s << u"--quiet"_s);
        QVERIFY2(cli.exitCode == 0, cli.err.constData());
        const qint64 cliRun = cli.json().object().value(u"run"_s).toInteger();
        const QByteArray fromWindow = answers(path, runId);
        QVERIFY(fromWindow.count('\n') > 90);
        QCOMPARE(fromWindow, answers(twin, cliRun));
        // The window recorded the command that reproduces the run, as the CLI does.
        const CliResult show = runCli({u"run"_s, u"show"_s, QString::number(runId), u"--project"_s, path});
        QVERIFY2(show.outText().contains(u"anthology survey atp survey_config"_s), show.out.constData());
    }

    // The CLI's up-front refusals, in its words, before anything is planned or sent.
    void refusalsComeBeforeAnyRequest()
    {
        FakeLlmServer server;
        QVERIFY(server.start());
        const QString path = newProject(3);
        auto w = showRuns(path);
        QVERIFY(w);
        RunMonitorPanel *monitor = w->panel.monitorPanel();
        const QStringList unknownKey = QStringList(atpArgs(server)) << u"num_procesess=8"_s;
        w->panel.launch(unknownKey);
        const CliResult cli =
            runCli(QStringList(unknownKey) << u"--project"_s << path << u"--quiet"_s);
        QCOMPARE(cli.exitCode, 1);
        QVERIFY(!monitor->banner()->isHidden());
        const QString said = monitor->banner()->text();
        QVERIFY2(!said.isEmpty() && cli.errText().contains(said.section(u':', -1).trimmed()),
                 qPrintable(said + u" | "_s + cli.errText()));

        QStringList noKey = atpArgs(server);
        noKey << u"+llm_parameters.api_key_env=ANTHOLOGY_TEST_NEVER_SET_KEY"_s;
        w->panel.launch(noKey);
        QTRY_VERIFY(monitor->banner()->text().contains(u"ANTHOLOGY_TEST_NEVER_SET_KEY"_s));
        QCOMPARE(monitor->banner()->level(), MessageBanner::Level::Error);
        const CliResult cliNoKey = runCli(QStringList(noKey) << u"--project"_s << path << u"--quiet"_s);
        QCOMPARE(cliNoKey.exitCode, 1);
        QVERIFY2(cliNoKey.errText().contains(monitor->banner()->text()),
                 qPrintable(monitor->banner()->text() + u" | "_s + cliNoKey.errText()));
        QCOMPARE(server.requestCount(), 0);
        QCOMPARE(scalar(path, "SELECT count(*) FROM items"), 0);
    }

    // Paused from the window, cancelled from a terminal, resumed from the window: every item is
    // asked exactly once.
    void pauseHereCancelThereResumeHere()
    {
        FakeLlmServerConfig config;
        config.latencyMs = 15;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString path = newProject(16);
        auto w = showRuns(path);
        QVERIFY(w);
        RunMonitorPanel *monitor = w->panel.monitorPanel();
        const qint64 runId = planFromWindow(*w, atpArgs(server));
        QVERIFY(runId > 0);
        monitor->startPlanned();
        QTRY_VERIFY_WITH_TIMEOUT(scalar(path, "SELECT count(*) FROM items WHERE state = 'done'") >= 12, 30000);
        QTest::mouseClick(monitor->monitor()->findChild<QPushButton *>(u"monitorPause"_s), Qt::LeftButton);
        // Paused: what was on the wire is answered and stored, nothing new goes out.
        QTRY_VERIFY_WITH_TIMEOUT(monitor->controller()->progress().paused &&
                                     monitor->controller()->progress().inFlight == 0,
                                 30000);
        const int asked = server.completionRequestCount();
        QCOMPARE(storedStatus(path, runId), u"running"_s);
        const CliResult live = runCli({u"run"_s, u"status"_s, QString::number(runId), u"--project"_s, path, u"--json"_s});
        QCOMPARE(live.json().object().value(u"status"_s).toString(), u"running"_s); // held by this window

        QSignalSpy finished(monitor, &RunMonitorPanel::runFinished);
        const CliResult cancel =
            runCli({u"run"_s, u"cancel"_s, QString::number(runId), u"--project"_s, path, u"--json"_s});
        QVERIFY2(cancel.exitCode == 0, cancel.err.constData());
        QCOMPARE(cancel.json().object().value(u"running"_s).toBool(), true);
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().first().value<RunOutcome>().statusText(), u"cancelled"_s);
        QCOMPARE(storedStatus(path, runId), u"cancelled"_s);
        QCOMPARE(server.completionRequestCount(), asked);

        QTest::mouseClick(monitor->monitor()->findChild<QPushButton *>(u"monitorResume"_s), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.last().first().value<RunOutcome>().statusText(), u"completed"_s);
        QCOMPARE(scalar(path, "SELECT count(*) FROM items WHERE state = 'done'"), 128);
        QCOMPARE(server.completionRequestCount(), 128); // nothing asked twice
    }

    // The CLI drives the run and is killed (SIGKILL): the window shows it interrupted, and its
    // Resume finishes it with every item answered once.
    void killedRunShowsInterruptedAndResumesHere()
    {
        FakeLlmServerConfig config;
        config.latencyMs = 10;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString path = newProject(20);
        QProcess child;
        QVERIFY(startCliRun(child, atpArgs(server, u"killed"_s), path, 10));
        child.kill();
        QVERIFY(child.waitForFinished(10000));
        const qint64 runId = scalar(path, "SELECT max(id) FROM runs");
        QCOMPARE(storedStatus(path, runId), u"running"_s); // what the dead process left

        auto w = showRuns(path);
        QVERIFY(w);
        const RunListModel *model = w->panel.model();
        const int row = model->rowOfRun(runId);
        QVERIFY(row >= 0);
        QCOMPARE(model->data(model->index(row, RunListModel::StatusColumn)).toString(), u"interrupted"_s);
        w->panel.selectRun(runId);
        QVERIFY(w->panel.resumeAction()->isEnabled());
        QVERIFY(w->panel.cancelAction()->isEnabled());
        QSignalSpy finished(w->panel.monitorPanel(), &RunMonitorPanel::runFinished);
        w->panel.resumeAction()->trigger();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().value<RunOutcome>().statusText(), u"completed"_s);
        QCOMPARE(scalar(path, "SELECT count(*) FROM items WHERE state = 'done'"), 160);
        QCOMPARE(scalar(path, "SELECT count(DISTINCT persona || question || sample) FROM items"), 160);
        QTRY_COMPARE(model->data(model->index(model->rowOfRun(runId), RunListModel::StatusColumn)).toString(),
                     u"completed"_s);
    }

    // The reverse direction: a run the CLI drives, paused and cancelled from the Runs tab.
    void terminalRunPausedAndCancelledFromTheWindow()
    {
        FakeLlmServerConfig config;
        config.latencyMs = 10;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString path = newProject(30);
        QProcess child;
        QVERIFY(startCliRun(child, atpArgs(server, u"terminal"_s), path, 8));
        const qint64 runId = scalar(path, "SELECT max(id) FROM runs");
        auto w = showRuns(path);
        QVERIFY(w);
        w->panel.selectRun(runId);
        QTRY_VERIFY(w->panel.pauseAction()->isEnabled()); // shown running: the CLI holds it
        w->panel.pauseAction()->trigger();
        QVERIFY(QFile::exists(RunController::controlFile(path, runId, u"pause"_s)));
        QVERIFY(w->panel.monitorPanel()->banner()->text().contains(u"pause requested"_s));
        w->panel.cancelAction()->trigger();
        QTRY_VERIFY(w->panel.monitorPanel()->banner()->text().contains(u"cancel requested"_s));
        QVERIFY(child.waitForFinished(30000));
        QCOMPARE(child.exitCode(), 1); // cancelled
        QCOMPARE(QJsonDocument::fromJson(child.readAllStandardOutput()).object().value(u"status"_s).toString(),
                 u"cancelled"_s);
        QVERIFY(scalar(path, "SELECT count(*) FROM items WHERE state = 'pending'") > 0);
    }

    // Closing the window with a live run: "Pause and close" leaves it paused on disk, and
    // `anthology run resume` finishes it.
    void closingPausesDurably()
    {
        FakeLlmServerConfig config;
        config.latencyMs = 20;
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString path = newProject(16);
        qint64 runId = 0;
        {
            auto w = showRuns(path);
            QVERIFY(w);
            RunMonitorPanel *monitor = w->panel.monitorPanel();
            runId = planFromWindow(*w, atpArgs(server));
            QVERIFY(runId > 0);
            monitor->startPlanned();
            QTRY_VERIFY_WITH_TIMEOUT(scalar(path, "SELECT count(*) FROM items WHERE state = 'done'") >= 5, 30000);
            QVERIFY(!monitor->prepareClose(RunMonitorPanel::CloseChoice::KeepRunning));
            QVERIFY(monitor->isRunning());
            QVERIFY(monitor->prepareClose(RunMonitorPanel::CloseChoice::PauseAndClose));
            QVERIFY(!monitor->isRunning());
        }
        QCOMPARE(storedStatus(path, runId), u"paused"_s);
        const CliResult status = runCli({u"run"_s, u"status"_s, QString::number(runId), u"--project"_s, path, u"--json"_s});
        QCOMPARE(status.json().object().value(u"status"_s).toString(), u"paused"_s);
        const CliResult resume =
            runCli({u"run"_s, u"resume"_s, QString::number(runId), u"--project"_s, path, u"--json"_s, u"--quiet"_s});
        QVERIFY2(resume.exitCode == 0, resume.err.constData());
        QCOMPARE(resume.json().object().value(u"status"_s).toString(), u"completed"_s);
        QCOMPARE(scalar(path, "SELECT count(*) FROM items WHERE state = 'done'"), 128);
    }

    // Failures by cause in the monitor, Retry failed from the Runs tab, duplicate and
    // open-in-composer with the recorded command.
    void failuresRetryDuplicateAndComposer()
    {
        FakeLlmServerConfig config;
        config.script = [](const FakeRequest &r) -> std::optional<FakeReply> {
            if (r.json.value(u"prompt"_s).toString().contains(personaText(1)))
                return FakeReply{FakeFault::Unauthorized, 0};
            return std::nullopt;
        };
        FakeLlmServer server(config);
        QVERIFY(server.start());
        const QString path = newProject(4);
        auto w = showRuns(path);
        QVERIFY(w);
        RunMonitorPanel *monitor = w->panel.monitorPanel();
        const qint64 runId = planFromWindow(*w, atpArgs(server));
        QVERIFY(runId > 0);
        QSignalSpy finished(monitor, &RunMonitorPanel::runFinished);
        monitor->startPlanned();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().value<RunOutcome>().statusText(), u"incomplete"_s);
        QTreeWidget *failures = monitor->monitor()->failureTable();
        QCOMPARE(failures->topLevelItemCount(), 2);
        QCOMPARE(failures->topLevelItem(0)->text(0), u"not asked (earlier answer failed)"_s);
        QCOMPARE(failures->topLevelItem(0)->text(1), u"7"_s);
        QCOMPARE(failures->topLevelItem(1)->text(0), u"HTTP 401"_s);
        QVERIFY(failures->topLevelItem(1)->text(2).contains(u"401"_s));

        server.setConfig(FakeLlmServerConfig{});
        QTRY_VERIFY(!monitor->isBusy()); // the step has looked for a next stage and ended
        QVERIFY(!monitor->banner()->isHidden());
        w->panel.reload();
        w->panel.selectRun(runId);
        QTRY_VERIFY(w->panel.retryAction()->isEnabled());
        w->panel.retryAction()->trigger();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.last().first().value<RunOutcome>().statusText(), u"completed"_s);
        QCOMPARE(scalar(path, "SELECT count(*) FROM items WHERE state = 'done'"), 32);

        QSignalSpy composer(&w->panel, &RunsPanel::openInComposerRequested);
        w->panel.reload();
        w->panel.selectRun(runId);
        QTRY_VERIFY(w->panel.composerAction()->isEnabled());
        w->panel.composerAction()->trigger();
        QCOMPARE(composer.size(), 1);
        QCOMPARE(composer.first().first().toStringList(), atpArgs(server));

        w->panel.duplicateAction()->trigger();
        QTRY_VERIFY(monitor->planSummary()->isVisible());
        QVERIFY(monitor->plannedRunId() > runId);
        auto p = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
        QCOMPARE(RunStore(**p).run(monitor->plannedRunId())->name, u"window (2)"_s);
        monitor->discardPlan();
        QVERIFY(!monitor->isBusy());
    }
};

QTEST_MAIN(TestRunMonitor)
#include "TestRunMonitor.moc"
