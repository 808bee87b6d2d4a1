#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <optional>

namespace anthology {

// A run as stored in the project: its resolved config is kept verbatim so the run can be
// resumed, audited and replayed.
struct RunInfo
{
    qint64 id = 0;
    QString name;
    QString kind = QStringLiteral("survey");
    QString config; // resolved config (JSON text)
    QString programVersion;
    qint64 seed = 0;
    QDateTime created;
    QString status = QStringLiteral("planned"); // planned, running, cancelled, completed, incomplete
};

// Item counts of a run, as committed on disk.
struct RunCounts
{
    qint64 total = 0;
    qint64 pending = 0;
    qint64 done = 0;
    qint64 failed = 0;
    qint64 compliant = 0;
    qint64 fromCache = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    double cost = 0.0;
};

// Live progress of a running engine (committed figures plus what is on the wire).
struct RunProgress
{
    qint64 runId = 0;
    qint64 total = 0;
    qint64 done = 0;   // committed done, this session and before
    qint64 failed = 0; // committed failed
    int inFlight = 0;  // on the wire, or answered and waiting to be committed
    int waiting = 0;   // submitted, not yet sent: held by a pause or ahead of a free slot
    qint64 cacheHits = 0;
    double requestsPerSecond = 0.0;
    double tokensPerSecond = 0.0;
    double etaSeconds = -1.0; // -1: unknown
    double cost = 0.0;        // so far, this session and before
    qint64 tokens = 0;        // prompt + completion tokens so far, this session and before
    bool paused = false;
};

// The outcome of one item, on its way to disk.
struct ItemResult
{
    qint64 itemId = 0;
    bool ok = false;
    QByteArray request;  // canonical request JSON
    QByteArray response; // response JSON (RequestCodec)
    QString rawAnswer;
    QString parsedAnswer; // the chosen option's label, empty when non-compliant
    int option = -1;      // original option index, -1 when non-compliant
    bool compliant = false;
    QByteArray distribution; // logprob distribution JSON, empty when none
    qint64 latencyMs = 0;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    double cost = 0.0;
    int attempts = 0;
    QString error;
    bool fromCache = false;
    QByteArray cacheKey; // hex SHA-256 of the canonical request; empty: do not cache
    // Compliance forcing: when set, the writer adds a pending re-ask row in the same
    // transaction and reports its id back in reaskId.
    bool wantReask = false;
    qint64 reaskId = 0;
};

// One stored item, as the engine reads it back.
struct StoredItem
{
    qint64 id = 0;
    QString persona;
    int personaRevision = 1;
    QString question;
    int position = 0;
    int sample = 0;
    int baseSample = 0;
    int reask = 0;
    QString state;
    QByteArray request;
    QString rawAnswer;
    bool compliant = false;
    std::optional<int> option;
    QString error;
};

} // namespace anthology
