#include "prompt/LlmParserPromptBuilder.h"

#include "prompt/DemographicPromptBuilder.h"
#include "prompt/McqFormatter.h"
#include "prompt/RoleText.h"

using namespace Qt::StringLiterals;

namespace anthology {

LlmParserPromptBuilder::LlmParserPromptBuilder(RoleFormat roles) : m_roles(std::move(roles)) {}

const QString &LlmParserPromptBuilder::systemPrompt()
{
    static const QString text = u"Please select the best answer from the following choices:"_s;
    return text;
}

const QString &LlmParserPromptBuilder::notMentioned()
{
    static const QString text = u"Was not mentioned"_s;
    return text;
}

bool LlmParserPromptBuilder::seedUsesParserFor(const QString &traitKey)
{
    return traitKey != u"race"_s && traitKey != u"gender"_s && traitKey != u"religion"_s;
}

QStringList LlmParserPromptBuilder::choices(const DemographicQuestion &trait) const
{
    QStringList out = trait.choices;
    if (!out.isEmpty() &&
        out.constLast().compare(DemographicPromptBuilder::preferNotToAnswer(), Qt::CaseInsensitive) == 0)
        out.last() = notMentioned();
    return out;
}

QString LlmParserPromptBuilder::essay(const QString &backstory) const
{
    QString text = backstory;
    if (!m_roles.surveyor.isEmpty())
        text.replace(m_roles.surveyor, u"Essay"_s);
    return text;
}

QString LlmParserPromptBuilder::question(const DemographicQuestion &trait) const
{
    const McqFormatter mcq;
    const QStringList shown = choices(trait);
    const QString &body = trait.llmParserQuestion.isEmpty() ? trait.question : trait.llmParserQuestion;
    return RoleText::ask(m_roles, body) + u'\n' + mcq.choiceLines(shown) +
           u"\nFirst, provide evidence that is mentioned in the text. If the answer was not mentioned, "
           u"select 'Was "
           u"not mentioned'. Next, answer with "_s +
           mcq.markerEnumeration(int(shown.size())) + u".\n"_s + RoleText::answerCue(m_roles);
}

QList<ChatMessage> LlmParserPromptBuilder::messages(const QString &backstory,
                                                    const DemographicQuestion &trait) const
{
    return {ChatMessage::system(systemPrompt()),
            ChatMessage::user(essay(backstory).trimmed() + u"\n\n"_s + question(trait))};
}

bool LlmParserPromptBuilder::isMentioned(const DemographicQuestion &trait, int choiceIndex) const
{
    const QStringList shown = choices(trait);
    return choiceIndex >= 0 && choiceIndex < shown.size() && shown.at(choiceIndex) != notMentioned();
}

} // namespace anthology
