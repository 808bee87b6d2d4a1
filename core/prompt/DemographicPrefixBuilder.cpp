#include "prompt/DemographicPrefixBuilder.h"

#include "prompt/DemographicPromptBuilder.h"
#include "prompt/McqFormatter.h"
#include "util/SeededRandom.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

QStringList choicesWithoutPreferNot(const DemographicQuestion &trait)
{
    QStringList out;
    for (const QString &c : trait.choices)
        if (c.compare(DemographicPromptBuilder::preferNotToAnswer(), Qt::CaseInsensitive) != 0)
            out << c;
    return out;
}

} // namespace

DemographicPrefixBuilder::DemographicPrefixBuilder(PrefixStyle style) : m_style(style) {}

std::optional<PrefixStyle> DemographicPrefixBuilder::styleNamed(const QString &name)
{
    if (name == u"qa"_s)
        return PrefixStyle::Qa;
    if (name == u"qa_freeform"_s)
        return PrefixStyle::QaFreeform;
    if (name == u"bio"_s)
        return PrefixStyle::Bio;
    if (name == u"portray"_s)
        return PrefixStyle::Portray;
    return std::nullopt;
}

bool DemographicPrefixBuilder::isRefused(const TraitAnswer &answer)
{
    if (answer.choiceIndex < 0 || answer.choiceIndex >= answer.trait.choices.size())
        return true;
    return answer.trait.choices.at(answer.choiceIndex)
               .compare(DemographicPromptBuilder::preferNotToAnswer(), Qt::CaseInsensitive) == 0;
}

QList<TraitAnswer> DemographicPrefixBuilder::shuffled(QList<TraitAnswer> answers, std::uint64_t seed,
                                                      const QString &respondentKey)
{
    SeededRandom random = SeededRandom::derive(seed, QByteArray("traits/" + respondentKey.toUtf8()));
    random.shuffle(answers);
    return answers;
}

QString DemographicPrefixBuilder::topicOf(const DemographicQuestion &trait)
{
    if (!trait.topic.isEmpty())
        return trait.topic;
    static const QRegularExpression categorySuffix(u"_category_\\d+$"_s);
    QString topic = trait.key;
    topic.remove(categorySuffix);
    topic.replace(u'_', u' ');
    if (!topic.isEmpty())
        topic[0] = topic.at(0).toUpper();
    return topic;
}

QString DemographicPrefixBuilder::bioSentence(const DemographicQuestion &trait, const QString &label)
{
    if (trait.bioTemplate.isEmpty())
        return u"My "_s + topicOf(trait).toLower() + u" is "_s + label + u'.';
    QString sentence = trait.bioTemplate;
    sentence.replace(u"{label_lower}"_s, label.toLower());
    sentence.replace(u"{label}"_s, label);
    return sentence;
}

QString DemographicPrefixBuilder::traitText(const TraitAnswer &answer) const
{
    if (isRefused(answer))
        return {};
    const DemographicQuestion &trait = answer.trait;
    const QString &label = trait.choices.at(answer.choiceIndex);
    switch (m_style) {
    case PrefixStyle::Qa: {
        const McqFormatter mcq;
        const QStringList choices = choicesWithoutPreferNot(trait);
        const int shown = int(choices.indexOf(label));
        return u"Question: "_s + trait.question + u'\n' + mcq.choiceLines(choices) + u'\n' +
               mcq.forcingLine(int(choices.size())) + u"\nAnswer: "_s + mcq.marker(shown) + u"\n\n"_s;
    }
    case PrefixStyle::QaFreeform:
        return u"Question: "_s + trait.question + u"\n\nAnswer: "_s + label + u"\n\n"_s;
    case PrefixStyle::Bio:
        return u' ' + bioSentence(trait, label);
    case PrefixStyle::Portray:
        return topicOf(trait) + u": "_s + label + u'\n';
    }
    return {};
}

QString DemographicPrefixBuilder::traitsText(const QList<TraitAnswer> &answers) const
{
    QString out;
    for (const TraitAnswer &a : answers)
        out += traitText(a);
    return out;
}

QString DemographicPrefixBuilder::prefix(const QList<TraitAnswer> &answers) const
{
    switch (m_style) {
    case PrefixStyle::Qa:
        return u"Below you will be asked to complete some demographic questions, and then answer a question.\n\n"_s +
               traitsText(answers);
    case PrefixStyle::QaFreeform:
        return traitsText(answers);
    case PrefixStyle::Bio:
        return u"Below you will be asked to provide a short description of your demographic information, and "
               u"then "
               u"answer some questions.\n\nDescription:"_s +
               traitsText(answers);
    case PrefixStyle::Portray:
        return u"Answer the following questions as if you are a person with the following demographic "
               u"information "
               u"provided below.\n"_s +
               traitsText(answers);
    }
    return {};
}

QString DemographicPrefixBuilder::appendToBackstory(const QString &backstory,
                                                    const QList<TraitAnswer> &answers) const
{
    QString traits = m_style == PrefixStyle::Bio
                         ? u"Question: Please provide a demographic information of yourself.\n\nAnswer:"_s +
                               traitsText(answers)
                         : traitsText(answers);
    return QString(backstory.trimmed() + u"\n\n"_s + traits).trimmed();
}

} // namespace anthology
