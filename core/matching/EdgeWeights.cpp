#include "matching/EdgeWeights.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#endif

namespace anthology {
using namespace Qt::StringLiterals;

namespace {

constexpr double kMinusInf = -std::numeric_limits<double>::infinity();

// Traits are grouped while the product of their distinct human vectors stays at most this:
// a group's rows (one per combination some human has) then stay few and cheap to build,
// and every group beyond the first costs one addition per (human, persona).
constexpr qsizetype kMaxCombinations = 256;

// Personas are walked in blocks so that the block's slice of every group row stays in cache
// (L2: a few hundred rows x 128 doubles) while all distinct profiles are added up.
constexpr qsizetype kBlock = 128;

// Below this a scaled weight is 0 (e^-708 is about 3e-308, the smallest normal double).
constexpr double kLowestExponent = -708.0;

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

// e^x for x <= 0 without a call per element (std::exp is one, and the assignment scales
// millions of entries): x = k ln 2 + r with |r| <= ln2/2, e^r by its Taylor series to degree
// 13 (truncation below 5e-18 relative), times 2^k built in the exponent bits. Within 2 ulp of
// std::exp; exactly 1 at 0; 0 below kLowestExponent, including -inf. The scalar, SSE2, AVX2
// and AVX-512 forms do the same IEEE operations in the same order (none fused), so every entry
// is the same double whichever form computed it.
constexpr double kLog2e = 1.4426950408889634;
constexpr double kLn2Hi = 6.93147180369123816490e-01; // low bits zero: k * kLn2Hi is exact
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kShifter = 0x1.8p52; // adding it rounds to an integer held in the low bits
constexpr double kTaylor[] = {1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0,
                              1.0 / 362880.0,     1.0 / 40320.0,     1.0 / 5040.0,      1.0 / 720.0,
                              1.0 / 120.0,        1.0 / 24.0,        1.0 / 6.0,         0.5,
                              1.0,                1.0};

double expNonPositive(double x)
{
    if (x < kLowestExponent)
        return 0.0;
    const double t = x * kLog2e + kShifter;
    const double k = t - kShifter;
    const double r = (x - k * kLn2Hi) - k * kLn2Lo;
    double p = kTaylor[0];
    for (size_t i = 1; i < std::size(kTaylor); ++i)
        p = p * r + kTaylor[i];
    const std::int64_t kBits = std::bit_cast<std::int64_t>(t) - std::bit_cast<std::int64_t>(kShifter);
    return p * std::bit_cast<double>((kBits + 1023) << 52); // k in -1021..0: a normal power of 2
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ANTHOLOGY_EXP_WIDE 1
// expNonPositive eight at a time (AVX-512) or four (AVX2), chosen at run time: the SSE2 loop's
// operations in the same order. No multiply and add may fuse into an FMA, which AVX-512 has:
// core/CMakeLists.txt compiles this file with -ffp-contract=off. Each returns how many leading
// entries it did.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
// GCC 12's AVX-512 headers trip this on their own placeholder (undefined) operands.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
__attribute__((target("avx512f"))) qsizetype expNonPositiveRowAvx512(const double *in, double m, double *out,
                                                                     qsizetype n)
{
    const __m512d lowest = _mm512_set1_pd(kLowestExponent), log2e = _mm512_set1_pd(kLog2e),
                  shifter = _mm512_set1_pd(kShifter), ln2Hi = _mm512_set1_pd(kLn2Hi),
                  ln2Lo = _mm512_set1_pd(kLn2Lo), shift = _mm512_set1_pd(m);
    const __m512i bias = _mm512_sub_epi64(_mm512_set1_epi64(1023), _mm512_castpd_si512(shifter));
    qsizetype v = 0;
    for (; v + 8 <= n; v += 8) {
        const __m512d x = _mm512_sub_pd(_mm512_loadu_pd(in + v), shift);
        const __mmask8 low = _mm512_cmp_pd_mask(x, lowest, _CMP_LT_OS);
        const __m512d clamped = _mm512_max_pd(x, lowest);
        const __m512d t = _mm512_add_pd(_mm512_mul_pd(clamped, log2e), shifter);
        const __m512d k = _mm512_sub_pd(t, shifter);
        const __m512d r =
            _mm512_sub_pd(_mm512_sub_pd(clamped, _mm512_mul_pd(k, ln2Hi)), _mm512_mul_pd(k, ln2Lo));
        __m512d p = _mm512_set1_pd(kTaylor[0]);
        for (size_t i = 1; i < std::size(kTaylor); ++i)
            p = _mm512_add_pd(_mm512_mul_pd(p, r), _mm512_set1_pd(kTaylor[i]));
        const __m512d scale =
            _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_add_epi64(_mm512_castpd_si512(t), bias), 52));
        _mm512_storeu_pd(out + v, _mm512_maskz_mul_pd(static_cast<__mmask8>(~low), p, scale));
    }
    return v;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

__attribute__((target("avx2"))) qsizetype expNonPositiveRowAvx2(const double *in, double m, double *out,
                                                                qsizetype n)
{
    const __m256d lowest = _mm256_set1_pd(kLowestExponent), log2e = _mm256_set1_pd(kLog2e),
                  shifter = _mm256_set1_pd(kShifter), ln2Hi = _mm256_set1_pd(kLn2Hi),
                  ln2Lo = _mm256_set1_pd(kLn2Lo), shift = _mm256_set1_pd(m);
    const __m256i bias = _mm256_sub_epi64(_mm256_set1_epi64x(1023), _mm256_castpd_si256(shifter));
    qsizetype v = 0;
    for (; v + 4 <= n; v += 4) {
        const __m256d x = _mm256_sub_pd(_mm256_loadu_pd(in + v), shift);
        const __m256d low = _mm256_cmp_pd(x, lowest, _CMP_LT_OS);
        const __m256d clamped = _mm256_max_pd(x, lowest);
        const __m256d t = _mm256_add_pd(_mm256_mul_pd(clamped, log2e), shifter);
        const __m256d k = _mm256_sub_pd(t, shifter);
        const __m256d r =
            _mm256_sub_pd(_mm256_sub_pd(clamped, _mm256_mul_pd(k, ln2Hi)), _mm256_mul_pd(k, ln2Lo));
        __m256d p = _mm256_set1_pd(kTaylor[0]);
        for (size_t i = 1; i < std::size(kTaylor); ++i)
            p = _mm256_add_pd(_mm256_mul_pd(p, r), _mm256_set1_pd(kTaylor[i]));
        const __m256d scale =
            _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(_mm256_castpd_si256(t), bias), 52));
        _mm256_storeu_pd(out + v, _mm256_andnot_pd(low, _mm256_mul_pd(p, scale)));
    }
    return v;
}

