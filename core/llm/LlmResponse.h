#pragma once

#include <QList>
#include <QPair>
#include <QString>

namespace anthology {

// One generated position: the sampled token, its logprob, and the alternatives the server
// reported, most likely first.
struct TokenLogprob
{
    QString token;
    double logprob = 0.0; // NaN when the server sent null
    QList<QPair<QString, double>> top;
};

struct TokenUsage
{
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 totalTokens = 0;

    TokenUsage &operator+=(const TokenUsage &o)
    {
        promptTokens += o.promptTokens;
        completionTokens += o.completionTokens;
        totalTokens += o.totalTokens;
        return *this;
    }
};

struct LlmChoice
{
    int index = 0;
    QString text; // completion text or chat message content
    QString finishReason;
    bool hasLogprobs = false;
    QList<TokenLogprob> logprobs;
};

struct LlmResponse
{
    QString id;
    QString model;
    QList<LlmChoice> choices; // ordered by index
    bool hasUsage = false;
    TokenUsage usage;
};

} // namespace anthology
