#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace anthology {

class ProjectFile;

// One way the client adapted to what the server accepts (n split into several requests,
// logprobs lowered), and how many answered items of a run it served.
struct RunAdaptation
{
    QString text;
    qint64 items = 0;
};

// Keeps the adaptations of an answered item durably: a top-level "adaptations" array beside
// the stored response JSON (the response reader ignores it), so `anthology run status` can
// say how a run was served long after the process that adapted has gone.
class RunAdaptations
{
public:
    // The stored response with `adaptations` beside it; unchanged when there are none.
    static QByteArray attach(const QByteArray &responseJson, const QStringList &adaptations);
    // The distinct adaptations of the run's answered items (not those answered from the
    // cache), in first-seen order; the seeds a split request used are left out, so one
    // adaptation shared by many items counts them all.
    static Result<QList<RunAdaptation>> of(ProjectFile &project, qint64 runId);

    // A response answered from the request cache, with the run that got it from the server
    // beside it ("cached_from": {"run": N}), kept from the first copy on.
    static QByteArray attachCachedFrom(const QByteArray &responseJson, qint64 runId);
    // How many of the run's items each source run answered from the cache, by source run id.
    static Result<QList<QPair<qint64, qint64>>> cacheSources(ProjectFile &project, qint64 runId);
};

} // namespace anthology