enum class Wide { None, Avx2, Avx512 };

Wide wideForm()
{
    static const Wide wide = __builtin_cpu_supports("avx512f") ? Wide::Avx512
                             : __builtin_cpu_supports("avx2")  ? Wide::Avx2
                                                               : Wide::None;
    return wide;
}
#endif

// out[v] = expNonPositive(in[v] - m) for v < n.
void expNonPositiveRow(const double *in, double m, double *out, qsizetype n)
{
    qsizetype v = 0;
#ifdef ANTHOLOGY_EXP_WIDE
    if (wideForm() == Wide::Avx512)
        v = expNonPositiveRowAvx512(in, m, out, n);
    else if (wideForm() == Wide::Avx2)
        v = expNonPositiveRowAvx2(in, m, out, n);
#endif
#ifdef __SSE2__
    const __m128d lowest = _mm_set1_pd(kLowestExponent), log2e = _mm_set1_pd(kLog2e),
                  shifter = _mm_set1_pd(kShifter), ln2Hi = _mm_set1_pd(kLn2Hi), ln2Lo = _mm_set1_pd(kLn2Lo),
                  shift = _mm_set1_pd(m);
    const __m128i bias = _mm_sub_epi64(_mm_set1_epi64x(1023), _mm_castpd_si128(shifter));
    for (; v + 2 <= n; v += 2) {
        const __m128d x = _mm_sub_pd(_mm_loadu_pd(in + v), shift);
        const __m128d low = _mm_cmplt_pd(x, lowest);
        const __m128d clamped = _mm_max_pd(x, lowest); // -inf too; x is never NaN
        const __m128d t = _mm_add_pd(_mm_mul_pd(clamped, log2e), shifter);
        const __m128d k = _mm_sub_pd(t, shifter);
        const __m128d r = _mm_sub_pd(_mm_sub_pd(clamped, _mm_mul_pd(k, ln2Hi)), _mm_mul_pd(k, ln2Lo));
        __m128d p = _mm_set1_pd(kTaylor[0]);
        for (size_t i = 1; i < std::size(kTaylor); ++i)
            p = _mm_add_pd(_mm_mul_pd(p, r), _mm_set1_pd(kTaylor[i]));
        const __m128d scale = _mm_castsi128_pd(_mm_slli_epi64(_mm_add_epi64(_mm_castpd_si128(t), bias), 52));
        _mm_storeu_pd(out + v, _mm_andnot_pd(low, _mm_mul_pd(p, scale)));
    }
#endif
    for (; v < n; ++v)
        out[v] = expNonPositive(in[v] - m);
}

