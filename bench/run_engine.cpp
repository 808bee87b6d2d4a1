// Run engine benchmark:
//  1. plan creation, in series and independent, for each --plan-items size (default 100,000 and
//     1,000,000 items: personas x 8 questions; target < 10 s for 1M), with the CPU time, the peak
//     RSS during the plan and the WAL left beside the project;
//  2. orchestration overhead per item without the network: plan share + prompt + request +
//     canonical JSON and hash + answer parsing with logprobs + batched commit (target < 0.3 ms);
//  3. an end-to-end run through RunEngine against the zero-latency fake_llm_server program,
//     with RSS sampled along the way and the peak (VmHWM) at the end: memory should stay flat.
//     (The rate per tenth of a long run against a server with latency: llm_throughput --engine N.)
// Usage: run_engine [--plan-items 100000,1000000] [--plan-kinds series,independent]
//                   [--pipeline-items 40000] [--items 100000] [--in-flight 256]

#include "backstories/BackstoryImporter.h"
#include "backstories/BackstoryStore.h"
#include "llm/EndpointProfile.h"
#include "llm/LlmRequest.h"
#include "llm/LlmResponse.h"
#include "project/ProjectFile.h"
#include "prompt/OptionOrder.h"
#include "run/RequestCodec.h"
#include "run/RunEngine.h"
#include "run/RunPlanner.h"
#include "run/RunStore.h"
#include "run/SurveyChain.h"
#include "run/SurveyItemBuilder.h"
#include "run/SurveyPlan.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <cstdio>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

// CPU seconds of the whole process (every thread): holds on a loaded machine, wall time does not.
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

std::unique_ptr<ProjectFile> projectWith(const QTemporaryDir &dir, const QString &name, int personas)
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
    const QString source = dir.filePath(name + u".jsonl"_s);
    QFile f(source);
    if (!f.open(QIODevice::WriteOnly) || f.write(jsonl) != jsonl.size())
        return nullptr;
    f.close();
    auto project = ProjectFile::create(dir.filePath(name + u".anthology"_s));
    if (!project)
        return nullptr;
    BackstoryImportOptions options;
    options.dropShort = false;
    if (!BackstoryImporter(**project).importFile(source, options))
        return nullptr;
    return std::move(*project);
}

SurveyPlan plan(const QString &baseUrl, bool inSeries)
{
    SurveyPlan p;
    p.name = u"bench"_s;
    const QStringList choices{u"Every day"_s, u"A few times a week"_s, u"Once a week"_s, u"Rarely"_s,
                              u"Never"_s};
    for (int i = 0; i < 8; ++i)
        p.questionnaire.questions.append(
            Question{u"Q%1_W99"_s.arg(i + 1),
                     u"How often do you spend time on hobby number %1?"_s.arg(i + 1),
                     choices,
                     false,
                     {}});
    p.options.inSeries = inSeries;
    p.llm.apiProvider = baseUrl;
    p.llm.modelName = u"fake-model"_s;
    p.llm.maxTokens = 16;
    p.llm.logprobs = 5;
    return p;
}

LlmResponse syntheticAnswer(quint64 n)
{
    const QString letter(QChar(u'A' + int(n % 5)));
    LlmChoice c;
    c.text = u" "_s + letter + u". It fits best."_s;
    c.finishReason = u"stop"_s;
    c.hasLogprobs = true;
    c.logprobs.append(
        TokenLogprob{u" "_s + letter, -0.2, {{u" "_s + letter, -0.2}, {u" A"_s, -2.0}, {u" C"_s, -3.0}}});
    c.logprobs.append(TokenLogprob{u"."_s, -0.01, {{u"."_s, -0.01}}});
    LlmResponse r;
    r.id = u"x"_s;
    r.model = u"fake-model"_s;
    r.choices = {c};
    r.hasUsage = true;
    r.usage = {120, 6, 126};
    return r;
}

struct PlanFigures
{
    double wallSeconds = 0.0;
    double cpuSeconds = 0.0;
    double peakRssMb = 0.0; // VmHWM during the plan (reset before it)
    double walMb = 0.0;     // the -wal file beside the project after the plan
    double walNextMb = 0.0; // and after the next write (journal_size_limit cuts it then)
    double fileMb = 0.0;    // the project file itself
};

// Resets VmHWM to the current RSS, so a later read is the peak of what follows.
void resetPeakRss()
{
    QFile f(u"/proc/self/clear_refs"_s);
    if (f.open(QIODevice::WriteOnly))
        f.write("5");
}

