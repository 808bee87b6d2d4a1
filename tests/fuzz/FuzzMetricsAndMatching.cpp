// Arbitrary small inputs through SurveyMetrics and the matchers: no crash, no sanitizer report,
// and the assignment stays one-to-one whatever the weights (ties, zeros, huge ranges).

#include "analysis/SurveyMetrics.h"
#include "matching/EdgeWeights.h"
#include "matching/GreedyMatcher.h"
#include "matching/MaxWeightAssignment.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>

using namespace anthology;

namespace {

class Bytes
{
public:
    Bytes(const std::uint8_t *data, std::size_t size) : m_data(data), m_size(size) {}
    std::uint8_t next() { return m_pos < m_size ? m_data[m_pos++] : 0; }
    bool done() const { return m_pos >= m_size; }

private:
    const std::uint8_t *m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

void metrics(Bytes &in)
{
    SurveyData d;
    const int q = in.next() % 5;
    const int humans = in.next() % 12, personas = in.next() % 12;
    for (int c = 0; c < q; ++c)
        d.categoryCounts.append(1 + in.next() % 6);
    d.humanCodes = CodeMatrix(humans, q);
    d.modelAnswers = CodeMatrix(personas, q);
    for (int &code : d.humanCodes.codes)
        code = int(in.next()) - 20; // negatives, 0, valid, > K, 99-ish
    for (int &code : d.modelAnswers.codes)
        code = int(in.next() % 9) - 1;
    for (int i = 0; i < humans; ++i)
        d.humanWeights.push_back(in.next() % 4 == 0 ? 0.0 : in.next() / 16.0);
    MetricsOptions o;
    o.splitHalfIterations = in.next() % 4;
    o.bootstrapResamples = in.next() % 20;
    o.pairwiseAlpha = in.next() & 1;
    (void)SurveyMetrics::compute(d, o);
}

void matching(Bytes &in)
{
    const int humans = in.next() % 8, personas = humans + in.next() % 8;
    QList<TraitVectors> traits;
    const int traitCount = 1 + in.next() % 3;
    for (int t = 0; t < traitCount; ++t) {
        TraitVectors tv;
        tv.categories = 1 + in.next() % 3;
        for (int h = 0; h < humans * tv.categories; ++h)
            tv.humans.push_back(in.next() % 3 / 2.0);
        for (int v = 0; v < personas * tv.categories; ++v) {
            const std::uint8_t b = in.next();
            tv.personas.push_back(b < 16 ? std::ldexp(1.0, -int(b) * 60) : b / 255.0);
        }
        traits.append(tv);
    }
    auto w = EdgeWeights::compute(traits);
    if (!w)
        return;
    (void)GreedyMatcher::match(w.value());
    auto pairs = MaxWeightAssignment::match(w.value());
    if (!pairs)
        return;
    std::set<qsizetype> used;
    for (const auto &p : pairs.value())
        used.insert(p.persona);
    if (qsizetype(used.size()) != pairs->size())
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    Bytes in(data, size);
    if (in.next() & 1)
        metrics(in);
    else
        matching(in);
    return 0;
}
