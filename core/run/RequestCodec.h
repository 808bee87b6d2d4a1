#pragma once

#include "util/Result.h"

#include <QByteArray>

namespace anthology {

struct LlmRequest;
struct LlmResponse;

// The stored forms of requests and responses. A request's canonical JSON has sorted keys
// and no whitespace and includes the item's sample index (which the wire body does not
// carry), so two requests share a cache key exactly when they would ask for the same sample.
class RequestCodec
{
public:
    static QByteArray canonicalRequest(const LlmRequest &request, const QString &modelId, int sampleIndex);
    static Result<LlmRequest> requestFromJson(const QByteArray &json);
    // The same through QJsonDocument: the reference reading, which requestFromJson falls back to
    // for any text its one-pass reader (JsonTape) leaves to Qt, and which tests compare it with.
    static Result<LlmRequest> requestFromJsonWithQt(const QByteArray &json);
    // Lower-case hex SHA-256 of the canonical JSON.
    static QByteArray cacheKey(const QByteArray &canonicalJson);
    // The key of the request at one endpoint and model (EndpointProfile::cacheScope): the same
    // request to another server or model is another key.
    static QByteArray cacheKey(const QByteArray &canonicalJson, const QByteArray &scope);

    static QByteArray responseToJson(const LlmResponse &response);
    static Result<LlmResponse> responseFromJson(const QByteArray &json);
};

} // namespace anthology
