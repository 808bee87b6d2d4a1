#include "prompt/OptionOrder.h"

#include "survey/SurveyTypes.h"
#include "util/SeededRandom.h"

using namespace Qt::StringLiterals;

namespace anthology {

OptionOrder::OptionOrder(int k)
{
    m_shownToOriginal.reserve(k);
    for (int i = 0; i < k; ++i)
        m_shownToOriginal.append(i);
}

Result<OptionOrder> OptionOrder::fromPattern(const QList<int> &pattern)
{
    QList<bool> seen(pattern.size(), false);
    for (int v : pattern) {
        if (v < 0 || v >= pattern.size() || seen[v])
            return Error::user(u"expected a randomization pattern that is a permutation of 0..%1, got [%2]"_s
                                   .arg(pattern.size() - 1)
                                   .arg([&] {
                                       QStringList parts;
                                       for (int p : pattern)
                                           parts << QString::number(p);
                                       return parts.join(u", ");
                                   }()));
        seen[v] = true;
    }
    OptionOrder order;
    order.m_shownToOriginal = pattern;
    return order;
}

Result<OptionOrder> OptionOrder::draw(const Question &question, bool randomize, std::uint64_t seed,
                                      const QString &personaKey)
{
    const int k = int(question.choices.size());
    if (!randomize || !question.allowRandomization || question.randomizationPatterns.isEmpty())
        return OptionOrder(k);
    const QByteArray key = "options/" + personaKey.toUtf8() + '/' + question.id.toUtf8();
    SeededRandom random = SeededRandom::derive(seed, key);
    const auto &patterns = question.randomizationPatterns;
    const QList<int> &pattern = patterns.at(qsizetype(random.below(std::uint64_t(patterns.size()))));
    if (pattern.size() != k)
        return Error::user(
                   u"expected randomization patterns of %1 indices (one per choice), got %2"_s.arg(k).arg(
                       pattern.size()))
            .withKey(question.id + u".randomization_pattern"_s);
    auto order = fromPattern(pattern);
    if (!order)
        return Error(order.error()).withKey(question.id + u".randomization_pattern"_s);
    return order;
}

bool OptionOrder::isIdentity() const
{
    for (int i = 0; i < m_shownToOriginal.size(); ++i)
        if (m_shownToOriginal.at(i) != i)
            return false;
    return true;
}

int OptionOrder::originalIndex(int shown) const
{
    return shown >= 0 && shown < m_shownToOriginal.size() ? m_shownToOriginal.at(shown) : -1;
}

int OptionOrder::shownIndex(int original) const
{
    return int(m_shownToOriginal.indexOf(original));
}

QStringList OptionOrder::apply(const QStringList &originalChoices) const
{
    QStringList shown;
    shown.reserve(m_shownToOriginal.size());
    for (int original : m_shownToOriginal)
        shown.append(originalChoices.value(original));
    return shown;
}

QList<double> OptionOrder::toOriginal(const QList<double> &shownValues) const
{
    QList<double> original(m_shownToOriginal.size(), 0.0);
    for (int i = 0; i < m_shownToOriginal.size() && i < shownValues.size(); ++i)
        original[m_shownToOriginal.at(i)] = shownValues.at(i);
    return original;
}

} // namespace anthology
