#pragma once

// Shared by the pipeline-step tests: drive a stored run to its end with the real engine.

#include "FakeLlmServer.h"

#include "llm/EndpointProfile.h"
#include "project/ProjectFile.h"
#include "run/RunEngine.h"
#include "run/RunItemBuilder.h"
#include "run/RunStore.h"
#include "survey/SurveyTypes.h"

#include <QSignalSpy>

#include <functional>

namespace anthology::test {

inline RunEngineOptions fastStepOptions(int inFlight = 8)
{
    RunEngineOptions o;
    o.inFlight = inFlight;
    o.batchIntervalMs = 5;
    o.progressIntervalMs = 20;
    o.client.retry.maxRetries = 4;
    o.client.retry.baseDelayMs = 5;
    o.client.retry.maxDelayMs = 20;
    o.client.requestTimeoutMs = 5000;
    o.client.workerThreads = 1;
    return o;
}

// Runs the engine on `runId` until it finishes (its status) or `onProgress` cancels it.
inline QString driveStepRun(const QString &path, qint64 runId, RunEngineOptions options = fastStepOptions(),
                            std::function<void(RunEngine &, const RunProgress &)> onProgress = {})
{
    auto p = ProjectFile::open(path);
    if (!p)
        return p.error().message;
    Result<RunInfo> info = RunStore(**p).run(runId);
    if (!info)
        return info.error().message;
    Result<LlmParameters> llm = RunItemBuilder::llmOf(*info);
    if (!llm)
        return llm.error().message;
    Result<EndpointProfile> profile = EndpointProfile::fromParameters(*llm);
    if (!profile)
        return profile.error().message;
    RunEngine engine(std::move(*p), runId, *profile, options);
    QSignalSpy finished(&engine, &RunEngine::finished);
    if (onProgress)
        QObject::connect(&engine, &RunEngine::progressChanged, &engine,
                         [&engine, onProgress](const RunProgress &pr) { onProgress(engine, pr); });
    if (Status st = engine.start(); !st)
        return st.error().message;
    if (finished.isEmpty() && !finished.wait(60000))
        return QStringLiteral("timed out");
    return finished.first().first().toString();
}

inline LlmParameters fakeEndpoint(const FakeLlmServer &server, bool chat)
{
    LlmParameters llm;
    llm.apiProvider = server.baseUrl().toString();
    llm.modelName = QStringLiteral("fake-model");
    llm.chat = chat;
    return llm;
}

} // namespace anthology::test
