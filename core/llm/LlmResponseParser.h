#pragma once

#include "llm/LlmResponse.h"
#include "util/Result.h"

#include <QByteArray>
#include <QStringList>

namespace anthology {

// An error body as servers send it: OpenAI/llama.cpp {"error": {message, type, code}},
// vLLM {"object": "error", message, type, code}, Ollama {"error": "text"}, FastAPI {"detail": ...}.
struct ApiError
{
    QString message;
    QString type;
    QString code; // numbers are rendered as text
};

// Reads every OpenAI-compatible response shape into value types.
class LlmResponseParser
{
public:
    // /v1/completions or /v1/chat/completions: legacy logprobs {tokens, token_logprobs,
    // top_logprobs, text_offset} and content-array logprobs are both accepted on either.
    static Result<LlmResponse> parseCompletion(const QByteArray &body);
    // The same through QJsonDocument: the reference reading, which parseCompletion falls back to
    // for any text its one-pass reader (JsonTape) leaves to Qt, and which tests compare it with.
    static Result<LlmResponse> parseCompletionWithQt(const QByteArray &body);
    // /v1/models: the model ids in server order.
    static Result<QStringList> parseModels(const QByteArray &body);
    // Any error body; an unrecognised body yields its first 200 characters as the message.
    static ApiError parseError(const QByteArray &body);
};

} // namespace anthology
