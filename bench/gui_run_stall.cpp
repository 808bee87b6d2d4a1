// GUI event-loop stall while the workbench drives a run: the Runs tab (list refreshing every
// 2 s, monitor, live chart) launches `survey atp` over P personas x 8 questions at --in-flight
// 256 against the loopback fake server of tests/support, and a 5 ms timer on the GUI thread
// records how late each of its ticks fires. Reports max and p99 lateness while the plan is
// prepared and while requests are in flight and answers committed (issue 10: no stall > 50 ms).
// Usage: gui_run_stall [--personas 2000] [--in-flight 256] [--latency-ms 40]
// (QT_QPA_PLATFORM=offscreen, or a display)

#include "FakeLlmServer.h"
#include "PlanSummaryView.h"
#include "ProjectSession.h"
#include "RunMonitorPanel.h"
#include "RunsPanel.h"
#include "support/StallProbe.h"

#include "backstories/BackstoryImporter.h"
#include "project/ProjectFile.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace anthology;
using namespace anthology::ui;
using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser cl;
    cl.addOption({u"personas"_s, u"Backstories (chains of 8 questions in series)."_s, u"n"_s, u"2000"_s});
    cl.addOption({u"in-flight"_s, u"Requests on the wire."_s, u"n"_s, u"256"_s});
    cl.addOption({u"latency-ms"_s, u"Fake server latency per request."_s, u"ms"_s, u"40"_s});
    cl.addOption({u"plan-hold-ms"_s, u"Keep the plan summary up this long before Start (screenshots)."_s,
                  u"ms"_s, u"0"_s});
    cl.addOption({u"refuse-rate"_s, u"Share of requests answered HTTP 401 (failures in the monitor)."_s,
                  u"p"_s, u"0"_s});
    cl.addHelpOption();
    cl.process(app);
    const int personas = cl.value(u"personas"_s).toInt();

    QTemporaryDir dir;
    const QString path = dir.filePath(u"stall.anthology"_s);
    {
        QByteArray jsonl;
        for (int i = 0; i < personas; ++i)
            jsonl += QJsonDocument(
                         QJsonObject{{u"uid"_s, u"p%1"_s.arg(i, 6, 10, QLatin1Char('0'))},
                                     {u"backstory"_s, u"Question: Tell me about yourself.\nAnswer: I was "
                                                      "born in town %1, I like long walks and I read "
                                                      "the paper every morning."_s.arg(i)}})
                         .toJson(QJsonDocument::Compact) +
                     '\n';
        QFile f(dir.filePath(u"b.jsonl"_s));
        if (!f.open(QIODevice::WriteOnly) || f.write(jsonl) != jsonl.size())
            return 2;
        f.close();
        auto project = ProjectFile::create(path);
        BackstoryImportOptions options;
        options.dropShort = false;
        if (!project || !BackstoryImporter(**project).importFile(f.fileName(), options))
            return 2;
    }
    test::FakeLlmServerConfig config;
    config.latencyMs = cl.value(u"latency-ms"_s).toInt();
    config.faultRate = cl.value(u"refuse-rate"_s).toDouble();
    config.fault = config.faultRate > 0 ? test::FakeFault::Unauthorized : test::FakeFault::None;
    test::FakeLlmServer server(config);
    if (!server.start())
        return 2;

    auto session = ProjectSession::open(path);
    if (!session)
        return 2;
    RunsPanel panel;
    panel.setSession(session->get());
    panel.resize(1400, 900);
    panel.show();
    RunMonitorPanel *monitor = panel.monitorPanel();

    enum class Phase { Idle, Preparing, Running, Done } phase = Phase::Idle;
    // Lateness is what the stall target is about; the probe files ticks under the phase.
    bench::StallProbe probe;
    QElapsedTimer runClock;
    int peakInFlight = 0;
    RunController *seen = nullptr;
    QTimer watch;
    watch.setInterval(50);
    QObject::connect(&watch, &QTimer::timeout, [&] {
        if (phase == Phase::Preparing && monitor->plannedRunId() > 0 && !monitor->isRunning() &&
            monitor->planSummary()->isVisible()) {
            phase = Phase::Running;
            probe.setPhase(u"running"_s);
            QTimer::singleShot(cl.value(u"plan-hold-ms"_s).toInt(), &app, [&] {
                runClock.start();
                monitor->startPlanned();
            });
        }
        if (RunController *c = monitor->controller(); c && c != seen) {
            seen = c;
            QObject::connect(c, &RunController::progressChanged, c,
                             [&](const RunProgress &p) { peakInFlight = qMax(peakInFlight, p.inFlight); });
        }
    });
    QObject::connect(monitor, &RunMonitorPanel::runFinished, &app, [&](const RunOutcome &outcome) {
        phase = Phase::Done;
        probe.setPhase({});
        const double seconds = runClock.elapsed() / 1000.0;
        std::printf("run %lld: %s, %lld answers in %.1f s (%.0f answers/s), peak in flight %d\n",
                    outcome.runId, qPrintable(outcome.statusText()), outcome.progress.done, seconds,
                    outcome.progress.done / seconds, peakInFlight);
        std::printf("GUI lateness while preparing the plan: %s\n", qPrintable(probe.summary(u"preparing"_s)));
        std::printf("GUI lateness while the run is going:   %s\n", qPrintable(probe.summary(u"running"_s)));
        std::printf("GUI thread CPU between ticks, preparing: %s\n",
                    qPrintable(probe.cpuSummary(u"preparing"_s)));
        std::printf("GUI thread CPU between ticks, running:   %s\n",
                    qPrintable(probe.cpuSummary(u"running"_s)));
        for (const QString &line : probe.worst(u"running"_s, 6, 40))
            std::printf("  %s\n", qPrintable(line));
        std::printf("(load average now: %s)\n", qPrintable(bench::StallProbe::loadAverage()));
        app.quit();
    });
    probe.start();
    watch.start();
    QTimer::singleShot(100, &app, [&] {
        phase = Phase::Preparing;
        probe.setPhase(u"preparing"_s);
        panel.launch({u"survey"_s, u"atp"_s, u"survey_config"_s,
                      u"llm_parameters.api_provider="_s + server.baseUrl().toString(),
                      u"llm_parameters.model_name=fake-model"_s, u"llm_parameters.max_tokens=8"_s,
                      u"include_compliance_forcing=false"_s, u"--in-flight"_s, cl.value(u"in-flight"_s)});
    });
    std::printf("%d personas x 8 questions in series, --in-flight %s, server latency %s ms\n", personas,
                qPrintable(cl.value(u"in-flight"_s)), qPrintable(cl.value(u"latency-ms"_s)));
    return app.exec();
}