// The largest of s[0..n), n >= 1; never NaN here (see validate()).
double largest(const double *s, qsizetype n)
{
    qsizetype v = 0;
    double top = s[0];
#ifdef __SSE2__
    if (n >= 4) {
        __m128d a = _mm_loadu_pd(s), b = _mm_loadu_pd(s + 2);
        for (v = 4; v + 4 <= n; v += 4) {
            a = _mm_max_pd(a, _mm_loadu_pd(s + v));
            b = _mm_max_pd(b, _mm_loadu_pd(s + v + 2));
        }
        a = _mm_max_pd(a, b);
        top = std::max(_mm_cvtsd_f64(a), _mm_cvtsd_f64(_mm_unpackhi_pd(a, a)));
    }
#endif
    for (; v < n; ++v)
        top = std::max(top, s[v]);
    return top;
}

// One trait's distinct human vectors: each human's row, and per row the log of <vector, p_v>
// for every persona. One-hot rows come first, one per category, then one per distinct spread
// vector.
struct TraitRows
{
    std::vector<qsizetype> rowOfHuman;
    std::vector<const double *> spread; // the human vector of each row past the one-hot ones
    qsizetype rows = 0;
    double *logs = nullptr; // rows x personas, in the buffer all traits share
};

TraitRows traitRows(const TraitVectors &tv, qsizetype H)
{
    const int C = tv.categories;
    TraitRows out;
    out.rowOfHuman.resize(static_cast<size_t>(H));
    std::map<std::vector<double>, qsizetype> spread;
    for (qsizetype h = 0; h < H; ++h) {
        const double *hv = tv.humans.data() + h * C;
        const int hot = oneHotIndex(hv, C);
        if (hot >= 0) {
            out.rowOfHuman[static_cast<size_t>(h)] = hot;
            continue;
        }
        const auto [it, added] = spread.try_emplace(std::vector<double>(hv, hv + C), C + qsizetype(spread.size()));
        if (added)
            out.spread.push_back(hv);
        out.rowOfHuman[static_cast<size_t>(h)] = it->second;
    }
    out.rows = C + qsizetype(out.spread.size());
    return out;
}

