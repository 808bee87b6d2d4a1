#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringView>

#include <memory>

namespace anthology {

class SurveyConversation;

// What one item sends: a completion prompt, or chat messages as (role, content) pairs.
// (Kept apart from both ChatMessage types so prompt and LLM headers never meet in one file.)
struct PromptText
{
    QString prompt;
    QList<QPair<QString, QString>> messages;
};

// One persona's pass through the questionnaire for one sample: wraps SurveyConversation, so
// in series the prompt of question i+1 contains the raw answer to question i byte for byte.
class SurveyChain
{
public:
    SurveyChain(bool inSeries, bool chat, const QString &systemPrompt, const QString &passage);
    ~SurveyChain();
    SurveyChain(SurveyChain &&) noexcept;
    SurveyChain &operator=(SurveyChain &&) noexcept;

    // Appends the question and returns what to send for it.
    PromptText next(const QString &questionText);
    // The final raw answer to the last question (ignored when not in series).
    void recordAnswer(QStringView raw);

private:
    bool m_chat;
    std::unique_ptr<SurveyConversation> m_conversation;
};

} // namespace anthology
