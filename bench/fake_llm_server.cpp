// Runs the loopback fake LLM server as its own process, so benchmarks measure the client alone.
// Prints "listening on <port>" once ready; runs until killed.

#include "support/FakeLlmServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <sys/resource.h>
#include <sys/socket.h>

#include <dirent.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <netinet/in.h>

#include <cstdio>

using namespace anthology::test;
using namespace Qt::StringLiterals;

namespace {

std::optional<FakeFault> faultNamed(const QString &name)
{
    static const QHash<QString, FakeFault> faults{
        {u"none"_s, FakeFault::None},
        {u"429"_s, FakeFault::RateLimited},
        {u"500"_s, FakeFault::ServerError},
        {u"502"_s, FakeFault::BadGateway},
        {u"503"_s, FakeFault::Unavailable},
        {u"reset"_s, FakeFault::ResetMidBody},
        {u"truncated"_s, FakeFault::TruncatedJson},
        {u"utf8"_s, FakeFault::InvalidUtf8},
        {u"content-type"_s, FakeFault::WrongContentType},
        {u"stall"_s, FakeFault::Stall},
    };
    auto it = faults.constFind(name);
    return it == faults.constEnd() ? std::nullopt : std::optional<FakeFault>(*it);
}

// Qt listens with a backlog of 50: 1,024 clients connecting at once overflow it and the kernel
// drops their SYNs, which costs each dropped client a one-second retransmission. Production
// servers listen with 2,048 or more (uvicorn, Go). Linux lets listen() be called again on a
// listening socket to change its backlog: find ours among this process's descriptors.
bool raiseBacklog(quint16 port, int backlog)
{
    DIR *dir = opendir("/proc/self/fd");
    if (!dir)
        return false;
    bool done = false;
    while (dirent *entry = readdir(dir)) {
        const int fd = atoi(entry->d_name);
        if (fd <= 2)
            continue;
        int accepting = 0;
        socklen_t len = sizeof(accepting);
        if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) != 0 || !accepting)
            continue;
        sockaddr_in address{};
        socklen_t addressLen = sizeof(address);
        if (getsockname(fd, reinterpret_cast<sockaddr *>(&address), &addressLen) != 0 ||
            address.sin_family != AF_INET || ntohs(address.sin_port) != port)
            continue;
        done = ::listen(fd, backlog) == 0;
    }
    closedir(dir);
    return done;
}

} // namespace

int main(int argc, char **argv)
{
    // One descriptor per client connection: lift the soft limit to the hard one.
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"OpenAI-compatible fake LLM server with deterministic answers and faults"_s);
    parser.addHelpOption();
    const QCommandLineOption port(u"port"_s, u"TCP port on 127.0.0.1 (0: any free port)"_s, u"port"_s,
                                  u"0"_s);
    const QCommandLineOption latency(u"latency-ms"_s, u"fixed latency per response"_s, u"ms"_s, u"0"_s);
    const QCommandLineOption jitter(u"jitter-ms"_s, u"extra uniform latency in [0, ms]"_s, u"ms"_s, u"0"_s);
    const QCommandLineOption expMean(u"exp-latency-ms"_s, u"extra exponential latency with this mean"_s,
                                     u"ms"_s, u"0"_s);
    const QCommandLineOption shape(u"shape"_s, u"completions logprobs shape: legacy or llamacpp"_s,
                                   u"shape"_s, u"legacy"_s);
    const QCommandLineOption model(u"model"_s, u"model id"_s, u"id"_s, u"fake-model"_s);
    const QCommandLineOption maxN(u"max-n"_s, u"refuse n above this (llama.cpp style)"_s, u"n"_s, u"0"_s);
    const QCommandLineOption maxLogprobs(u"max-logprobs"_s, u"refuse logprobs above this (vLLM style)"_s,
                                         u"k"_s, u"0"_s);
    const QCommandLineOption fault(u"fault"_s,
                                   u"none, 429, 500, 502, 503, reset, truncated, utf8, content-type, stall"_s,
                                   u"kind"_s, u"none"_s);
    const QCommandLineOption faultRate(u"fault-rate"_s, u"probability of the fault per request"_s, u"p"_s,
                                       u"0"_s);
    const QCommandLineOption faultFirst(u"fault-first"_s,
                                        u"fault the first k arrivals of each request body"_s, u"k"_s, u"0"_s);
    const QCommandLineOption retryAfter(u"retry-after"_s, u"Retry-After seconds for 429/503 (-1: none)"_s,
                                        u"s"_s, u"1"_s);
    const QCommandLineOption apiKey(u"api-key"_s, u"require this bearer key"_s, u"key"_s);
    const QCommandLineOption backlog(u"backlog"_s, u"listen backlog (Qt's own is 50)"_s, u"n"_s, u"4096"_s);
    const QCommandLineOption warmHeap(u"warm-heap-mib"_s,
                                      u"memory the server thread touches at start and keeps for its heap"_s,
                                      u"MiB"_s, u"48"_s);
    parser.addOptions({port, latency, jitter, expMean, shape, model, maxN, maxLogprobs, fault, faultRate,
                       faultFirst, retryAfter, apiKey, backlog, warmHeap});
    parser.process(app);

    FakeLlmServerConfig config;
    config.latencyMs = parser.value(latency).toInt();
    config.latencyJitterMs = parser.value(jitter).toInt();
    config.latencyExponentialMeanMs = parser.value(expMean).toInt();
    config.modelId = parser.value(model);
    config.maxN = parser.value(maxN).toInt();
    config.maxLogprobs = parser.value(maxLogprobs).toInt();
    config.faultRate = parser.value(faultRate).toDouble();
    config.faultFirstAttempts = parser.value(faultFirst).toInt();
    // Nobody reads the bodies here; the arrival counts only matter to --fault-first.
    config.keepHistory = config.faultFirstAttempts > 0;
    config.retryAfterSeconds = parser.value(retryAfter).toInt();
    config.requiredApiKey = parser.value(apiKey).toUtf8();
    config.warmHeapMiB = parser.value(warmHeap).toInt();
#ifdef __GLIBC__
    // The warmed heap stays: glibc would otherwise hand the freed memory back at once.
    if (config.warmHeapMiB > 0)
        mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
#endif
    if (parser.value(shape) == u"llamacpp"_s) {
        config.shape = FakeShape::LlamaCpp;
    } else if (parser.value(shape) != u"legacy"_s) {
        std::fprintf(stderr, "expected --shape legacy or llamacpp\n");
        return 1;
    }
    const std::optional<FakeFault> kind = faultNamed(parser.value(fault));
    if (!kind) {
        std::fprintf(stderr, "unknown --fault %s\n", qPrintable(parser.value(fault)));
        return 1;
    }
    config.fault = *kind;

    FakeLlmServer server(config);
    if (!server.start(quint16(parser.value(port).toUInt()))) {
        std::fprintf(stderr, "could not listen on 127.0.0.1:%s\n", qPrintable(parser.value(port)));
        return 1;
    }
    if (parser.value(backlog).toInt() > 50 && !raiseBacklog(server.port(), parser.value(backlog).toInt()))
        std::fprintf(stderr,
                     "could not raise the listen backlog; many simultaneous connects may be dropped\n");
    std::printf("listening on %u\n", unsigned(server.port()));
    std::fflush(stdout);
    return app.exec();
}
