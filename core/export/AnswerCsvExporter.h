#pragma once

#include "export/ExportTypes.h"
#include "util/Result.h"

#include <QString>

namespace anthology {

class ProjectFile;

// A run's answers as CSV (see CsvWriter for the quoting), streamed from the project.
//
// Long form: one row per item, every sample and re-ask: run, item, persona, persona_revision,
// question, position, sample, base_sample, reask, state, raw_answer, option (1..K, empty when
// non-compliant or not answered), label, compliant (1/0, empty while pending), attempts,
// latency_ms, prompt_tokens, completion_tokens, cost, error, from_cache; when any item has a
// logprob distribution also logprobs (its JSON) and p_1..p_K (the option probabilities, K the
// largest of the questionnaire).
//
// Wide form: one row per persona and sample (persona, sample, then one column per question of
// the run's questionnaire holding the final option code 1..K, 99 when non-compliant, empty
// when not asked).
//
// Both go through a temporary file renamed on success: a failed export leaves no partial file.
// They return the number of data rows written.
class AnswerCsvExporter
{
public:
    static Result<qint64> writeLong(const ProjectFile &project, qint64 runId, const QString &path);
    static Result<qint64> writeWide(const ProjectFile &project, qint64 runId, const QString &path,
                                    const AnswerExportOptions &options = {});
};

} // namespace anthology
