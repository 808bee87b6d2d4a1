// Throughput of LlmClient against fake_llm_server running as a separate process:
// requests/s against the Little's-law bound (in flight / latency), client CPU per request,
// and peak RSS. Usage: llm_throughput [in_flight latency_ms requests [worker_threads]] (no arguments:
// the three standard cases).

#include "llm/LlmClient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QTimer>

#include <sys/resource.h>

#include <cstdio>

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

long peakRssKb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

bool runCase(const QString &serverPath, int inFlight, int latencyMs, int requests, int workerThreads = 0)
{
    QProcess server;
    server.setProgram(serverPath);
    server.setArguments({u"--latency-ms"_s, QString::number(latencyMs), u"--shape"_s, u"legacy"_s});
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server.start();
    if (!server.waitForStarted(5000) || !server.waitForReadyRead(5000)) {
        std::fprintf(stderr, "fake_llm_server did not start: %s\n", qPrintable(server.errorString()));
        return false;
    }
    const QByteArray line = server.readLine().trimmed();
    const quint16 port = quint16(line.mid(line.lastIndexOf(' ') + 1).toUInt());

    LlmClientOptions options;
    options.inFlightLimit = inFlight;
    options.requestTimeoutMs = 60000;
    options.workerThreads = workerThreads;
    int done = 0, failed = 0;
    QElapsedTimer wall;
    double cpuStart = 0;
    {
        LlmClient client(
            EndpointProfile::forUrl(QUrl(u"http://127.0.0.1:%1/v1"_s.arg(port)), u"fake-model"_s), options);
        QEventLoop loop;
        QObject::connect(&client, &LlmClient::finished, &loop, [&](const QList<LlmOutcome> &batch) {
            for (const LlmOutcome &o : batch)
                o.ok ? ++done : ++failed;
            if (done + failed >= requests)
                loop.quit();
        });
        cpuStart = cpuSeconds();
        wall.start();
        for (int i = 0; i < requests; ++i) {
            LlmRequest r;
            r.prompt = u"Persona %1 answers question %2. Answer:"_s.arg(i).arg(i % 97);
            r.maxTokens = 2;
            r.logprobs = 5;
            r.seed = i;
            client.submit(quint64(i), r);
        }
        loop.exec();
    }
    const double seconds = double(wall.elapsed()) / 1000.0;
    const double cpu = cpuSeconds() - cpuStart;
    const double rate = double(done) / seconds;
    const double bound = double(inFlight) / (double(latencyMs) / 1000.0);
    std::printf("%5d in flight @ %4d ms: %6d requests in %6.2f s = %8.1f req/s, bound %8.1f req/s (%5.1f%%), "
                "client CPU %6.1f us/request, failed %d, peak RSS %ld MiB\n",
                inFlight, latencyMs, requests, seconds, rate, bound, 100.0 * rate / bound,
                1e6 * cpu / requests, failed, peakRssKb() / 1024);
    std::fflush(stdout);
    server.kill();
    server.waitForFinished(5000);
    return failed == 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString serverPath = QCoreApplication::applicationDirPath() + u"/fake_llm_server"_s;
    const QStringList args = app.arguments().mid(1);
    bool ok = true;
    if (args.size() >= 3) {
        ok = runCase(serverPath, args.at(0).toInt(), args.at(1).toInt(), args.at(2).toInt(),
                     args.value(3).toInt());
    } else {
        ok = runCase(serverPath, 256, 500, 256 * 12) && ok;
        ok = runCase(serverPath, 1024, 1000, 1024 * 8) && ok;
        ok = runCase(serverPath, 256, 100, 256 * 40) && ok;
    }
    return ok ? 0 : 1;
}
