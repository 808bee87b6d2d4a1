#pragma once

#include "util/Result.h"

#include <QList>
#include <QString>

namespace anthology {

class ProjectFile;

// Why an item failed, read from the error text the engine stored with it.
enum class FailureCause {
    HttpStatus, // the server answered with an HTTP error status (grouped per status)
    Network,    // could not connect, resolve, or the connection broke
    Timeout,    // no complete answer in time
    Parse,      // an answer came but could not be read
    NotAsked,   // an earlier question of its series failed, so it was never sent
    Other,
};

struct FailureGroup
{
    FailureCause cause = FailureCause::Other;
    int httpStatus = 0; // for HttpStatus
    qint64 count = 0;
    QString latestMessage; // the error of the newest failed item of this group
    qint64 latestItem = 0;

    // "HTTP 401", "network error", "timeout", "unreadable answer", ... (also the JSON "cause").
    QString label() const;
};

// The failed items of a run grouped by cause, largest group first. One place decides what an
// error text means, so `run status`, `run show` and the workbench's run monitor agree.
class RunFailures
{
public:
    // The cause of one stored error text; httpStatus is set for FailureCause::HttpStatus.
    static FailureCause classify(const QString &error, int *httpStatus = nullptr);
    static Result<QList<FailureGroup>> of(const ProjectFile &project, qint64 runId);
    // "12 HTTP 429 (latest: ...); 3 timeout (latest: ...)": one line per group, for text output.
    static QStringList describe(const QList<FailureGroup> &groups);
};

} // namespace anthology
