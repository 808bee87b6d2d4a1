#include "prompt/BackstoryPromptBuilder.h"

#include "prompt/RoleText.h"

using namespace Qt::StringLiterals;

namespace anthology {

BackstoryPromptBuilder::BackstoryPromptBuilder(RoleFormat roles) : m_roles(std::move(roles)) {}

const QString &BackstoryPromptBuilder::citizenQuestion()
{
    static const QString text = u"Are you a US citizen?"_s;
    return text;
}

const QString &BackstoryPromptBuilder::backstoryQuestion()
{
    static const QString text =
        u"Tell me about yourself. How old are you? Where did you grow up? What events made "
        u"you who you are? What matters to you and what do you enjoy?"_s;
    return text;
}

QString BackstoryPromptBuilder::turn(const QString &question) const
{
    return RoleText::ask(m_roles, question) + u"\n\n"_s + RoleText::answerCue(m_roles);
}

CompletionSpec BackstoryPromptBuilder::preamble() const
{
    CompletionSpec spec;
    spec.prompt = turn(citizenQuestion());
    spec.stops = RoleText::newlineAndSurveyorStops(m_roles);
    spec.maxTokens = 100;
    return spec;
}

bool BackstoryPromptBuilder::preambleAccepted(const QString &answer)
{
    return answer.contains(u"yes"_s, Qt::CaseInsensitive);
}

CompletionSpec BackstoryPromptBuilder::story(const std::optional<QString> &preambleAnswer) const
{
    CompletionSpec spec;
    spec.prompt = preambleAnswer
                      ? turn(citizenQuestion()) + *preambleAnswer + u"\n\n"_s + turn(backstoryQuestion())
                      : turn(backstoryQuestion());
    if (!m_roles.surveyor.isEmpty())
        spec.stops << m_roles.surveyor;
    spec.stops << u"Q:"_s << u"Interview"_s;
    spec.temperature = 1.0;
    spec.topP = 1.0;
    spec.maxTokens = 1500;
    spec.logprobs = 1;
    return spec;
}

QString BackstoryPromptBuilder::fullPassage(const QString &text) const
{
    return turn(backstoryQuestion()) + text;
}

} // namespace anthology
