#pragma once

#include "util/Result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace anthology {

class ProjectFile;

// What `run show`, `run status` and the Runs tab say about where a run's requests went: the
// endpoint its engine recorded in the run's config (base URL, the model id a short name became)
// and the runs whose cached answers it reused.
class RunEndpoint
{
public:
    // The recorded endpoint of a run's config JSON; empty when none was recorded yet.
    static QJsonObject of(const QString &configJson);
    // "http://host/v1, model meta-llama/Meta-Llama-3-70B (model_name llama-3-70b, provider together)"
    static QString describe(const QJsonObject &endpoint);
    // One line per run whose cached answers this run reused: how many, which run, its endpoint.
    static Result<QStringList> cachedFrom(ProjectFile &project, qint64 runId);
};

} // namespace anthology
