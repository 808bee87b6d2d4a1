#include "pipeline/DemographicsStep.h"

#include "backstories/BackstoryStore.h"
#include "config/SurveyConfig.h"
#include "pipeline/EndpointCheck.h"
#include "pipeline/StepRunMatch.h"
#include "project/ProjectFile.h"
#include "project/Transaction.h"
#include "run/DemographicsPlan.h"
#include "run/DemographicsPrompts.h"
#include "run/PlanItemWriter.h"
#include "run/RunStore.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace anthology {

Result<DemographicsPlan> DemographicsStep::planFor(ProjectFile &project, const SurveyConfig &config,
                                                   const DemographicsOptions &options)
{
    if (!config.hasDemographics || config.demographics.traits.isEmpty())
        return Error::user(u"the config has no demographic questionnaire (questionnaire/demographics)"_s)
            .withKey(u"questionnaire"_s);
    if (!config.hasLlm)
        return Error::user(u"the config has no llm_parameters: which model should answer?"_s)
            .withKey(u"llm_parameters"_s);
    if (Status st = checkEndpoint(config.llm, u"llm_parameters"_s); !st)
        return st.error();
    if (options.logprobRoute && !(config.llm.chat ? config.llm.topLogprobs : config.llm.logprobs))
        return Error::user(u"the logprob route needs %1 in llm_parameters"_s.arg(
                               config.llm.chat ? u"top_logprobs"_s : u"logprobs"_s))
            .withKey(u"llm_parameters"_s);
    for (const DemographicQuestion &t : config.demographics.traits)
        if (t.choices.size() < 2)
            return Error::user(u"trait '%1' needs at least two choices"_s.arg(t.key)).withKey(t.key);

    DemographicsPlan plan = promptPlan(config);
    plan.name = options.name.isEmpty() ? config.name : options.name;
    const BackstoryStore store(project);
    if (!options.personas.isEmpty()) {
        for (const QString &uid : options.personas) {
            if (!store.get(uid))
                return Error::user(u"backstory '%1' is not in the project"_s.arg(uid));
            plan.personas.append(uid);
        }
    } else {
        int count = store.count();
        if (config.hasBackstories && config.backstories.numBackstories >= 0)
            count = qMin(count, config.backstories.numBackstories);
        for (const BackstorySummary &s : store.page(0, count))
            plan.personas.append(s.uid);
    }
    if (plan.personas.isEmpty())
        return Error::user(u"the project has no backstories to survey (generate or import some first)"_s);
    plan.logprobRoute = options.logprobRoute;
    plan.freshSamples = options.freshSamples;
    return plan;
}

DemographicsPlan DemographicsStep::promptPlan(const SurveyConfig &config)
{
    DemographicsPlan plan;
    plan.questionnaire = config.demographics;
    plan.format = config.format;
    plan.includeAnswerForcing = config.run.includeAnswerForcing;
    plan.usePreferNotToAnswer = config.run.usePreferNotToAnswer;
    plan.samples = config.run.numSampleResponse;
    plan.llm = config.llm;
    plan.seed = config.run.seed;
    plan.numProcesses = config.run.numProcesses;
    return plan;
}

Result<std::optional<DemographicsPlan>> DemographicsStep::parserPlanFor(const DemographicsPlan &sampling,
                                                                        const SurveyConfig &config,
                                                                        const DemographicsOptions &options)
{
    if (!config.run.useLlmAsParser)
        return std::optional<DemographicsPlan>();
    if (!config.llmParser)
        return Error::user(u"use_llm_as_parser needs llm_parsing_parameters"_s)
            .withKey(u"llm_parsing_parameters"_s);
    DemographicsPlan parser = sampling;
    parser.parser = true;
    parser.llm = *config.llmParser;
    parser.llm.chat = true; // the parser question is a chat exchange (METHOD.md section 6)
    parser.logprobRoute = false;
    parser.samples = 1;
    if (Status st = checkEndpoint(parser.llm, u"llm_parsing_parameters"_s); !st)
        return st.error();
    QList<DemographicQuestion> traits;
    for (const DemographicQuestion &t : sampling.questionnaire.traits) {
        const bool wanted = options.parserTraits.isEmpty() ? DemographicsPrompts::seedUsesParserFor(t.key)
                                                           : options.parserTraits.contains(t.key);
        if (wanted)
            traits.append(t);
    }
    for (const QString &key : options.parserTraits)
        if (!sampling.trait(key))
            return Error::user(
                       u"llm_parser_traits names '%1', which is not a trait of the questionnaire"_s.arg(key))
                .withKey(u"llm_parser_traits"_s);
    if (traits.isEmpty())
        return std::optional<DemographicsPlan>();
    parser.questionnaire.traits = traits;
    return std::optional<DemographicsPlan>(parser);
}

