// Throughput of LlmClient against fake_llm_server running as a separate process: requests/s
// against the Little's-law bound (in flight / latency), over the whole run and over its steady
// part (after the first in-flight's worth of answers, before the last), client CPU per request
// and peak RSS. With --engine N the requests are the N items of a survey run driven by a real
// RunEngine into a real project file, so CPU per request includes parsing, answer reading and the
// batched commit, and RSS is sampled every 10% of the run (memory should stay flat).
//
//   llm_throughput                                  the three standard cases
//   llm_throughput --in-flight 256 --latency-ms 100 --requests 10240 [--transport qt] [--workers 2]
//   llm_throughput --engine 100000 --in-flight 256 --latency-ms 100
//   llm_throughput --endpoints 2 ...               the requests spread over 2 server processes

#include "backstories/BackstoryImporter.h"
#include "llm/LlmClient.h"
#include "project/ProjectFile.h"
#include "run/RunEngine.h"
#include "run/RunPlanner.h"
#include "run/SurveyPlan.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <sys/resource.h>

#include <cstdio>
#include <memory>
#include <vector>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

qint64 statusKb(const char *field)
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

struct Case
{
    int inFlight = 256;
    int latencyMs = 100;
    int requests = 10240;
    int workers = 0;
    int endpoints = 1;
    HttpTransport transport = HttpTransport::Lean;
};

// fake_llm_server processes, killed when this goes out of scope.
struct Servers
{
    std::vector<std::unique_ptr<QProcess>> processes;
    QList<QUrl> urls;

    bool start(const QString &program, int count, int latencyMs)
    {
        for (int i = 0; i < count; ++i) {
            auto server = std::make_unique<QProcess>();
            server->setProgram(program);
            server->setArguments({u"--latency-ms"_s, QString::number(latencyMs), u"--shape"_s, u"legacy"_s});
            server->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            server->start();
            if (!server->waitForStarted(5000) || !server->waitForReadyRead(5000)) {
                std::fprintf(stderr, "fake_llm_server did not start: %s\n",
                             qPrintable(server->errorString()));
                return false;
            }
            const QByteArray line = server->readLine().trimmed();
            urls.append(QUrl(u"http://127.0.0.1:%1/v1"_s.arg(line.mid(line.lastIndexOf(' ') + 1).toUInt())));
            processes.push_back(std::move(server));
        }
        return true;
    }
    EndpointProfile profile() const
    {
        EndpointProfile p = EndpointProfile::forUrl(urls.first(), u"fake-model"_s);
        for (qsizetype i = 1; i < urls.size(); ++i)
            p.mirrors.append({urls.at(i), std::nullopt, std::nullopt, std::nullopt});
        return p;
    }
    ~Servers()
    {
        for (auto &p : processes) {
            p->kill();
            p->waitForFinished(5000);
        }
    }
};

// Completion times in ms since the start; the steady rate leaves out the ramp-up (the first
// in-flight's worth of answers) and the drain (the last in-flight's worth).
struct Timeline
{
    std::vector<qint64> doneAt;

    double steadyRate(int inFlight) const
    {
        const qsizetype n = qsizetype(doneAt.size());
        if (n < 3 * qsizetype(inFlight))
            return 0.0;
        // Answers after the first in-flight's worth up to the last in-flight's worth, over the time
        // they took: with answers arriving in waves, exactly the waves in between.
        const qint64 from = doneAt[size_t(inFlight - 1)];
        const qint64 to = doneAt[size_t(n - inFlight - 1)];
        return to > from ? double(n - 2 * inFlight) * 1000.0 / double(to - from) : 0.0;
    }
};

