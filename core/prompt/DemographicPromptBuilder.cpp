#include "prompt/DemographicPromptBuilder.h"

#include "prompt/McqFormatter.h"
#include "prompt/RoleText.h"

using namespace Qt::StringLiterals;

namespace anthology {

DemographicPromptBuilder::DemographicPromptBuilder(McqFormat format, bool includeAnswerForcing,
                                                   bool usePreferNotToAnswer)
    : m_format(std::move(format)), m_forcing(includeAnswerForcing), m_preferNot(usePreferNotToAnswer)
{
}

const QString &DemographicPromptBuilder::preferNotToAnswer()
{
    static const QString text = u"Prefer not to answer"_s;
    return text;
}

QStringList DemographicPromptBuilder::shownChoices(const DemographicQuestion &trait) const
{
    if (m_preferNot)
        return trait.choices;
    QStringList out;
    for (const QString &c : trait.choices)
        if (c.compare(preferNotToAnswer(), Qt::CaseInsensitive) != 0)
            out << c;
    return out;
}

QString DemographicPromptBuilder::question(const DemographicQuestion &trait) const
{
    const McqFormatter mcq(m_format);
    const QStringList choices = shownChoices(trait);
    QString text = RoleText::ask(m_format.roles, trait.question) + u'\n' + mcq.choiceLines(choices) + u'\n' +
                   (m_forcing ? mcq.forcingLine(int(choices.size())) : QString()) + u'\n';
    if (m_format.roles.respondent.isEmpty())
        return text.trimmed();
    return text + RoleText::answerCue(m_format.roles);
}

QString DemographicPromptBuilder::prompt(const QString &backstory, const DemographicQuestion &trait) const
{
    return backstory.trimmed() + u"\n\n"_s + question(trait);
}

QList<ChatMessage> DemographicPromptBuilder::messages(const QString &systemPrompt, const QString &backstory,
                                                      const DemographicQuestion &trait) const
{
    QList<ChatMessage> out;
    if (!systemPrompt.isEmpty())
        out << ChatMessage::system(systemPrompt);
    out << ChatMessage::user(prompt(backstory, trait));
    return out;
}

QStringList DemographicPromptBuilder::stops() const
{
    return RoleText::newlineAndSurveyorStops(m_format.roles);
}

} // namespace anthology
