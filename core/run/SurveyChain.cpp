#include "run/SurveyChain.h"

#include "prompt/SurveyConversation.h"

namespace anthology {

SurveyChain::SurveyChain(bool inSeries, bool chat, const QString &systemPrompt, const QString &passage)
    : m_chat(chat),
      m_conversation(std::make_unique<SurveyConversation>(
          inSeries, chat ? SurveyConversation::Mode::Chat : SurveyConversation::Mode::Completion,
          systemPrompt))
{
    m_conversation->start(passage);
}

SurveyChain::~SurveyChain() = default;
SurveyChain::SurveyChain(SurveyChain &&) noexcept = default;
SurveyChain &SurveyChain::operator=(SurveyChain &&) noexcept = default;

PromptText SurveyChain::next(const QString &questionText)
{
    PromptText out;
    if (m_chat) {
        for (const ChatMessage &m : m_conversation->nextMessages(questionText))
            out.messages.append({m.role, m.content});
    } else {
        out.prompt = m_conversation->nextPrompt(questionText);
    }
    return out;
}

void SurveyChain::recordAnswer(QStringView raw)
{
    m_conversation->recordAnswer(raw);
}

} // namespace anthology
