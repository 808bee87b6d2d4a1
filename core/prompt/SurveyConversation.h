#pragma once

#include "prompt/ChatMessage.h"

#include <QList>
#include <QString>
#include <QStringView>

namespace anthology {

// One persona's pass through a questionnaire (METHOD.md section 4).
// In series:   p = full_passage.strip(); per question p += "\n\n" + question, send p,
//              then p = (p + raw answer).strip().
// Independent: full_passage.strip() + "\n\n" + question every time.
// Chat mode keeps the same turns as messages: an optional system message, the first user
// message carries the passage (when non-empty) and the question, later questions are
// user turns and answers (stripped) assistant turns.
// The prompt grows in place: nextPrompt() returns a reference into the conversation's own
// buffer, valid until the next call, so 20 questions cost one growing string, not 20 copies.
class SurveyConversation
{
public:
    enum class Mode { Completion, Chat };

    explicit SurveyConversation(bool inSeries, Mode mode = Mode::Completion, QString systemPrompt = {});

    void start(const QString &fullPassage);
    // Completion mode: the text to send for this question.
    const QString &nextPrompt(const QString &question);
    // Chat mode: the messages to send for this question.
    const QList<ChatMessage> &nextMessages(const QString &question);
    // The raw answer text to the last question (ignored when not in series).
    void recordAnswer(QStringView raw);

    const QString &text() const { return m_text; }
    const QList<ChatMessage> &messages() const { return m_messages; }

private:
    bool m_inSeries;
    Mode m_mode;
    QString m_system;
    QString m_passage; // full_passage.strip()
    QString m_text;
    QList<ChatMessage> m_messages;
};

} // namespace anthology
