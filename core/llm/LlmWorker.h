#pragma once

#include "llm/HttpExchange.h"

#include <QHash>
#include <QObject>

class QNetworkAccessManager;
class QNetworkReply;

namespace anthology {

// Lives on its own thread and owns one QNetworkAccessManager (Qt 6.4 opens at most six
// connections per host per manager, so the client runs many of these side by side).
class LlmWorker : public QObject
{
    Q_OBJECT

public:
    explicit LlmWorker(QObject *parent = nullptr);
    ~LlmWorker() override;

    // Thread-safe entry points: they queue onto the worker's thread.
    void post(HttpExchange exchange);
    void postAbort(quint64 id);

Q_SIGNALS:
    void done(const anthology::HttpExchange &exchange);

private:
    void send(HttpExchange exchange);
    void abort(quint64 id);
    void onFinished(QNetworkReply *reply);

    QNetworkAccessManager *m_manager = nullptr;
    QHash<QNetworkReply *, HttpExchange> m_pending;
    QHash<quint64, QNetworkReply *> m_byId;
};

} // namespace anthology
