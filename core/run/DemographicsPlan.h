#pragma once

#include "survey/SurveyTypes.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QStringList>

namespace anthology {

// A "demographics" run (METHOD.md section 6: every trait asked of every persona, n samples
// in one request) or its "demographics_parser" pass (a chat model reads the backstory and
// picks the stated answer), stored with the run as JSON. One item per (persona, trait) with
// its request stored at plan time.
struct DemographicsPlan
{
    static QString samplingKind() { return QStringLiteral("demographics"); }
    static QString parserKind() { return QStringLiteral("demographics_parser"); }

    QString name;
    bool parser = false;  // the LLM-as-parser pass
    QStringList personas; // backstory uids, in plan order
    DemographicQuestionnaire questionnaire;
    McqFormat format;
    bool includeAnswerForcing = true;
    bool usePreferNotToAnswer = true;
    int samples = 40;          // num_sample_response: n of each sampling request
    bool logprobRoute = false; // read the option distribution from logprobs (source "logprobs")
    LlmParameters llm;
    int seed = 42;
    int numProcesses = 0; // num_processes: requests in flight when driven (0: not configured)
    bool freshSamples = false;

    QString kind() const { return parser ? parserKind() : samplingKind(); }
    const DemographicQuestion *trait(const QString &key) const;

    QJsonObject toJson() const;
    static Result<DemographicsPlan> fromJson(const QJsonObject &json);
};

} // namespace anthology