// The trait's log rows.
void fillTraitLogs(const TraitVectors &tv, const TraitRows &rows, qsizetype V)
{
    const int C = tv.categories;
    // One-hot rows: the personas' log-probabilities, transposed to category-major.
    for (qsizetype v = 0; v < V; ++v)
        for (int c = 0; c < C; ++c) {
            const double p = tv.personas[static_cast<size_t>(v * C + c)];
            rows.logs[c * V + v] = p > 0.0 ? std::log(p) : kMinusInf;
        }
    for (size_t s = 0; s < rows.spread.size(); ++s) {
        const double *hv = rows.spread[s];
        double *row = rows.logs + (C + qsizetype(s)) * V;
        for (qsizetype v = 0; v < V; ++v) {
            const double *pv = tv.personas.data() + v * C;
            double dot = 0.0;
            for (int k = 0; k < C; ++k)
                dot += hv[k] * pv[k];
            row[v] = dot > 0.0 ? std::log(dot) : kMinusInf;
        }
    }
}

// Consecutive traits [first, last) whose logs are summed into one row per combination some
// human has.
struct Group
{
    size_t first = 0, last = 0;
    std::vector<qsizetype> rowOfHuman; // absolute row in the group rows
    std::vector<qsizetype> humanOfRow; // a human with that row, per row of this group
};

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// A wider form of the loops where the CPU has one (each entry's additions are the same).
#define ANTHOLOGY_WIDE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define ANTHOLOGY_WIDE_CLONES
#endif

// s[v] = rows[0][v] + rows[1][v] + ... for v < n, added left to right: every path (logWeight,
// logRow, the best persona) adds a human's group rows in that order and sees the same doubles.
ANTHOLOGY_WIDE_CLONES void sumRows(const double *const *rows, size_t count, qsizetype n, double *s)
{
    if (count == 1) {
        std::copy_n(rows[0], n, s);
        return;
    }
    for (qsizetype v = 0; v < n; ++v)
        s[v] = rows[0][v] + rows[1][v];
    for (size_t g = 2; g < count; ++g)
        for (qsizetype v = 0; v < n; ++v)
            s[v] += rows[g][v];
}

// The group's rows, each its traits' logs summed left to right.
void fillGroupRows(const Group &group, const std::vector<TraitRows> &perTrait, qsizetype V, double *groupRows)
{
    std::vector<const double *> add(group.last - group.first);
    for (const qsizetype h : group.humanOfRow) {
        for (size_t t = group.first; t < group.last; ++t)
            add[t - group.first] = perTrait[t].logs + perTrait[t].rowOfHuman[static_cast<size_t>(h)] * V;
        sumRows(add.data(), add.size(), V, groupRows + group.rowOfHuman[static_cast<size_t>(h)] * V);
    }
}

// Each profile's first persona of highest log weight, in persona order with a strict
// comparison as a scan of the whole row would find it (0 and -inf when every weight is 0).
void findBest(const double *groupRows, const std::vector<qsizetype> &rowOf, int G, qsizetype V,
              std::vector<qsizetype> &best, std::vector<double> &bestLog)
{
    const auto P = qsizetype(rowOf.size()) / G;
    best.assign(static_cast<size_t>(P), 0);
    bestLog.assign(static_cast<size_t>(P), kMinusInf);
    std::vector<double> sums(static_cast<size_t>(std::min(kBlock, V)));
    std::vector<const double *> add(static_cast<size_t>(G));
    for (qsizetype b0 = 0; b0 < V; b0 += kBlock) {
        const qsizetype n = std::min(V, b0 + kBlock) - b0;
        for (qsizetype p = 0; p < P; ++p) {
            for (int g = 0; g < G; ++g)
                add[size_t(g)] = groupRows + rowOf[static_cast<size_t>(p * G + g)] * V + b0;
            double *s = sums.data();
            sumRows(add.data(), add.size(), n, s);
            // A scan with a strict comparison would stop at the block maximum's first place.
            const double top = largest(s, n);
            if (top > bestLog[static_cast<size_t>(p)]) {
                bestLog[static_cast<size_t>(p)] = top;
                best[static_cast<size_t>(p)] = b0 + (std::find(s, s + n, top) - s);
            }
        }
    }
}

