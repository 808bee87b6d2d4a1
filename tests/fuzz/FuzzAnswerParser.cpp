// Input layout: lines; the first line is the answer, the following non-empty lines (at most
// 15) are the choices. Every input is parsed under both behaviours and all symbol sets, and
// the same bytes, cut into tokens, feed the LogprobReader.
#include "prompt/AnswerParser.h"
#include "prompt/LogprobReader.h"
#include "prompt/OptionOrder.h"

#include <QString>
#include <QStringList>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace anthology;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString input = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    QStringList lines = input.split(u'\n');
    const QString answer = lines.takeFirst();
    QStringList choices;
    for (const QString &l : lines)
        if (!l.isEmpty() && choices.size() < 15)
            choices << l;

    QList<int> reversed;
    for (int i = int(choices.size()) - 1; i >= 0; --i)
        reversed << i;
    const auto order = OptionOrder::fromPattern(reversed);
    if (!order.ok())
        std::abort();

    for (SymbolSet symbols : {SymbolSet::Uppercase, SymbolSet::Lowercase, SymbolSet::Number}) {
        for (Behaviour b : {Behaviour::Ours, Behaviour::Seed}) {
            const AnswerParser parser(order->apply(choices), {symbols, b, b}, *order);
            const ParsedAnswer r = parser.parse(answer);
            if (r.compliant != (r.option >= 0) || (r.compliant && r.option >= choices.size()) ||
                r.compliant != r.reason.isEmpty())
                std::abort();
        }

        // Tokens: the answer split at spaces, each with a logprob derived from its bytes.
        QList<TokenLogprobs> positions;
        const QStringList tokens = answer.split(u' ');
        for (int i = 0; i < tokens.size() && i < 8; ++i) {
            TokenLogprobs p{tokens.at(i), -double(i) / 3.0, {}};
            for (int j = 0; j < tokens.size() && j < 20; ++j)
                p.top << TopLogprob{tokens.at(j), -double((i + j) % 7) / 2.0};
            positions << p;
        }
        const OptionDistribution d = LogprobReader(symbols, int(choices.size())).read(positions);
        double sum = 0;
        for (double p : d.probabilities) {
            if (!(p >= 0.0 && p <= 1.0 + 1e-9))
                std::abort();
            sum += p;
        }
        if (d.ok() && std::abs(sum - 1.0) > 1e-9)
            std::abort();
        if (d.unassignedMass < 0.0 || d.unassignedMass > 1.0)
            std::abort();
    }
    return 0;
}
