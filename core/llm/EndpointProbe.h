#pragma once

#include "llm/EndpointProfile.h"
#include "util/Error.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace anthology {

// What a server answered to the probe: its models, the latency of a one-token request and
// whether it accepts n > 1 and logprobs. `error` is set when the server could not be used.
struct EndpointProbeReport
{
    QString url;
    QStringList models;
    QString model;
    qint64 latencyMs = -1;
    bool nAccepted = false;
    bool logprobsAccepted = false;
    QString nDetail;        // why n > 1 was not accepted (the server's words), else empty
    QString logprobsDetail; // why logprobs were not accepted, else empty
    std::optional<Error> error;

    QJsonObject toJson() const;
};

// `llm ping`'s check, asynchronous so a window can run it from its own thread: lists the
// models, sends a one-token request, then the same with n = 2 and with logprobs. Each request
// has its own timeout; a server that accepts and never answers is reported as "no response
// from HOST:PORT within N s", and an unreachable one is not asked three more times.
class EndpointProbe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EndpointProbe)

public:
    explicit EndpointProbe(QObject *parent = nullptr);
    ~EndpointProbe() override;

    // Starts the check (a running one is abandoned). finished() follows, also on failure.
    void start(const EndpointProfile &profile, int timeoutMs = 30000);
    void cancel();
    bool isRunning() const { return m_step != Step::Idle; }
    const EndpointProbeReport &report() const { return m_report; }

    // The message for a request that got nothing back within `timeoutMs`.
    static QString noResponseMessage(const QUrl &url, int timeoutMs);

signals:
    void stepStarted(const QString &what);
    void finished();

private:
    enum class Step { Idle, Models, Basic, Multi, Logprobs };
    struct Exchange
    {
        int status = 0;
        QByteArray body;
        QString networkError; // empty when an HTTP status came back
        bool unreachable = false;
        qint64 elapsedMs = 0;
    };

    void send(Step step, const QString &path, const QByteArray &body);
    void onReply();
    void onTimeout();
    void advance(const Exchange &e);
    QByteArray probeBody(int n, std::optional<int> logprobs) const;
    QString failure(const Exchange &e) const;
    void finish(std::optional<Error> error = std::nullopt);

    EndpointProfile m_profile;
    EndpointProbeReport m_report;
    int m_timeoutMs = 30000;
    Step m_step = Step::Idle;
    bool m_timedOut = false;
    QElapsedTimer m_clock;
    QNetworkAccessManager *m_manager;
    QTimer *m_timer;
    QPointer<QNetworkReply> m_reply;
};

} // namespace anthology