Result<StepRun> DemographicsStep::prepare(ProjectFile &project, const DemographicsPlan &plan,
                                          std::optional<qint64> parserRun, bool restart,
                                          const QString &rename)
{
    RunStore runs(project);
    Result<std::optional<RunInfo>> found =
        StepRunMatch::find(project, plan.kind(), plan.name, plan.toJson(), restart,
                           rename.isEmpty() ? u"--name NEW"_s : rename);
    if (!found)
        return found.error();
    if (const std::optional<RunInfo> &info = *found) {
        // Running the step again means finishing it: failed items are sent again.
        if (info->status == u"incomplete"_s)
            if (Result<int> reset = runs.resetFailed(info->id); !reset)
                return reset.error();
        return StepRun{info->id, true, info->status};
    }
    Result<qint64> id = DemographicsStep::plan(project, plan, parserRun);
    if (!id)
        return id.error();
    return StepRun{*id, false, u"planned"_s};
}

Result<qint64> DemographicsStep::plan(ProjectFile &project, const DemographicsPlan &plan,
                                      std::optional<qint64> parserRun)
{
    if (project.mode() != ProjectFile::Mode::ReadWrite)
        return Error::user(u"the project is open read-only"_s).withFile(project.path());
    RunStore runs(project);
    // (persona, trait) -> the parser item that named an answer.
    QHash<QPair<QString, QString>, StoredItem> resolved;
    QHash<qint64, QByteArray> oneHot;
    if (parserRun && !plan.parser) {
        Result<QList<StoredItem>> items = runs.items(*parserRun);
        if (!items)
            return items.error();
        Result<QHash<qint64, QByteArray>> distributions = runs.itemDistributions(*parserRun);
        if (!distributions)
            return distributions.error();
        oneHot = *distributions;
        for (const StoredItem &it : std::as_const(*items))
            if (it.state == u"done"_s && oneHot.contains(it.id))
                resolved.insert({it.persona, it.question}, it);
    }

    const BackstoryStore store(project);
    Transaction tx(project.handle());
    if (!tx.status())
        return tx.status().error();
    RunInfo info;
    info.name = plan.name;
    info.kind = plan.kind();
    info.config = QString::fromUtf8(QJsonDocument(plan.toJson()).toJson(QJsonDocument::Indented));
    info.programVersion = QStringLiteral(ANTHOLOGY_VERSION);
    info.seed = plan.seed;
    Result<qint64> runId = runs.createRun(info);
    if (!runId)
        return runId.error();
    QList<ItemResult> parsed;
    PlanItemWriter writer(project, *runId);
    for (const QString &uid : plan.personas) {
        const std::optional<Backstory> backstory = store.get(uid);
        if (!backstory)
            return Error::user(u"backstory '%1' is not in the project"_s.arg(uid));
        for (int t = 0; t < plan.questionnaire.traits.size(); ++t) {
            const DemographicQuestion &trait = plan.questionnaire.traits[t];
            PlannedItem item;
            item.persona = uid;
            item.personaRevision = backstory->revision;
            item.question = trait.key;
            item.position = t;
            // The engine builds a trait's request when it sends it; one the parser resolved
            // keeps the parser's request with its answer.
            const auto found = resolved.constFind({uid, trait.key});
            if (found != resolved.constEnd())
                item.request = found->request;
            Result<qint64> id = writer.add(item);
            if (!id)
                return id.error();
            if (found != resolved.constEnd()) {
                ItemResult r;
                r.itemId = *id;
                r.ok = true;
                r.request = found->request;
                r.rawAnswer = found->rawAnswer;
                r.option = found->option.value_or(-1);
                r.parsedAnswer = trait.choices.value(r.option);
                r.compliant = true;
                r.distribution = oneHot.value(found->id);
                parsed.append(r);
            }
        }
    }
    if (Status st = writer.finish(); !st)
        return st.error();
    if (!parsed.isEmpty())
        if (Status st = runs.commit(*runId, parsed); !st)
            return st.error();
    if (Status st = tx.commit(); !st)
        return st.error();
    return *runId;
}

} // namespace anthology
