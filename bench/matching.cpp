// Matching benchmark: 2,500 humans x 10,000 personas, 8 traits. Times what MatchStep runs: edge
// weights, then greedy or the maximum-weight assignment (scaling included), each as wall time and
// as the process's CPU time (the CPU figure holds on a loaded machine, the wall one does not; it
// counts EdgeWeights' second thread too, and nothing else runs then).
// Then SciPy's linear_sum_assignment on the same scaled matrix (solve only, timed inside python)
// and checks both reach the same optimum.
//   build/bench/matching [humans personas]

#include "matching/EdgeWeights.h"
#include "matching/GreedyMatcher.h"
#include "matching/MaxWeightAssignment.h"
#include "util/SeededRandom.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <ctime>

using namespace anthology;

namespace {

// Category counts of typical ATP matching traits: age, gender, education, income, race,
// religion, party, region.
const int kCategories[] = {4, 3, 6, 9, 5, 8, 4, 4};

std::vector<double> marginal(SeededRandom &r, int c)
{
    std::vector<double> m(static_cast<size_t>(c));
    double s = 0;
    for (double &x : m)
        s += x = 0.2 + r.uniform();
    for (double &x : m)
        x /= s;
    return m;
}

int draw(SeededRandom &r, const std::vector<double> &p)
{
    double u = r.uniform();
    for (size_t k = 0; k < p.size(); ++k)
        if ((u -= p[k]) < 0)
            return int(k);
    return int(p.size()) - 1;
}

double processCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// Wall and CPU milliseconds of one phase.
struct Lap
{
    QElapsedTimer wall;
    double cpuStart = 0;
    void start()
    {
        cpuStart = processCpuMs();
        wall.start();
    }
    std::pair<double, double> stop() const
    {
        return {double(wall.nsecsElapsed()) / 1e6, processCpuMs() - cpuStart};
    }
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qsizetype humans = argc > 2 ? QByteArray(argv[1]).toLongLong() : 2500;
    const qsizetype personas = argc > 2 ? QByteArray(argv[2]).toLongLong() : 10000;
    SeededRandom r(20240611);

    // Personas: each backstory implies a category per trait, the LLM's distribution puts most
    // mass there and spreads the rest; humans: codes from the same marginals, 3% refused.
    QList<TraitVectors> traits;
    for (int c : kCategories) {
        const auto m = marginal(r, c);
        TraitVectors tv;
        tv.categories = c;
        for (qsizetype v = 0; v < personas; ++v) {
            const int truth = draw(r, m);
            const double peak = 0.5 + 0.49 * r.uniform();
            std::vector<double> p(static_cast<size_t>(c));
            double rest = 0;
            for (int k = 0; k < c; ++k)
                if (k != truth)
                    rest += p[static_cast<size_t>(k)] = r.uniform() * r.uniform();
            for (int k = 0; k < c; ++k)
                p[static_cast<size_t>(k)] = k == truth ? peak : (1 - peak) * p[static_cast<size_t>(k)] / rest;
            tv.personas.insert(tv.personas.end(), p.begin(), p.end());
        }
        for (qsizetype h = 0; h < humans; ++h) {
            const bool refused = r.below(100) < 3;
            const int code = draw(r, m);
            for (int k = 0; k < c; ++k)
                tv.humans.push_back(refused ? 1.0 / c : (k == code ? 1.0 : 0.0));
        }
        traits.append(tv);
    }

    Lap lap;
    lap.start();
    auto weights = EdgeWeights::compute(traits);
    const auto [weightsMs, weightsCpu] = lap.stop();
    if (!weights) {
        std::fprintf(stderr, "%s\n", qPrintable(weights.error().message));
        return 1;
    }
    lap.start();
    const auto greedy = GreedyMatcher::match(weights.value());
    const auto [greedyMs, greedyCpu] = lap.stop();
    lap.start();
    const auto assigned = MaxWeightAssignment::match(weights.value());
    const auto [oursMs, oursCpu] = lap.stop();
    if (!assigned) {
        std::fprintf(stderr, "%s\n", qPrintable(assigned.error().message));
        return 1;
    }
    const std::vector<double> scaled = weights->scaledWeights();
    double ours = 0;
    for (const MatchPair &p : assigned.value())
        ours += scaled[static_cast<size_t>(p.human * personas + p.persona)];

    std::printf("%lld humans x %lld personas, %d traits (wall ms / process CPU ms)\n", (long long)humans,
                (long long)personas, int(std::size(kCategories)));
    std::printf("edge weights (log space):     %8.1f / %8.1f\n", weightsMs, weightsCpu);
    std::printf("greedy:                       %8.1f / %8.1f (%lld pairs)\n", greedyMs, greedyCpu,
                (long long)greedy.size());
    std::printf("max-weight assignment, ours:  %8.1f / %8.1f (scaling included), total %.15g\n", oursMs,
                oursCpu, ours);
    std::printf("end to end, weights + assignment: %8.1f / %8.1f (target < 150 ms)\n", weightsMs + oursMs,
                weightsCpu + oursCpu);

    QTemporaryDir dir;
    const QString matrix = dir.filePath(QStringLiteral("weights.f64"));
    QFile f(matrix);
    if (!f.open(QIODevice::WriteOnly))
        return 1;
    f.write(reinterpret_cast<const char *>(scaled.data()), qint64(scaled.size() * sizeof(double)));
    f.close();
    const QString python = QFile::exists(QStringLiteral("/usr/bin/python3"))
                               ? QStringLiteral("/usr/bin/python3")
                               : QStringLiteral("python3");
    QProcess p;
    p.start(python, {QStringLiteral("-c"),
                     QStringLiteral("import sys, time, numpy as np\n"
                                    "from scipy.optimize import linear_sum_assignment\n"
                                    "W = np.fromfile(sys.argv[1], dtype=np.float64).reshape(%1, %2)\n"
                                    "t = time.perf_counter()\n"
                                    "r, c = linear_sum_assignment(W, maximize=True)\n"
                                    "dt = time.perf_counter() - t\n"
                                    "print(dt * 1000, repr(float(W[r, c].sum())))\n")
                         .arg(humans)
                         .arg(personas),
                     matrix});
    if (!p.waitForFinished(-1) || p.exitCode() != 0) {
        std::fprintf(stderr, "scipy failed: %s\n", p.readAllStandardError().constData());
        return 1;
    }
    const QList<QByteArray> out = p.readAllStandardOutput().simplified().split(' ');
    const double scipyMs = out.value(0).toDouble(), scipy = out.value(1).toDouble();
    std::printf("max-weight assignment, scipy: %7.1f ms, total %.15g\n", scipyMs, scipy);
    const bool same = std::abs(ours - scipy) <= 1e-9 * std::max(1.0, std::abs(scipy));
    std::printf("same optimum: %s; speed-up %.2fx\n", same ? "yes" : "NO", scipyMs / oursMs);
    return same ? 0 : 1;
}