// The group starting at trait `first`: traits are added while the product of their distinct
// human vectors stays at most kMaxCombinations; each combination some human has gets the next
// row from rowCount.
Group makeGroup(const std::vector<TraitRows> &perTrait, size_t first, qsizetype H, qsizetype &rowCount)
{
    Group group;
    group.first = first;
    group.last = first + 1;
    qsizetype combinations = perTrait[first].rows;
    while (group.last < perTrait.size() && combinations * perTrait[group.last].rows <= kMaxCombinations)
        combinations *= perTrait[group.last++].rows;
    std::vector<qsizetype> rowOfCombination(static_cast<size_t>(combinations), -1);
    group.rowOfHuman.resize(static_cast<size_t>(H));
    for (qsizetype h = 0; h < H; ++h) {
        qsizetype combination = 0;
        for (size_t t = group.first; t < group.last; ++t)
            combination = combination * perTrait[t].rows + perTrait[t].rowOfHuman[static_cast<size_t>(h)];
        qsizetype &row = rowOfCombination[static_cast<size_t>(combination)];
        if (row < 0) {
            row = rowCount++;
            group.humanOfRow.push_back(h);
        }
        group.rowOfHuman[static_cast<size_t>(h)] = row;
    }
    return group;
}

Status validate(const QList<TraitVectors> &traits, qsizetype &H, qsizetype &V)
{
    for (qsizetype t = 0; t < traits.size(); ++t) {
        const TraitVectors &tv = traits[t];
        if (tv.categories < 1 || tv.humans.size() % static_cast<size_t>(tv.categories) != 0 ||
            tv.personas.size() % static_cast<size_t>(tv.categories) != 0)
            return Error::user(
                u"trait %1: expected vectors of %2 categories"_s.arg(t + 1).arg(tv.categories));
        const auto humans = static_cast<qsizetype>(tv.humans.size() / static_cast<size_t>(tv.categories));
        const auto personas = static_cast<qsizetype>(tv.personas.size() / static_cast<size_t>(tv.categories));
        if (t == 0) {
            H = humans;
            V = personas;
        } else if (humans != H || personas != V) {
            return Error::user(u"trait %1: expected %2 humans and %3 personas, got %4 and %5"_s.arg(t + 1)
                                   .arg(H)
                                   .arg(V)
                                   .arg(humans)
                                   .arg(personas));
        }
        // NaN is left alone (a probability that is not a number counts as 0, as it always
        // has); an infinite one would make the weights meaningless.
        for (size_t i = 0; i < tv.humans.size(); ++i)
            if (std::isinf(tv.humans[i]))
                return Error::user(u"trait %1: human %2 has an infinite value"_s.arg(t + 1).arg(
                    qsizetype(i) / tv.categories + 1));
        for (size_t i = 0; i < tv.personas.size(); ++i)
            if (std::isinf(tv.personas[i]))
                return Error::user(u"trait %1: persona %2 has an infinite value"_s.arg(t + 1).arg(
                    qsizetype(i) / tv.categories + 1));
    }
    return {};
}

} // namespace

