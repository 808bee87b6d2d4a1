#pragma once

#include "data/Dataset.h"
#include "export/ExportTypes.h"
#include "util/Result.h"

#include <QString>

namespace anthology {

class ProjectFile;

// A run's final answers as an SPSS data set: one case per persona (sample 0 unless another is
// chosen), a string variable `persona` (the backstory uid), one numeric variable per question
// of the run's questionnaire, in its order, labelled with the question body, with value labels
// 1..K from the choices plus nonCompliantCode "Non-compliant" declared user-missing; a question
// not asked is system-missing. The file label names the run.
//
// Question ids become SPSS names as they are when valid (ATP ids are); otherwise invalid
// characters turn into '_', a leading non-letter gets a 'Q' prefix, reserved words get a
// suffix, and clashes get _2, _3 ... (the original id is kept in the variable label then).
class AnswerSavExporter
{
public:
    static Result<Dataset> dataset(const ProjectFile &project, qint64 runId,
                                   const AnswerExportOptions &options = {});
    // Written through SavWriter (ReadStat); returns the number of cases.
    static Result<qint64> write(const ProjectFile &project, qint64 runId, const QString &path,
                                const AnswerExportOptions &options = {});

    static QString spssName(const QString &id);
};

} // namespace anthology
