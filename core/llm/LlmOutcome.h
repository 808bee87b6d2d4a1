#pragma once

#include "llm/LlmResponse.h"
#include "util/Error.h"

#include <QStringList>

namespace anthology {

// The single final word on one submitted request: a response, or the error that ended it.
struct LlmOutcome
{
    quint64 ticket = 0;
    bool ok = false;
    LlmResponse response;    // when ok
    Error error;             // when !ok; the message never contains an API key
    int attempts = 0;        // HTTP requests sent for this ticket (all parts when n was split)
    int httpStatus = 0;      // of the last attempt, 0 when no HTTP answer arrived
    QString lastError;       // the last transient failure, also when the request finally succeeded
    QStringList adaptations; // e.g. "n=4 served as 4 requests of n=1: the server allows one choice"
    qint64 elapsedMs = 0;
};

} // namespace anthology
