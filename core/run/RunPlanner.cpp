#include "run/RunPlanner.h"

#include "project/ProjectFile.h"
#include "project/Transaction.h"
#include "prompt/OptionOrder.h"
#include "run/PersonaPassage.h"
#include "run/PlanItemWriter.h"
#include "run/RunStore.h"
#include "run/SurveyItemBuilder.h"
#include "run/SurveyPlan.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace anthology {

Result<qint64> RunPlanner::plan(ProjectFile &project, const SurveyPlan &plan)
{
    if (project.mode() != ProjectFile::Mode::ReadWrite)
        return Error::user(u"the project is open read-only"_s).withFile(project.path());
    if (plan.questionnaire.questions.isEmpty())
        return Error::user(u"the questionnaire has no questions"_s).withKey(u"questions"_s);
    if (plan.samples < 1)
        return Error::user(u"samples must be at least 1, got %1"_s.arg(plan.samples)).withKey(u"samples"_s);
    for (const Question &q : plan.questionnaire.questions) {
        if (q.choices.size() < 2)
            return Error::user(u"question '%1' needs at least two choices"_s.arg(q.id)).withKey(q.id);
        // Every option order a persona can draw, checked once here rather than per persona.
        if (plan.options.randomizeOptionOrder && q.allowRandomization)
            for (const QList<int> &pattern : q.randomizationPatterns) {
                Question one = q;
                one.randomizationPatterns = {pattern};
                if (Result<OptionOrder> order = OptionOrder::draw(one, true, 0, QString()); !order)
                    return order.error();
            }
    }

    Result<QList<QPair<QString, int>>> personas = PersonaPassage::personas(project, plan);
    if (!personas)
        return personas.error();

    const SurveyItemBuilder builder(plan);
    const bool inSeries = plan.options.inSeries;

    Transaction tx(project.handle());
    if (!tx.status())
        return tx.status().error();
    RunStore runs(project);
    RunInfo info;
    info.name = plan.name.isEmpty() ? u"survey"_s : plan.name;
    info.kind = u"survey"_s;
    info.config = QString::fromUtf8(QJsonDocument(plan.toJson()).toJson(QJsonDocument::Indented));
    info.programVersion = QStringLiteral(ANTHOLOGY_VERSION);
    info.seed = plan.options.seed;
    Result<qint64> runId = runs.createRun(info);
    if (!runId)
        return runId.error();

    PlanItemWriter writer(project, *runId);
    PlannedItem item;
    for (const auto &[uid, revision] : std::as_const(*personas)) {
        const QList<int> order = builder.questionOrder(uid);
        item.persona = uid;
        item.personaRevision = revision;
        for (int s = 0; s < plan.samples; ++s) {
            std::optional<qint64> previous;
            for (int pos = 0; pos < order.size(); ++pos) {
                item.question = plan.questionnaire.questions[order[pos]].id;
                item.position = pos;
                item.sample = s;
                item.baseSample = s;
                item.reask = 0;
                item.dependsOn = inSeries ? previous : std::nullopt;
                Result<qint64> id = writer.add(item);
                if (!id)
                    return id.error();
                previous = *id;
            }
        }
    }
    if (Status st = writer.finish(); !st)
        return st.error();
    if (Status st = tx.commit(); !st)
        return st.error();
    return *runId;
}

} // namespace anthology
