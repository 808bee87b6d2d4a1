#include "prompt/AtpPromptBuilder.h"

#include "prompt/McqFormatter.h"
#include "util/SeededRandom.h"

using namespace Qt::StringLiterals;

namespace anthology {

AtpPromptBuilder::AtpPromptBuilder(AtpPromptOptions options) : m_options(std::move(options)) {}

QString AtpPromptBuilder::consistencyFor(int askedIndex) const
{
    if (m_options.noConditioning && (!m_options.inSeries || askedIndex == 0))
        return {};
    return m_options.consistencyPrompt;
}

QString AtpPromptBuilder::question(const QString &body, const QStringList &shownChoices, int askedIndex) const
{
    const McqFormatter mcq; // "(A) text", forcing "(A), (B), or (C)."
    const QString text =
        consistencyFor(askedIndex) + u"\nQuestion: "_s + body + u'\n' + mcq.choiceLines(shownChoices) +
        u'\n' + (m_options.includeAnswerForcing ? mcq.forcingLine(int(shownChoices.size())) : QString()) +
        u"\nAnswer:"_s;
    return text.trimmed();
}

QString AtpPromptBuilder::chatQuestion(const QString &body, const QStringList &shownChoices,
                                       int askedIndex) const
{
    QString text = question(body, shownChoices, askedIndex);
    text.chop(7); // "Answer:" always ends question()
    return text.trimmed();
}

QStringList AtpPromptBuilder::stops()
{
    return {u"\n"_s, u"Question:"_s};
}

QList<int> AtpPromptBuilder::questionOrder(int count, bool inSeries, bool randomize, std::uint64_t seed,
                                           const QString &personaKey)
{
    QList<int> order;
    order.reserve(count);
    for (int i = 0; i < count; ++i)
        order << i;
    if (inSeries && randomize) {
        SeededRandom random = SeededRandom::derive(seed, QByteArray("questions/" + personaKey.toUtf8()));
        random.shuffle(order);
    }
    return order;
}

} // namespace anthology
