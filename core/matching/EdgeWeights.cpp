#include "matching/EdgeWeights.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace anthology {
using namespace Qt::StringLiterals;

namespace {

constexpr double kMinusInf = -std::numeric_limits<double>::infinity();

// The category a human vector is one-hot on, or -1 when it is spread (refused: uniform).
int oneHotIndex(const double *v, int n)
{
    int hot = -1;
    for (int c = 0; c < n; ++c) {
        if (v[c] == 0.0)
            continue;
        if (v[c] != 1.0 || hot >= 0)
            return -1;
        hot = c;
    }
    return hot;
}

} // namespace

Result<EdgeWeights> EdgeWeights::compute(const QList<TraitVectors> &traits)
{
    EdgeWeights out;
    if (traits.isEmpty())
        return out;
    for (qsizetype t = 0; t < traits.size(); ++t) {
        const TraitVectors &tv = traits[t];
        if (tv.categories < 1 || tv.humans.size() % static_cast<size_t>(tv.categories) != 0 ||
            tv.personas.size() % static_cast<size_t>(tv.categories) != 0)
            return Error::user(
                u"trait %1: expected vectors of %2 categories"_s.arg(t + 1).arg(tv.categories));
        const auto humans = static_cast<qsizetype>(tv.humans.size() / static_cast<size_t>(tv.categories));
        const auto personas = static_cast<qsizetype>(tv.personas.size() / static_cast<size_t>(tv.categories));
        if (t == 0) {
            out.m_humans = humans;
            out.m_personas = personas;
        } else if (humans != out.m_humans || personas != out.m_personas) {
            return Error::user(u"trait %1: expected %2 humans and %3 personas, got %4 and %5"_s.arg(t + 1)
                                   .arg(out.m_humans)
                                   .arg(out.m_personas)
                                   .arg(humans)
                                   .arg(personas));
        }
    }
    const qsizetype H = out.m_humans, V = out.m_personas;
    out.m_log.assign(static_cast<size_t>(H * V), 0.0);

    // Persona log-probabilities, per trait, transposed to category-major: a one-hot human then
    // adds a contiguous run of logs, which the compiler vectorizes. The personas are walked in
    // blocks so that every trait's slice of the tables (sum of categories x block doubles) stays
    // in cache while all humans are added up; the whole tables would not fit and every human
    // would stream them from memory again.
    std::vector<std::vector<double>> logTables;
    for (const TraitVectors &tv : traits) {
        const int C = tv.categories;
        std::vector<double> table(static_cast<size_t>(C * V));
        for (qsizetype v = 0; v < V; ++v)
            for (int c = 0; c < C; ++c) {
                const double p = tv.personas[static_cast<size_t>(v * C + c)];
                table[static_cast<size_t>(c * V + v)] = p > 0.0 ? std::log(p) : kMinusInf;
            }
        logTables.push_back(std::move(table));
    }
    std::vector<int> hot(static_cast<size_t>(H * traits.size()));
    for (qsizetype h = 0; h < H; ++h)
        for (qsizetype t = 0; t < traits.size(); ++t)
            hot[static_cast<size_t>(h * traits.size() + t)] =
                oneHotIndex(traits[t].humans.data() + h * traits[t].categories, traits[t].categories);

    constexpr qsizetype kBlock = 512;
    for (qsizetype v0 = 0; v0 < V; v0 += kBlock) {
        const qsizetype v1 = std::min(V, v0 + kBlock);
        for (qsizetype h = 0; h < H; ++h) {
            double *row = out.m_log.data() + h * V;
            for (qsizetype t = 0; t < traits.size(); ++t) {
                const TraitVectors &tv = traits[t];
                const int C = tv.categories;
                const int c = hot[static_cast<size_t>(h * traits.size() + t)];
                if (c >= 0) {
                    const double *add = logTables[static_cast<size_t>(t)].data() + static_cast<size_t>(c) * V;
                    for (qsizetype v = v0; v < v1; ++v)
                        row[v] += add[v];
                    continue;
                }
                const double *hv = tv.humans.data() + h * C;
                for (qsizetype v = v0; v < v1; ++v) {
                    const double *pv = tv.personas.data() + v * C;
                    double dot = 0.0;
                    for (int k = 0; k < C; ++k)
                        dot += hv[k] * pv[k];
                    row[v] += dot > 0.0 ? std::log(dot) : kMinusInf;
                }
            }
        }
    }
    out.m_maxLog = kMinusInf;
    for (double l : out.m_log)
        if (l > out.m_maxLog && std::isfinite(l))
            out.m_maxLog = l;
    return out;
}

double EdgeWeights::weight(qsizetype h, qsizetype v) const
{
    return std::exp(logWeight(h, v));
}

std::vector<double> EdgeWeights::scaledWeights() const
{
    std::vector<double> out(m_log.size(), 0.0);
    if (!std::isfinite(m_maxLog))
        return out;
    for (size_t i = 0; i < m_log.size(); ++i)
        out[i] = std::exp(m_log[i] - m_maxLog);
    return out;
}

} // namespace anthology