void report(const Case &c, const char *what, int done, int failed, double seconds, double cpu,
            const Timeline &timeline)
{
    const double rate = double(done) / seconds;
    const double bound = double(c.inFlight) / (double(c.latencyMs) / 1000.0);
    const double steady = timeline.steadyRate(c.inFlight);
    std::printf(
        "%5d in flight @ %4d ms, %s%s, %d endpoint(s): %7d requests in %6.2f s = %7.1f req/s (%5.1f%% of "
        "bound %7.1f), steady %7.1f req/s (%5.1f%%), client CPU %.3f ms/request, failed %d, VmHWM %lld "
        "MiB\n",
        c.inFlight, c.latencyMs, what, c.transport == HttpTransport::QtNetwork ? " via QtNetwork" : "",
        c.endpoints, done, seconds, rate, 100.0 * rate / bound, bound, steady, 100.0 * steady / bound,
        1e3 * cpu / qMax(1, done), failed, statusKb("VmHWM:") / 1024);
    if (qEnvironmentVariableIsSet("LLM_THROUGHPUT_TIMELINE") && !timeline.doneAt.empty()) {
        const auto at = [&](qsizetype i) {
            return timeline.doneAt[size_t(qBound<qsizetype>(0, i, qsizetype(timeline.doneAt.size()) - 1))];
        };
        std::printf("      answers at ms: first %lld, #%d %lld, #%d %lld, last %lld\n", at(0), c.inFlight,
                    at(c.inFlight - 1), 2 * c.inFlight, at(2 * c.inFlight - 1),
                    at(qsizetype(timeline.doneAt.size()) - 1));
    }
    std::fflush(stdout);
}

bool clientCase(const QString &serverPath, const Case &c)
{
    Servers servers;
    if (!servers.start(serverPath, c.endpoints, c.latencyMs))
        return false;
    LlmClientOptions options;
    options.inFlightLimit = c.inFlight;
    options.requestTimeoutMs = 60000;
    options.workerThreads = c.workers;
    options.transport = c.transport;
    int done = 0, failed = 0;
    Timeline timeline;
    timeline.doneAt.reserve(size_t(c.requests));
    QElapsedTimer wall;
    double cpuStart = 0, cpu = 0, seconds = 0;
    {
        LlmClient client(servers.profile(), options);
        QEventLoop loop;
        QObject::connect(&client, &LlmClient::finished, &loop, [&](const QList<LlmOutcome> &batch) {
            const qint64 now = wall.elapsed();
            for (const LlmOutcome &o : batch) {
                o.ok ? ++done : ++failed;
                timeline.doneAt.push_back(now);
            }
            if (done + failed >= c.requests) {
                seconds = double(wall.elapsed()) / 1000.0;
                cpu = cpuSeconds() - cpuStart;
                loop.quit();
            }
        });
        cpuStart = cpuSeconds();
        wall.start();
        for (int i = 0; i < c.requests; ++i) {
            LlmRequest r;
            r.prompt = u"Persona %1 answers question %2. Answer:"_s.arg(i).arg(i % 97);
            r.maxTokens = 2;
            r.logprobs = 5;
            r.seed = i;
            client.submit(quint64(i), r);
        }
        loop.exec();
    }
    report(c, "client", done, failed, seconds, cpu, timeline);
    return failed == 0;
}

std::unique_ptr<ProjectFile> projectWith(const QTemporaryDir &dir, int personas)
{
    QByteArray jsonl;
    for (int i = 0; i < personas; ++i)
        jsonl += QJsonDocument(
                     QJsonObject{{u"uid"_s, u"p%1"_s.arg(i, 6, 10, QLatin1Char('0'))},
                                 {u"backstory"_s, u"Question: Tell me about yourself.\nAnswer: I was born "
                                                  "in town %1. I work with my hands, I like long walks, "
                                                  "and I read the paper every morning."_s.arg(i)}})
                     .toJson(QJsonDocument::Compact) +
                 '\n';
    const QString source = dir.filePath(u"personas.jsonl"_s);
    QFile f(source);
    if (!f.open(QIODevice::WriteOnly) || f.write(jsonl) != jsonl.size())
        return nullptr;
    f.close();
    auto project = ProjectFile::create(dir.filePath(u"bench.anthology"_s));
    if (!project)
        return nullptr;
    BackstoryImportOptions options;
    options.dropShort = false;
    if (!BackstoryImporter(**project).importFile(source, options))
        return nullptr;
    return std::move(*project);
}

