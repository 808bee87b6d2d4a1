#include "export/RunQuestionnaire.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "run/RunStore.h"
#include "run/SurveyPlan.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace anthology {

Result<RunQuestionnaire> RunQuestionnaire::load(const ProjectFile &project, qint64 runId)
{
    RunQuestionnaire out;
    // RunStore only reads here; it takes a non-const project for its writes.
    Result<RunInfo> info = RunStore(const_cast<ProjectFile &>(project)).run(runId);
    if (!info)
        return info.error();
    out.run = *info;
    const QJsonObject config = QJsonDocument::fromJson(info->config.toUtf8()).object();
    if (Result<SurveyPlan> plan = SurveyPlan::fromJson(config);
        plan && !plan->questionnaire.questions.isEmpty()) {
        out.questionnaire = plan->questionnaire;
        out.fromPlan = true;
        return out;
    }
    Statement s =
        project.prepare("SELECT question FROM items WHERE run_id = ?1 GROUP BY question ORDER BY min(id)");
    if (!s.ok())
        return s.error();
    s.bind(1, runId);
    Status read = s.forEachRow([&](const Statement &row) {
        Question q;
        q.id = row.columnText(0);
        out.questionnaire.questions.append(q);
    });
    if (!read)
        return read.error();
    return out;
}

} // namespace anthology
