#include "prompt/LogprobReader.h"

#include <QSet>

#include <cmath>

namespace anthology {

namespace {

bool isBracket(QChar c)
{
    return c == u'(' || c == u')' || c == u'[' || c == u']';
}

} // namespace

LogprobReader::LogprobReader(SymbolSet symbols, int optionCount) : m_symbols(symbols), m_count(optionCount) {}

int LogprobReader::answerPosition(const QList<TokenLogprobs> &positions)
{
    for (int i = 0; i < positions.size(); ++i)
        for (QChar c : positions.at(i).token)
            if (!c.isSpace() && !isBracket(c))
                return i;
    return -1;
}

int LogprobReader::optionOf(QStringView token) const
{
    QStringView t = token.trimmed();
    while (!t.isEmpty() && (t.front() == u'(' || t.front() == u'['))
        t = t.sliced(1);
    while (!t.isEmpty() && (t.back() == u')' || t.back() == u']' || t.back() == u'.' || t.back() == u','))
        t.chop(1);
    if (t.isEmpty())
        return -1;
    int index = -1;
    if (m_symbols == SymbolSet::Number) {
        if (t.size() > 3)
            return -1;
        for (QChar c : t)
            if (c < u'0' || c > u'9')
                return -1;
        index = t.toInt() - 1;
    } else {
        if (t.size() != 1)
            return -1;
        const QChar c = t.front().toUpper();
        if (c < u'A' || c > u'Z')
            return -1;
        index = c.unicode() - u'A';
    }
    return index >= 0 && index < m_count ? index : -1;
}

OptionDistribution LogprobReader::read(const QList<TokenLogprobs> &positions) const
{
    OptionDistribution d;
    d.probabilities = QList<double>(m_count, 0.0);
    d.position = answerPosition(positions);
    if (d.position < 0)
        return d;
    const TokenLogprobs &at = positions.at(d.position);
    // The alternatives, then the token itself; a token seen before counts once. APIs send at most
    // 20 alternatives: comparing with the ones before costs less than a set per answer, which
    // only a server sending far more needs.
    const qsizetype count = at.top.size() + 1;
    const auto tokenOf = [&](qsizetype i) -> const QString & {
        return i < at.top.size() ? at.top[i].token : at.token;
    };
    const bool many = count > 32;
    QSet<QString> seenSet;
    for (qsizetype i = 0; i < count; ++i) {
        const QString &token = tokenOf(i);
        bool seen = false;
        if (many) {
            seen = seenSet.contains(token);
            seenSet.insert(token);
        }
        for (qsizetype j = 0; !many && j < i && !seen; ++j)
            seen = tokenOf(j) == token;
        if (seen)
            continue;
        const double logprob = i < at.top.size() ? at.top[i].logprob : at.logprob;
        const int option = optionOf(token);
        if (option < 0 || !std::isfinite(logprob))
            continue;
        const double p = std::exp(logprob);
        d.probabilities[option] += p;
        d.recognizedMass += p;
    }
    d.unassignedMass = std::max(0.0, 1.0 - d.recognizedMass);
    if (d.recognizedMass > 0.0)
        for (double &p : d.probabilities)
            p /= d.recognizedMass;
    return d;
}

} // namespace anthology
