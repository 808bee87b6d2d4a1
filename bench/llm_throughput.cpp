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
//   llm_throughput --anchors python,node [--chat]  the same bodies, in the same run against the same
//                                                  server, sent the reference implementation's way
//                                                  (bench/anchor_python_pool.py: a Python ThreadPool,
//                                                  keep-alive http.client per thread) and through the
//                                                  OpenAI Node SDK (bench/anchor_node_sdk.cjs; npm's
//                                                  `openai` is installed next to this program on first
//                                                  use); one table of shares of the bound at the end

#include "FakeLlmServer.h"
#include "backstories/BackstoryImporter.h"
#include "llm/LlmClient.h"
#include "project/ProjectFile.h"
#include "run/RunEngine.h"
#include "run/RunPlanner.h"
#include "run/SurveyPlan.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <sys/resource.h>
#include <unistd.h>

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

// CPU seconds of each thread of this process by name (threads of one name added up).
QMap<QString, double> threadCpu()
{
    QMap<QString, double> out;
    const double tick = double(sysconf(_SC_CLK_TCK));
    for (const QString &task : QDir(u"/proc/self/task"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(u"/proc/self/task/%1/stat"_s.arg(task));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray stat = f.readAll();
        const qsizetype open = stat.indexOf('('), close = stat.lastIndexOf(')');
        if (open < 0 || close < open)
            continue;
        const QList<QByteArray> fields = stat.mid(close + 2).split(' '); // from field 3 (state) on
        if (fields.size() < 13)
            continue;
        out[QString::fromUtf8(stat.mid(open + 1, close - open - 1))] +=
            (fields[11].toDouble() + fields[12].toDouble()) / tick; // utime, stime
    }
    return out;
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
    bool chat = false;
};

// One client's figures for one case.
struct Figures
{
    bool ran = false;
    QString note; // why it did not run
    double share = 0;       // of the Little's-law bound, whole run
    double steadyShare = 0; // same, steady part
    double cpuMsPerRequest = 0;
    int failed = 0;
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
    // How late each server's answers left (written - arrival - latency), and how long requests
    // waited to be read, since the last call: the yardstick's own share of a shortfall, printed
    // under the client it served.
    void printLateness() const
    {
        for (const QUrl &url : urls) {
            const QJsonObject o = test::FakeLlmServer::fetchStats(quint16(url.port()));
            const QJsonObject late = o.value(u"late_us"_s).toObject();
            if (!o.contains(u"late_us"_s)) { // an older fake_llm_server answers 404
                std::printf("      server :%d lateness: not reported (GET /stats)\n", url.port());
                continue;
            }
            std::printf("      server :%d lateness (answer written - arrival - latency) over %lld answers: "
                        "p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                        url.port(), qint64(o.value(u"answers"_s).toDouble()),
                        late.value(u"p50"_s).toDouble() / 1e3, late.value(u"p99"_s).toDouble() / 1e3,
                        late.value(u"max"_s).toDouble() / 1e3);
            // Before its latency starts: the server falling behind on reading (older servers: absent).
            if (const QJsonObject lag = o.value(u"read_lag_ms"_s).toObject(); !lag.isEmpty())
                std::printf("      server :%d read lag (request waiting in the kernel until read, to the kernel's "
                            "tick): p50 %d ms, p99 %d ms, max %d ms\n",
                            url.port(), lag.value(u"p50"_s).toInt(), lag.value(u"p99"_s).toInt(),
                            lag.value(u"max"_s).toInt());
        }
        std::fflush(stdout);
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

// `ownProcess`: the figures are this process's (an anchor's memory is not ours to report).
Figures report(const Case &c, const char *what, int done, int failed, double seconds, double cpu,
               const Timeline &timeline, bool ownProcess = true)
{
    const double rate = double(done) / seconds;
    const double bound = double(c.inFlight) / (double(c.latencyMs) / 1000.0);
    const double steady = timeline.steadyRate(c.inFlight);
    std::printf(
        "%5d in flight @ %4d ms, %s%s, %d endpoint(s): %7d requests in %6.2f s = %7.1f req/s (%5.1f%% of "
        "bound %7.1f), steady %7.1f req/s (%5.1f%%), client CPU %.3f ms/request, failed %d%s\n",
        c.inFlight, c.latencyMs, what, c.transport == HttpTransport::QtNetwork ? " via QtNetwork" : "",
        c.endpoints, done, seconds, rate, 100.0 * rate / bound, bound, steady, 100.0 * steady / bound,
        1e3 * cpu / qMax(1, done), failed,
        ownProcess ? qPrintable(u", VmHWM %1 MiB"_s.arg(statusKb("VmHWM:") / 1024)) : "");
    if (qEnvironmentVariableIsSet("LLM_THROUGHPUT_TIMELINE") && !timeline.doneAt.empty()) {
        const auto at = [&](qsizetype i) {
            return timeline.doneAt[size_t(qBound<qsizetype>(0, i, qsizetype(timeline.doneAt.size()) - 1))];
        };
        std::printf("      answers at ms: first %lld, #%d %lld, #%d %lld, last %lld\n", at(0), c.inFlight,
                    at(c.inFlight - 1), 2 * c.inFlight, at(2 * c.inFlight - 1),
                    at(qsizetype(timeline.doneAt.size()) - 1));
    }
    std::fflush(stdout);
    Figures f;
    f.ran = true;
    f.share = rate / bound;
    f.steadyShare = steady / bound;
    f.cpuMsPerRequest = 1e3 * cpu / qMax(1, done);
    f.failed = failed;
    return f;
}

// The i-th request of a client case; the anchors send the same bodies.
LlmRequest benchRequest(const Case &c, int i)
{
    LlmRequest r;
    const QString text = u"Persona %1 answers question %2. Answer:"_s.arg(i).arg(i % 97);
    if (c.chat) {
        r.chat = true;
        r.messages = {{u"system"_s, u"Answer with the letter of one option."_s}, {u"user"_s, text}};
    } else {
        r.prompt = text;
    }
    r.maxTokens = 2;
    r.logprobs = 5;
    r.seed = i;
    return r;
}

QString anchorScript(const QString &name)
{
    return QCoreApplication::applicationDirPath() + u'/' + name;
}

// npm's `openai` in node_modules next to this program, installed on first use.
QString nodeModules(QString *why)
{
    const QString prefix = QCoreApplication::applicationDirPath();
    const QString modules = prefix + u"/node_modules"_s;
    if (QFile::exists(modules + u"/openai/package.json"_s))
        return modules;
    const QString npm = QStandardPaths::findExecutable(u"npm"_s);
    if (npm.isEmpty()) {
        *why = u"npm not found (apt-get install npm)"_s;
        return {};
    }
    std::printf("      installing npm's openai into %s (once)\n", qPrintable(modules));
    std::fflush(stdout);
    QProcess install;
    install.setProcessChannelMode(QProcess::ForwardedChannels);
    install.start(npm, {u"install"_s, u"--prefix"_s, prefix, u"--no-audit"_s, u"--no-fund"_s, u"openai"_s});
    if (!install.waitForFinished(300000) || install.exitCode() != 0 ||
        !QFile::exists(modules + u"/openai/package.json"_s)) {
        *why = u"npm install openai failed"_s;
        return {};
    }
    return modules;
}

// Runs an anchor script that sends `bodies` and prints one JSON line of figures.
Figures anchorCase(const Case &c, const char *what, const QString &program, const QStringList &arguments)
{
    Figures skipped;
    QProcess process;
    process.setProcessChannelMode(QProcess::SeparateChannels);
    process.start(program, arguments);
    if (!process.waitForStarted(10000) || !process.waitForFinished(600000) || process.exitCode() != 0) {
        skipped.note = u"%1 failed: %2"_s.arg(QString::fromLatin1(what),
                                             QString::fromUtf8(process.readAllStandardError()).trimmed().left(300));
        std::printf("      %s\n", qPrintable(skipped.note));
        return skipped;
    }
    const QByteArray out = process.readAllStandardOutput().trimmed();
    const QJsonObject o = QJsonDocument::fromJson(out.mid(out.lastIndexOf('\n') + 1)).object();
    if (o.isEmpty()) {
        skipped.note = u"%1 printed no figures"_s.arg(QString::fromLatin1(what));
        std::printf("      %s\n", qPrintable(skipped.note));
        return skipped;
    }
    Timeline timeline;
    for (const QJsonValue &v : o.value(u"done_at"_s).toArray())
        timeline.doneAt.push_back(qint64(v.toDouble()));
    QByteArray label = what;
    if (o.contains(u"version"_s))
        label += ' ' + o.value(u"version"_s).toString().toUtf8();
    return report(c, label.constData(), o.value(u"done"_s).toInt(), o.value(u"failed"_s).toInt(),
                  o.value(u"seconds"_s).toDouble(), o.value(u"cpu"_s).toDouble(), timeline, false);
}


struct Anchors
{
    bool python = false;
    bool node = false;
};

struct CaseFigures
{
    Case c;
    Figures ours, python, node;
};

bool clientCase(const QString &serverPath, const Case &c, const Anchors &anchors, QList<CaseFigures> &table)
{
    Servers servers;
    if (!servers.start(serverPath, c.endpoints, c.latencyMs))
        return false;
    CaseFigures row;
    row.c = c;
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
        for (int i = 0; i < c.requests; ++i)
            client.submit(quint64(i), benchRequest(c, i));
        loop.exec();
    }
    row.ours = report(c, "client", done, failed, seconds, cpu, timeline);
    servers.printLateness();
    if (anchors.python || anchors.node) {
        QTemporaryDir dir;
        QFile bodies(dir.filePath(u"bodies.jsonl"_s));
        if (!bodies.open(QIODevice::WriteOnly))
            return false;
        for (int i = 0; i < c.requests; ++i)
            bodies.write(benchRequest(c, i).toJson(u"fake-model"_s) + '\n');
        bodies.close();
        const QUrl base = servers.urls.first();
        if (anchors.python) {
            const QString python = QStandardPaths::findExecutable(u"python3"_s);
            if (python.isEmpty()) {
                row.python.note = u"python3 not found"_s;
                std::printf("      python pool skipped: %s\n", qPrintable(row.python.note));
            } else {
                const QString path = c.chat ? u"/chat/completions"_s : u"/completions"_s;
                row.python = anchorCase(c, "python pool", python,
                                        {anchorScript(u"anchor_python_pool.py"_s), u"--url"_s,
                                         base.toString() + path, u"--bodies"_s, bodies.fileName(),
                                         u"--threads"_s, QString::number(c.inFlight)});
                servers.printLateness();
            }
        }
        if (anchors.node) {
            const QString node = QStandardPaths::findExecutable(u"node"_s);
            QString why;
            const QString modules = node.isEmpty() ? QString() : nodeModules(&why);
            if (node.isEmpty() || modules.isEmpty()) {
                row.node.note = node.isEmpty() ? u"node not found (apt-get install nodejs)"_s : why;
                std::printf("      node sdk skipped: %s\n", qPrintable(row.node.note));
            } else {
                row.node = anchorCase(c, "node sdk", node,
                                      {anchorScript(u"anchor_node_sdk.cjs"_s), u"--modules"_s, modules,
                                       u"--base-url"_s, base.toString(), u"--bodies"_s, bodies.fileName(),
                                       u"--concurrency"_s, QString::number(c.inFlight)});
                servers.printLateness();
            }
        }
    }
    table.append(row);
    return failed == 0;
}

void printTable(const QList<CaseFigures> &table, const Anchors &anchors)
{
    const auto cell = [](const Figures &f) {
        if (!f.ran)
            return QString(u"-"_s);
        return u"%1 (steady %2), %3 ms%4"_s.arg(f.share, 0, 'f', 3)
            .arg(f.steadyShare, 0, 'f', 3)
            .arg(f.cpuMsPerRequest, 0, 'f', 3)
            .arg(f.failed ? u", %1 failed"_s.arg(f.failed) : QString());
    };
    std::printf("\nshare of the Little's-law bound (steady part), client CPU per request:\n");
    std::printf("| case | ours |%s%s\n", anchors.python ? " python pool |" : "", anchors.node ? " node sdk |" : "");
    std::printf("|---|---|%s%s\n", anchors.python ? "---|" : "", anchors.node ? "---|" : "");
    for (const CaseFigures &r : table) {
        std::printf("| %d @ %d ms, %d %s requests | %s |", r.c.inFlight, r.c.latencyMs, r.c.requests,
                    r.c.chat ? "chat" : "completions", qPrintable(cell(r.ours)));
        if (anchors.python)
            std::printf(" %s |", qPrintable(cell(r.python)));
        if (anchors.node)
            std::printf(" %s |", qPrintable(cell(r.node)));
        std::printf("\n");
    }
    std::fflush(stdout);
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
    std::printf("      plan of %d independent items (requests built when sent): %.2f s wall, %.2f s CPU\n",
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
    // Each thread's CPU per item between the first and the ninth tenth (the writer thread ends
    // with the run, so the end is not a point to read it).
    QMap<QString, double> threadsAtFirstTenth, threadsAtNinthTenth;
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
            if (tenths.size() == 1)
                threadsAtFirstTenth = threadCpu();
            else if (tenths.size() == 9)
                threadsAtNinthTenth = threadCpu();
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
    servers.printLateness();
    QString samples;
    for (qint64 mb : std::as_const(rss))
        samples += QString::number(mb) + u' ';
    std::printf("      RSS every 10%% of the run: %sMiB; VmHWM after planning %lld MiB, at the end %lld MiB "
                "(status %s; steady rate from progress ticks)\n",
                qPrintable(samples), hwmAfterPlan / 1024, statusKb("VmHWM:") / 1024,
                qPrintable(engine.finalStatus()));
    std::printf("      per tenth of the run: %s\n", qPrintable(tenths.join(u" | "_s)));
    QStringList perThread;
    for (auto it = threadsAtNinthTenth.cbegin(); it != threadsAtNinthTenth.cend(); ++it)
        perThread.append(u"%1 %2"_s.arg(it.key()).arg(
            (it.value() - threadsAtFirstTenth.value(it.key())) * 1000.0 / qMax<double>(1, 0.8 * c.requests), 0, 'f', 3));
    std::printf("      CPU ms/item by thread, tenths 2-9: %s\n", qPrintable(perThread.join(u", "_s)));
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
    const QCommandLineOption anchorList(u"anchors"_s,
                                        u"also send the same bodies with python (a ThreadPool of keep-alive "
                                        "http.client connections) and/or node (the OpenAI Node SDK): "
                                        "python,node"_s,
                                        u"list"_s);
    const QCommandLineOption chat(u"chat"_s, u"chat completion bodies instead of completions"_s);
    parser.addOptions({inFlight, latency, requests, engine, workers, endpoints, transport, anchorList, chat});
    parser.addPositionalArgument(u"in_flight latency_ms requests [workers]"_s, u"the older form"_s);
    parser.process(app);
    const QString serverPath = QCoreApplication::applicationDirPath() + u"/fake_llm_server"_s;

    Case base;
    base.workers = parser.value(workers).toInt();
    base.endpoints = qMax(1, parser.value(endpoints).toInt());
    base.transport = parser.value(transport) == u"qt"_s ? HttpTransport::QtNetwork : HttpTransport::Lean;
    base.chat = parser.isSet(chat);
    Anchors anchors;
    for (const QString &name : parser.value(anchorList).split(u',', Qt::SkipEmptyParts)) {
        if (name == u"python"_s || name == u"all"_s)
            anchors.python = true;
        if (name == u"node"_s || name == u"all"_s)
            anchors.node = true;
        if (name != u"python"_s && name != u"node"_s && name != u"all"_s) {
            std::fprintf(stderr, "expected --anchors python, node or python,node\n");
            return 2;
        }
    }
    if ((anchors.python || anchors.node) && parser.isSet(engine)) {
        std::fprintf(stderr, "the anchors compare clients: they run without --engine\n");
        return 2;
    }
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
    QList<CaseFigures> table;
    for (const Case &c : std::as_const(cases))
        ok = (parser.isSet(engine) ? engineCase(serverPath, c) : clientCase(serverPath, c, anchors, table)) && ok;
    if (!table.isEmpty())
        printTable(table, anchors);
    return ok ? 0 : 1;
}