SurveyPlan surveyPlan(const QUrl &baseUrl)
{
    SurveyPlan p;
    p.name = u"throughput"_s;
    const QStringList choices{u"Every day"_s, u"A few times a week"_s, u"Once a week"_s, u"Rarely"_s,
                              u"Never"_s};
    for (int i = 0; i < 8; ++i)
        p.questionnaire.questions.append(
            Question{u"Q%1_W99"_s.arg(i + 1),
                     u"How often do you spend time on hobby number %1?"_s.arg(i + 1),
                     choices,
                     false,
                     {}});
    // Independent items keep the in-flight limit full; in series, answers wait for commits.
    p.options.inSeries = false;
    p.llm.apiProvider = baseUrl.toString();
    p.llm.modelName = u"fake-model"_s;
    p.llm.maxTokens = 2;
    p.llm.logprobs = 5;
    return p;
}

bool engineCase(const QString &serverPath, const Case &c)
{
    Servers servers;
    if (!servers.start(serverPath, c.endpoints, c.latencyMs))
        return false;
    QTemporaryDir dir;
    auto project = projectWith(dir, (c.requests + 7) / 8);
    if (!project)
        return false;
    QElapsedTimer planClock;
    planClock.start();
    const double planCpu = cpuSeconds();
    Result<qint64> run = RunPlanner::plan(*project, surveyPlan(servers.urls.first()));
    std::printf("      plan of %d independent items (every prompt built and stored): %.2f s wall, %.2f s CPU\n",
                c.requests, double(planClock.elapsed()) / 1000.0, cpuSeconds() - planCpu);
    if (!run) {
        std::fprintf(stderr, "%s\n", qPrintable(run.error().toString()));
        return false;
    }
    const qint64 hwmAfterPlan = statusKb("VmHWM:");
    RunEngineOptions options;
    options.inFlight = c.inFlight;
    options.client.requestTimeoutMs = 60000;
    options.client.workerThreads = c.workers;
    options.client.transport = c.transport;
    Timeline timeline;
    QList<qint64> rss;
    // Per tenth of the run: its rate, its CPU per item and the WAL's size at its end, to see
    // whether anything grows with the table.
    QList<QString> tenths;
    qint64 lastMs = 0;
    double waitingSum = 0; // results answered but not yet committed, summed over progress ticks
    int ticks = 0;
    double lastCpu = cpuSeconds();
    const QString wal = project->path() + u"-wal"_s;
    qint64 nextSample = c.requests / 10;
    qint64 seen = 0;
    RunEngine engine(std::move(project), *run, servers.profile(), options);
    QEventLoop loop;
    QElapsedTimer wall;
    QObject::connect(&engine, &RunEngine::progressChanged, &loop, [&](const RunProgress &p) {
        const qint64 now = wall.elapsed();
        for (; seen < p.done + p.failed; ++seen)
            timeline.doneAt.push_back(now);
        waitingSum += qMax(0, p.inFlight - c.inFlight);
        ++ticks;
        while (p.done + p.failed >= nextSample && nextSample <= c.requests) {
            rss.append(statusKb("VmRSS:") / 1024);
            const double cpuNow = cpuSeconds();
            const qint64 items = qMax<qint64>(1, c.requests / 10);
            // "waiting": in flight beyond the HTTP limit, i.e. answered and waiting for the writer.
            tenths.append(u"%1/s %2ms/item wal %3MB waiting %4"_s.arg(items * 1000 / qMax<qint64>(1, now - lastMs))
                              .arg((cpuNow - lastCpu) * 1000.0 / double(items), 0, 'f', 3)
                              .arg(QFileInfo(wal).size() >> 20)
                              .arg(qRound(waitingSum / qMax(1, ticks))));
            waitingSum = 0;
            ticks = 0;
            lastMs = now;
            lastCpu = cpuNow;
            nextSample += c.requests / 10;
        }
    });
    QObject::connect(&engine, &RunEngine::finished, &loop, &QEventLoop::quit);
    const double cpuStart = cpuSeconds();
    lastCpu = cpuStart;
    wall.start();
    if (Status st = engine.start(); !st) {
        std::fprintf(stderr, "%s\n", qPrintable(st.error().toString()));
        return false;
    }
    loop.exec();
    const double seconds = double(wall.elapsed()) / 1000.0;
    const double cpu = cpuSeconds() - cpuStart;
    const RunProgress p = engine.progress();
    report(c, "RunEngine", int(p.done), int(p.failed), seconds, cpu, timeline);
    QString samples;
    for (qint64 mb : std::as_const(rss))
        samples += QString::number(mb) + u' ';
    std::printf("      RSS every 10%% of the run: %sMiB; VmHWM after planning %lld MiB, at the end %lld MiB "
                "(status %s; steady rate from progress ticks)\n",
                qPrintable(samples), hwmAfterPlan / 1024, statusKb("VmHWM:") / 1024,
                qPrintable(engine.finalStatus()));
    std::printf("      per tenth of the run: %s\n", qPrintable(tenths.join(u" | "_s)));
    std::fflush(stdout);
    return p.failed == 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption inFlight(u"in-flight"_s, u"requests in flight"_s, u"n"_s);
    const QCommandLineOption latency(u"latency-ms"_s, u"server latency"_s, u"ms"_s);
    const QCommandLineOption requests(u"requests"_s, u"requests (client mode)"_s, u"n"_s);
    const QCommandLineOption engine(u"engine"_s, u"run N survey items through RunEngine into a project"_s,
                                    u"n"_s);
    const QCommandLineOption workers(u"workers"_s, u"worker threads (0: one per core)"_s, u"n"_s, u"0"_s);
    const QCommandLineOption endpoints(u"endpoints"_s, u"server processes to spread over"_s, u"n"_s, u"1"_s);
    const QCommandLineOption transport(u"transport"_s, u"lean or qt (QNetworkAccessManager)"_s, u"name"_s,
                                       u"lean"_s);
    parser.addOptions({inFlight, latency, requests, engine, workers, endpoints, transport});
    parser.addPositionalArgument(u"in_flight latency_ms requests [workers]"_s, u"the older form"_s);
    parser.process(app);
    const QString serverPath = QCoreApplication::applicationDirPath() + u"/fake_llm_server"_s;

    Case base;
    base.workers = parser.value(workers).toInt();
    base.endpoints = qMax(1, parser.value(endpoints).toInt());
    base.transport = parser.value(transport) == u"qt"_s ? HttpTransport::QtNetwork : HttpTransport::Lean;
    const QStringList args = parser.positionalArguments();
    QList<Case> cases;
    if (args.size() >= 3) {
        Case c = base;
        c.inFlight = args.at(0).toInt();
        c.latencyMs = args.at(1).toInt();
        c.requests = args.at(2).toInt();
        c.workers = args.value(3, QString::number(base.workers)).toInt();
        cases.append(c);
    } else if (parser.isSet(inFlight) || parser.isSet(latency) || parser.isSet(engine)) {
        Case c = base;
        c.inFlight = parser.value(inFlight).toInt() > 0 ? parser.value(inFlight).toInt() : 256;
        c.latencyMs = parser.isSet(latency) ? parser.value(latency).toInt() : 100;
        c.requests = parser.isSet(engine) ? parser.value(engine).toInt()
                                          : (parser.isSet(requests) ? parser.value(requests).toInt() : 10240);
        cases.append(c);
    } else {
        for (const auto &[n, ms, count] : {std::tuple{256, 500, 256 * 12}, std::tuple{1024, 1000, 1024 * 8},
                                           std::tuple{256, 100, 256 * 40}}) {
            Case c = base;
            c.inFlight = n;
            c.latencyMs = ms;
            c.requests = count;
            cases.append(c);
        }
    }
    bool ok = true;
    for (const Case &c : std::as_const(cases))
        ok = (parser.isSet(engine) ? engineCase(serverPath, c) : clientCase(serverPath, c)) && ok;
    return ok ? 0 : 1;
}
