#pragma once

#include "llm/RateLimitHeaders.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>
#include <QUrl>

namespace anthology {

// One HTTP attempt as a worker thread performs it, and what came back.
struct HttpExchange
{
    quint64 id = 0;
    QUrl url;
    QByteArray body; // empty: GET
    QByteArray apiKey;
    int timeoutMs = 120000;      // the whole attempt
    int stallTimeoutMs = 120000; // no byte from the server for this long (connecting included)
    // Plain http through our own keep-alive client (HttpConnectionPool) rather than
    // QNetworkAccessManager; https always goes through Qt (TLS).
    bool lean = false;
    int endpoint = -1; // the client's index of the endpoint it goes to (ExchangeRelay)

    // filled by the worker
    int httpStatus = 0;
    QByteArray responseBody;
    QByteArray contentType;
    QByteArray retryAfter;
    RateLimitHeaders rateLimits;
    bool transportFailed = false; // connection refused/reset/closed, truncated body, TLS, timeout
    bool timedOut = false;
    // The failure came before a connection stood (refused, unresolved, unroutable, connect
    // timed out): the server was not reached at all.
    bool connectFailed = false;
    QString transportError;
    // The request the worker sent in this exchange's slot when it ended (ExchangeRelay); 0: none.
    quint64 successor = 0;
};

} // namespace anthology

Q_DECLARE_METATYPE(anthology::HttpExchange)
