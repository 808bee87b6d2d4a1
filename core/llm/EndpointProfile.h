#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QJsonObject>
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
    QString provider;       // a name of llm_providers.yaml (openai, together, localhost, ...) or "url"
    QUrl baseUrl;           // ends in /v1
    QString model;          // the model id sent; empty: discovered from /v1/models before the first request
    QString requestedModel; // model_name as the config wrote it (a short name like llama-3-70b)
    QString apiKeyEnv;      // name of the environment variable holding the key; empty: no key
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
    // What a run records of the endpoint it used (no key, only its variable's name): provider,
    // base URL(s), the model as written and the model id it became (`modelId` when discovered).
    QJsonObject describe(const QString &modelId = {}) const;
    // Which answers a request cache may share: the same model at the same servers. Mirrors
    // listed in one profile share it; another server, or another model, does not.
    QByteArray cacheScope(const QString &modelId = {}) const;
};

} // namespace anthology
