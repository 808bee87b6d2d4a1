#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <optional>

namespace anthology {

struct LlmParameters;

// Another server of the same model used in the same run, with its own limits (unset: the
// primary endpoint's).
struct EndpointMirror
{
    QUrl baseUrl;
    std::optional<int> maxInFlight;
    std::optional<int> requestsPerMinute;
    std::optional<int> tokensPerMinute;
};

// Where and how to reach one OpenAI-compatible server, and what it accepts.
struct EndpointProfile
{
    QString provider;  // openai, together, localhost, ollama, llamacpp, or "url"
    QUrl baseUrl;      // ends in /v1
    QString model;     // empty: discovered from /v1/models before the first request
    QString apiKeyEnv; // name of the environment variable holding the key; empty: no key
    bool chat = false;
    QString systemPrompt;
    std::optional<double> pricePer1kPromptTokens;
    std::optional<double> pricePer1kCompletionTokens;
    std::optional<int> requestsPerMinute;
    std::optional<int> tokensPerMinute;
    std::optional<int> maxN;
    std::optional<int> maxLogprobs;
    bool allowInsecure = false;
    std::optional<int> maxInFlight; // this server's own cap; unset: the client's in-flight limit
    QList<EndpointMirror> mirrors;  // more servers of the model; requests are spread over all

    // This endpoint first, then each mirror as a profile of its own (same model, key, options).
    QList<EndpointProfile> endpoints() const;

    // Resolves api_provider / base_url and the provider's defaults (key variable, limits).
    static Result<EndpointProfile> fromParameters(const LlmParameters &params);
    // A profile for an explicit base URL, e.g. a loopback test server.
    static EndpointProfile forUrl(const QUrl &baseUrl, const QString &model = {});

    QUrl endpointUrl(const QString &path) const; // path like "completions", "chat/completions", "models"
    QByteArray apiKey() const;                   // from the environment; empty when unset
    bool isLoopback() const;
    // Refuses (before anything is sent) to put a key on plain http to a non-loopback host.
    Status checkKeyTransport() const;
    // The URL without user info, query or fragment: safe for messages.
    QString displayUrl() const;
    // Cost in the profile's currency of the given usage, 0 when no prices are set.
    double cost(qint64 promptTokens, qint64 completionTokens) const;
};

} // namespace anthology