Result<EdgeWeights> EdgeWeights::compute(const QList<TraitVectors> &traits)
{
    EdgeWeights out;
    out.m_maxLog = kMinusInf;
    if (traits.isEmpty()) {
        out.m_maxLog = 0.0;
        return out;
    }
    qsizetype H = 0, V = 0;
    if (Status st = validate(traits, H, V); !st)
        return st.error();
    out.m_humans = H;
    out.m_personas = V;

    std::vector<TraitRows> perTrait;
    perTrait.reserve(static_cast<size_t>(traits.size()));
    qsizetype traitRowCount = 0;
    for (const TraitVectors &tv : traits) {
        perTrait.push_back(traitRows(tv, H));
        traitRowCount += perTrait.back().rows;
    }
    LargeArray<double> traitLogs(static_cast<size_t>(traitRowCount * V));
    for (qsizetype t = 0, row = 0; t < qsizetype(perTrait.size()); row += perTrait[size_t(t++)].rows)
        perTrait[size_t(t)].logs = traitLogs.data() + row * V;

    std::vector<Group> groups;
    qsizetype rowCount = 0;
    for (size_t first = 0; first < perTrait.size();) {
        groups.push_back(makeGroup(perTrait, first, H, rowCount));
        first = groups.back().last;
    }
    out.m_groups = int(groups.size());
    const int G = out.m_groups;

    // Humans with the same rows in every group share one profile.
    std::map<std::vector<qsizetype>, qsizetype> profiles;
    out.m_profileOf.resize(static_cast<size_t>(H));
    std::vector<qsizetype> key(static_cast<size_t>(G));
    for (qsizetype h = 0; h < H; ++h) {
        for (int g = 0; g < G; ++g)
            key[static_cast<size_t>(g)] = groups[static_cast<size_t>(g)].rowOfHuman[static_cast<size_t>(h)];
        const auto [it, added] = profiles.try_emplace(key, qsizetype(profiles.size()));
        if (added)
            out.m_rowOf.insert(out.m_rowOf.end(), key.begin(), key.end());
        out.m_profileOf[static_cast<size_t>(h)] = it->second;
    }

    for (size_t t = 0; t < perTrait.size(); ++t)
        fillTraitLogs(traits[qsizetype(t)], perTrait[t], V);
    out.m_rows = LargeArray<double>(static_cast<size_t>(rowCount * V));
    for (const Group &group : groups)
        fillGroupRows(group, perTrait, V, out.m_rows.data());
    findBest(out.m_rows.data(), out.m_rowOf, G, V, out.m_best, out.m_bestLog);
    for (double l : out.m_bestLog)
        if (l > out.m_maxLog)
            out.m_maxLog = l;
    return out;
}

const double *EdgeWeights::groupRow(qsizetype h, int g) const
{
    const qsizetype p = m_profileOf[static_cast<size_t>(h)];
    return m_rows.data() + m_rowOf[static_cast<size_t>(p * m_groups + g)] * m_personas;
}

double EdgeWeights::logWeight(qsizetype h, qsizetype v) const
{
    if (m_groups == 0)
        return 0.0;
    double sum = groupRow(h, 0)[v];
    for (int g = 1; g < m_groups; ++g)
        sum += groupRow(h, g)[v];
    return sum;
}

double EdgeWeights::weight(qsizetype h, qsizetype v) const
{
    return std::exp(logWeight(h, v));
}

void EdgeWeights::logRow(qsizetype h, double *out) const
{
    if (m_groups == 0) {
        std::fill_n(out, m_personas, 0.0);
        return;
    }
    std::vector<const double *> rows(static_cast<size_t>(m_groups));
    for (int g = 0; g < m_groups; ++g)
        rows[size_t(g)] = groupRow(h, g);
    sumRows(rows.data(), rows.size(), m_personas, out);
}

void EdgeWeights::scaledRow(qsizetype h, double *out) const
{
    logRow(h, out);
    if (!std::isfinite(m_maxLog)) {
        std::fill_n(out, m_personas, 0.0);
        return;
    }
    expNonPositiveRow(out, m_maxLog, out, m_personas);
}

double EdgeWeights::scaledWeight(qsizetype h, qsizetype v) const
{
    return std::isfinite(m_maxLog) ? expNonPositive(logWeight(h, v) - m_maxLog) : 0.0;
}

std::vector<double> EdgeWeights::scaledWeights() const
{
    std::vector<double> out(static_cast<size_t>(m_humans * m_personas));
    for (qsizetype h = 0; h < m_humans; ++h)
        scaledRow(h, out.data() + h * m_personas);
    return out;
}

} // namespace anthology
