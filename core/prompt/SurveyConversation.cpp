#include "prompt/SurveyConversation.h"

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

// Strips in place without copying the (long) kept part when only the tail changes.
void stripInPlace(QString &s)
{
    qsizetype end = s.size();
    while (end > 0 && s.at(end - 1).isSpace())
        --end;
    s.truncate(end);
    qsizetype begin = 0;
    while (begin < s.size() && s.at(begin).isSpace())
        ++begin;
    if (begin > 0)
        s.remove(0, begin);
}

} // namespace

SurveyConversation::SurveyConversation(bool inSeries, Mode mode, QString systemPrompt)
    : m_inSeries(inSeries), m_mode(mode), m_system(std::move(systemPrompt))
{
}

void SurveyConversation::start(const QString &fullPassage)
{
    m_passage = fullPassage.trimmed();
    m_text = m_passage;
    m_messages.clear();
    if (!m_system.isEmpty())
        m_messages << ChatMessage::system(m_system);
}

const QString &SurveyConversation::nextPrompt(const QString &question)
{
    if (!m_inSeries) {
        m_text.truncate(0);
        m_text.reserve(m_passage.size() + 2 + question.size());
        m_text += m_passage;
    }
    m_text += u"\n\n"_s;
    m_text += question;
    return m_text;
}

const QList<ChatMessage> &SurveyConversation::nextMessages(const QString &question)
{
    const bool first = !m_inSeries || m_messages.isEmpty() || m_messages.constLast().role == u"system"_s;
    if (!m_inSeries) {
        m_messages.clear();
        if (!m_system.isEmpty())
            m_messages << ChatMessage::system(m_system);
    }
    if (first && !m_passage.isEmpty())
        m_messages << ChatMessage::user(m_passage + u"\n\n"_s + question);
    else
        m_messages << ChatMessage::user(question);
    return m_messages;
}

void SurveyConversation::recordAnswer(QStringView raw)
{
    if (!m_inSeries)
        return;
    if (m_mode == Mode::Chat) {
        m_messages << ChatMessage::assistant(raw.trimmed().toString());
        return;
    }
    m_text += raw;
    stripInPlace(m_text);
}

} // namespace anthology