Result<qint64> timedPlan(ProjectFile &project, const SurveyPlan &p, PlanFigures &out)
{
    resetPeakRss();
    QElapsedTimer clock;
    clock.start();
    const double cpu = cpuSeconds();
    Result<qint64> runId = RunPlanner::plan(project, p);
    out.wallSeconds = clock.elapsed() / 1000.0;
    out.cpuSeconds = cpuSeconds() - cpu;
    out.peakRssMb = statusKb("VmHWM:") / 1024.0;
    out.walMb = QFileInfo(project.path() + u"-wal"_s).size() / 1048576.0;
    out.fileMb = QFileInfo(project.path()).size() / 1048576.0;
    // A write that changes a row (SQLite skips one that stores the same bytes), then the status back.
    if (runId && RunStore(project).setStatus(*runId, u"planned (bench)"_s) &&
        RunStore(project).setStatus(*runId, u"planned"_s))
        out.walNextMb = QFileInfo(project.path() + u"-wal"_s).size() / 1048576.0;
    return runId;
}

void printPlan(const char *what, int items, const PlanFigures &f)
{
    std::printf("plan %-11s %8d items: %6.2f s wall, %6.2f s CPU, %5.2f us CPU/item, peak RSS %4.0f MB, "
                "WAL %6.1f MB (%4.1f MB after the next write), file %6.1f MB (target < 10 s for 1M)\n",
                what, items, f.wallSeconds, f.cpuSeconds, f.cpuSeconds * 1e6 / qMax(1, items), f.peakRssMb,
                f.walMb, f.walNextMb, f.fileMb);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption planItems(u"plan-items"_s,
                                       u"comma-separated plan sizes in items (personas x 8 questions); "
                                       u"each is planned in series and independent in its own project"_s,
                                       u"n,n"_s, u"100000,1000000"_s);
    const QCommandLineOption planKinds(u"plan-kinds"_s, u"which plans to time: series, independent or both"_s,
                                       u"kinds"_s, u"series,independent"_s);
    const QCommandLineOption pipelineItems(u"pipeline-items"_s, u"items for the no-network bench (0: skip)"_s,
                                           u"n"_s, u"40000"_s);
    const QCommandLineOption runItems(u"items"_s, u"items for the end-to-end run (0: skip)"_s, u"n"_s,
                                      u"100000"_s);
    const QCommandLineOption inFlight(u"in-flight"_s, u"requests in flight"_s, u"n"_s, u"256"_s);
    parser.addOptions({planItems, planKinds, pipelineItems, runItems, inFlight});
    parser.process(app);
    QTemporaryDir dir;

    // 1. Plan creation: one project per size with its backstories, copied so the series and
    // the independent plan each start from the same file.
    std::unique_ptr<ProjectFile> project; // the first size's series project, for section 2
    std::optional<qint64> runId;
    int personas = 0;
    PlanFigures firstSeries;
    for (const QString &size : parser.value(planItems).split(u',', Qt::SkipEmptyParts)) {
        const int items = size.toInt();
        const int count = qMax(1, items / 8);
        const QString base = u"plan%1"_s.arg(items);
        if (!projectWith(dir, base, count))
            return 1;
        const QString source = dir.filePath(base + u".anthology"_s);
        const QString other = dir.filePath(base + u"-independent.anthology"_s);
        if (!QFile::copy(source, other))
            return 1;
        for (const bool inSeries : {true, false}) {
            if (!parser.value(planKinds).contains(inSeries ? u"series"_s : u"independent"_s))
                continue;
            Result<std::unique_ptr<ProjectFile>> opened = ProjectFile::open(inSeries ? source : other);
            if (!opened)
                return 1;
            PlanFigures f;
            Result<qint64> id = timedPlan(**opened, plan(u"http://127.0.0.1:9/v1"_s, inSeries), f);
            if (!id) {
                std::fprintf(stderr, "%s\n", qPrintable(id.error().toString()));
                return 1;
            }
            printPlan(inSeries ? "in series" : "independent", count * 8, f);
            if (inSeries && !project) {
                project = std::move(*opened);
                runId = *id;
                personas = count;
                firstSeries = f;
            }
        }
    }
    const double planSeconds = firstSeries.wallSeconds;
    const double planCpu = firstSeries.cpuSeconds;
    QElapsedTimer clock;
    double cpu = 0.0;
    if (!project)
        return 0;

    // 2. Orchestration without the network, over the in-series run's items in plan order.
    const int pipelineCount = qMin(parser.value(pipelineItems).toInt(), personas * 8);
    if (pipelineCount > 0) {
        RunStore store(*project);
        const BackstoryStore backstories(*project);
        const SurveyItemBuilder builder(plan(u"http://127.0.0.1:9/v1"_s, true));
        clock.restart();
        cpu = cpuSeconds();
        QList<ItemResult> batch;
        std::unique_ptr<SurveyChain> chain;
        QString chainPersona;
        qint64 cursor = 0;
        int processed = 0;
        quint64 n = 0;
        while (processed < pipelineCount) {
            Result<QList<StoredItem>> page = store.pendingItems(*runId, cursor, 1024);
            if (!page || page->isEmpty())
                break;
            for (const StoredItem &item : *page) {
                cursor = item.id;
                if (processed >= pipelineCount)
                    break;
                if (item.persona != chainPersona) {
                    chainPersona = item.persona;
                    chain = std::make_unique<SurveyChain>(
                        true, false, QString(),
                        *SurveyItemBuilder::passageAt(backstories, item.persona, item.personaRevision));
                }
                const Question *q = builder.question(item.question);
                const OptionOrder order = *builder.optionOrder(*q, item.persona);
                const PromptText prompt = chain->next(builder.questionText(*q, order, item.position));
                const LlmRequest request = builder.request(prompt, item.persona, item.question, item.sample);
                ItemResult r;
                r.itemId = item.id;
                r.ok = true;
                r.request = RequestCodec::canonicalRequest(request, u"fake-model"_s, item.sample);
                r.cacheKey = RequestCodec::cacheKey(r.request);
                const LlmResponse response = syntheticAnswer(n++);
                r.response = RequestCodec::responseToJson(response);
                builder.readAnswer(*q, order, response, r);
                r.promptTokens = response.usage.promptTokens;
                r.completionTokens = response.usage.completionTokens;
                r.attempts = 1;
                chain->recordAnswer(r.rawAnswer);
                batch.append(std::move(r));
                if (batch.size() == 256) {
                    if (Status st = store.commit(*runId, batch); !st)
                        return 1;
                    batch.clear();
                }
                ++processed;
            }
        }
        if (!batch.isEmpty() && !store.commit(*runId, batch))
            return 1;
        const double loopMs = double(clock.elapsed());
        const double loopCpuMs = (cpuSeconds() - cpu) * 1000.0;
        const double perItem = loopMs / processed + planSeconds * 1000.0 / (personas * 8);
        const double cpuPerItem = loopCpuMs / processed + planCpu * 1000.0 / (personas * 8);
        std::printf(
            "orchestration without network: %d items, %.3f ms/item wall, %.3f ms/item CPU (plan share "
            "included; prompt, request, hash, parse with logprobs, batched commit) (target <= 0.1 ms/item "
            "CPU)\n",
            processed, perItem, cpuPerItem);
    }
    project.reset();

    // 3. End to end against the zero-latency fake server program.
    const int items = parser.value(runItems).toInt();
    if (items <= 0)
        return 0;
    QProcess server;
    server.start(QCoreApplication::applicationDirPath() + u"/fake_llm_server"_s, {u"--port"_s, u"0"_s});
    if (!server.waitForStarted() || !server.waitForReadyRead(10000)) {
        std::fprintf(stderr, "cannot start fake_llm_server next to this program\n");
        return 1;
    }
    const QByteArray banner = server.readAllStandardOutput();
    const QString port = QString::fromUtf8(banner.mid(banner.lastIndexOf(' ') + 1).trimmed());
    const QString url = u"http://127.0.0.1:"_s + port + u"/v1"_s;
    auto runProject = projectWith(dir, u"run"_s, (items + 7) / 8);
    if (!runProject)
        return 1;
    Result<qint64> run = RunPlanner::plan(*runProject, plan(url, true));
    if (!run)
        return 1;
    const QString path = runProject->path();
    RunEngineOptions options;
    options.inFlight = parser.value(inFlight).toInt();
    const double rssStart = statusKb("VmRSS:") / 1024.0;
    RunEngine engine(std::move(runProject), *run, EndpointProfile::forUrl(QUrl(url), u"fake-model"_s),
                     options);
    QList<double> samples;
    qint64 nextSample = items / 10;
    QObject::connect(&engine, &RunEngine::progressChanged, [&](const RunProgress &p) {
        while (p.done >= nextSample && nextSample <= items) {
            samples.append(statusKb("VmRSS:") / 1024.0);
            nextSample += items / 10;
        }
    });
    QObject::connect(&engine, &RunEngine::finished, &app, &QCoreApplication::quit);
    clock.restart();
    if (Status st = engine.start(); !st) {
        std::fprintf(stderr, "%s\n", qPrintable(st.error().toString()));
        return 1;
    }
    QCoreApplication::exec();
    const double seconds = clock.elapsed() / 1000.0;
    const RunProgress p = engine.progress();
    server.kill();
    server.waitForFinished();
    std::printf(
        "end to end: %lld items in series (%s) in %.1f s = %.3f ms/item, %.0f items/s, in flight %d\n",
        p.done, qPrintable(engine.finalStatus()), seconds, seconds * 1000.0 / qMax<qint64>(1, p.done),
        p.done / seconds, options.inFlight);
    QString rss;
    for (double s : samples)
        rss += QString::number(s, 'f', 0) + u' ';
    std::printf("memory: RSS at start %.0f MB; every 10%% of the run: %sMB; peak (VmHWM) %.0f MB\n", rssStart,
                qPrintable(rss), statusKb("VmHWM:") / 1024.0);
    return 0;
}
