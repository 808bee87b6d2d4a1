#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace anthology {

struct ChatMessage
{
    QString role; // system, user, assistant
    QString content;
};

// One OpenAI-compatible generation request, independent of the endpoint that serves it.
struct LlmRequest
{
    bool chat = false;
    QString prompt;              // completions
    QList<ChatMessage> messages; // chat completions
    QString model;               // empty: the endpoint profile's model
    int maxTokens = 16;
    double temperature = 1.0;
    double topP = 1.0;
    int n = 1;
    QStringList stop;
    // Alternatives wanted per generated position. Completions send `logprobs: k`; chat sends
    // `logprobs: true, top_logprobs: k` (k = 0 asks only for the sampled token's logprob).
    std::optional<int> logprobs;
    std::optional<qint64> seed;

    // The JSON body for /v1/completions or /v1/chat/completions.
    QByteArray toJson(const QString &modelId) const;
    // A rough token count for tokens-per-minute budgeting: prompt chars / 4 plus n * max_tokens.
    qint64 estimatedTokens() const;
};

} // namespace anthology
