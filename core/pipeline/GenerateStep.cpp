#include "pipeline/GenerateStep.h"

#include "backstories/BackstoryImporter.h"
#include "backstories/BackstoryStore.h"
#include "config/SurveyConfig.h"
#include "data/Dataset.h"
#include "data/DatasetStore.h"
#include "data/DemographicMetadata.h"
#include "data/QuestionnaireFromDataset.h"
#include "data/Variable.h"
#include "pipeline/EndpointCheck.h"
#include "pipeline/RespondentTraits.h"
#include "pipeline/StepRunMatch.h"
#include "project/ProjectFile.h"
#include "project/Transaction.h"
#include "prompt/BackstoryPromptBuilder.h"
#include "prompt/DemographicPrefixBuilder.h"
#include "run/GenerateItemBuilder.h"
#include "run/GeneratePlan.h"
#include "run/PlanItemWriter.h"
#include "run/RunStore.h"
#include "run/SurveyChain.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

// One primed story per respondent: the respondent's demographic traits (each detected role's
// variable, codes 1..K as its value labels; other codes refused) in a seeded order.
Result<QList<PrimedStory>> primedStories(ProjectFile &project, const GenerateOptions &options, int seed)
{
    std::optional<PrefixStyle> style = DemographicPrefixBuilder::styleNamed(options.promptStyle);
    if (style == PrefixStyle::QaFreeform) // demographics-primed stories come in qa, bio or portray
        style.reset();
    if (!style)
        return Error::user(
                   u"prompt_style must be qa, bio or portray for demographics-primed backstories, got '%1'"_s
                       .arg(options.promptStyle))
            .withKey(u"prompt_style"_s);
    if (options.dataset.isEmpty())
        return Error::user(u"demographics-primed backstories need dataset=NAME (see 'anthology data list')"_s)
            .withKey(u"dataset"_s);
    Result<Dataset> dataset = DatasetStore(project).load(options.dataset);
    if (!dataset)
        return dataset.error();
    const DemographicMetadata metadata = DemographicMetadata::detect(*dataset);
    struct Column
    {
        DemographicQuestion trait;
        qsizetype index;
    };
    QList<Column> columns;
    for (DemographicRole role : DemographicMetadata::allRoles()) {
        if (!metadata.has(role))
            continue;
        const qsizetype index = dataset->indexOf(metadata.variable(role));
        if (index < 0 || !dataset->variable(index).isNumeric())
            continue;
        Result<Question> q = QuestionnaireFromDataset::question(dataset->variable(index));
        if (!q)
            continue;
        DemographicQuestion trait;
        trait.key = DemographicMetadata::roleKey(role);
        trait.question = q->body;
        trait.choices = q->choices;
        columns.append({trait, index});
    }
    if (columns.isEmpty())
        return Error::user(
            u"data set '%1' has no demographic variables this step recognizes"_s.arg(options.dataset));
    const std::vector<double> weights = dataset->weights();
    const qsizetype rows =
        options.numUsers < 0 ? dataset->rowCount() : qMin<qsizetype>(options.numUsers, dataset->rowCount());
    const DemographicPrefixBuilder builder(*style);
    QList<PrimedStory> out;
    for (qsizetype row = 0; row < rows; ++row) {
        PrimedStory story;
        // The key persona sets and LinkedHumans look the respondent up by.
        story.qkey = RespondentTraits::humanKeyOf(*dataset, row);
        story.weight = size_t(row) < weights.size() ? weights[size_t(row)] : 1.0;
        QList<TraitAnswer> answers;
        for (const Column &c : std::as_const(columns)) {
            const double code = dataset->numericColumn(c.index)[size_t(row)];
            int choice = -1;
            if (std::isfinite(code) && code >= 1 && code <= c.trait.choices.size() &&
                code == std::floor(code))
                choice = int(code) - 1;
            answers.append({c.trait, choice});
        }
        story.prefix = builder.prefix(DemographicPrefixBuilder::shuffled(answers, quint64(seed), story.qkey));
        out.append(story);
    }
    return out;
}

} // namespace

QString GenerateStep::backstoryUid(qint64 runId, const QString &storyKey)
{
    return u"gen%1-%2"_s.arg(runId).arg(storyKey);
}

Result<GeneratePlan> GenerateStep::planFor(ProjectFile &project, const SurveyConfig &config,
                                           const GenerateOptions &options)
{
    if (!config.hasLlm)
        return Error::user(u"the config has no llm_parameters: which model should write the stories?"_s)
            .withKey(u"llm_parameters"_s);
    if (Status st = checkEndpoint(config.llm, u"llm_parameters"_s); !st)
        return st.error();
    return draftPlan(project, config, options);
}

Result<GeneratePlan> GenerateStep::draftPlan(ProjectFile &project, const SurveyConfig &config,
                                             const GenerateOptions &options)
{
    GeneratePlan plan;
    plan.name = options.name.isEmpty() ? config.name : options.name;
    plan.roles = config.selfGenerate.roles;
    plan.preambleQuestion = config.hasSelfGenerate ? config.selfGenerate.preambleQuestion
                                                   : BackstoryPromptBuilder::citizenQuestion();
    plan.backstoryQuestion = config.selfGenerate.backstoryQuestion.isEmpty()
                                 ? BackstoryPromptBuilder::backstoryQuestion()
                                 : config.selfGenerate.backstoryQuestion;
    plan.count = config.selfGenerate.numBackstories;
    plan.llm = config.llm;
    plan.seed = config.run.seed;
    plan.maxPreambleAttempts = BackstoryPromptBuilder::maxPreambleAttempts;
    plan.freshSamples = options.freshSamples;
    plan.numProcesses = config.run.numProcesses;
    if (!options.promptStyle.isEmpty() || !options.dataset.isEmpty()) {
        Result<QList<PrimedStory>> primed = primedStories(project, options, plan.seed);
        if (!primed)
            return primed.error();
        plan.promptStyle = options.promptStyle;
        plan.dataset = options.dataset;
        plan.primed = *primed;
    }
    if (plan.storyCount() < 1)
        return Error::user(
                   u"nothing to generate: num_backstories must be at least 1 (got %1)"_s.arg(plan.count))
            .withKey(u"num_backstories"_s);
    return plan;
}

Result<StepRun> GenerateStep::prepare(ProjectFile &project, const GeneratePlan &plan, bool restart,
                                      const QString &rename)
{
    RunStore runs(project);
    Result<std::optional<RunInfo>> found = StepRunMatch::find(
        project, QString::fromLatin1(GeneratePlan::kind), plan.name, plan.toJson(), restart,
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
    Result<qint64> id = GenerateStep::plan(project, plan);
    if (!id)
        return id.error();
    return StepRun{*id, false, u"planned"_s};
}

Result<qint64> GenerateStep::plan(ProjectFile &project, const GeneratePlan &plan)
{
    if (project.mode() != ProjectFile::Mode::ReadWrite)
        return Error::user(u"the project is open read-only"_s).withFile(project.path());
    Transaction tx(project.handle());
    if (!tx.status())
        return tx.status().error();
    RunStore runs(project);
    RunInfo info;
    info.name = plan.name;
    info.kind = QString::fromLatin1(GeneratePlan::kind);
    info.config = QString::fromUtf8(QJsonDocument(plan.toJson()).toJson(QJsonDocument::Indented));
    info.programVersion = QStringLiteral(ANTHOLOGY_VERSION);
    info.seed = plan.seed;
    Result<qint64> runId = runs.createRun(info);
    if (!runId)
        return runId.error();
    PlanItemWriter writer(project, *runId);
    for (int i = 0; i < plan.storyCount(); ++i) {
        PlannedItem item;
        item.persona = GeneratePlan::storyKey(i);
        std::optional<qint64> previous;
        if (plan.hasPreamble()) {
            item.question = GeneratePlan::preambleItem();
            Result<qint64> id = writer.add(item);
            if (!id)
                return id.error();
            previous = *id;
        }
        item.question = GeneratePlan::storyItem();
        item.position = plan.hasPreamble() ? 1 : 0;
        item.dependsOn = previous; // without a preamble, the engine builds the story's request when sent
        Result<qint64> id = writer.add(item);
        if (!id)
            return id.error();
    }
    if (Status st = writer.finish(); !st)
        return st.error();
    if (Status st = tx.commit(); !st)
        return st.error();
    return *runId;
}

Result<GenerateReport> GenerateStep::materialise(ProjectFile &project, qint64 runId)
{
    RunStore runs(project);
    Result<RunInfo> info = runs.run(runId);
    if (!info)
        return info.error();
    if (info->kind != QLatin1StringView(GeneratePlan::kind))
        return Error::user(u"run %1 is a %2 run, not a generate run"_s.arg(runId).arg(info->kind));
    Result<GeneratePlan> plan =
        GeneratePlan::fromJson(QJsonDocument::fromJson(info->config.toUtf8()).object());
    if (!plan)
        return plan.error();
    Result<QList<StoredItem>> items = runs.items(runId);
    if (!items)
        return items.error();
    Result<QHash<qint64, QByteArray>> stats = runs.itemDistributions(runId);
    if (!stats)
        return stats.error();

    // The latest preamble answer of each story (re-asks come later in id order).
    QHash<QString, const StoredItem *> preambles;
    for (const StoredItem &it : std::as_const(*items))
        if (it.question == GeneratePlan::preambleItem() && it.state == u"done"_s)
            preambles.insert(it.persona, &it);

    GenerateReport report;
    report.stories = plan->storyCount();
    const BackstoryStore store(project);
    QByteArray jsonl;
    for (const StoredItem &it : std::as_const(*items)) {
        if (it.question != GeneratePlan::storyItem())
            continue;
        if (it.state != u"done"_s) {
            ++report.unfinished;
            continue;
        }
        const StoredItem *preamble = preambles.value(it.persona);
        if (plan->hasPreamble() && (!preamble || !preamble->compliant)) {
            ++report.preambleRefused;
            continue;
        }
        const QJsonObject story = QJsonDocument::fromJson(stats->value(it.id)).object();
        const qint64 tokens = qint64(story.value(u"tokens"_s).toDouble());
        if (!BackstoryPromptBuilder::keepOnLoad(int(tokens))) {
            ++report.droppedShort;
            continue;
        }
        const QString uid = backstoryUid(runId, it.persona);
        if (store.get(uid)) {
            ++report.stored;
            continue;
        }
        const int index = GenerateItemBuilder::storyIndex(it.persona);
        QJsonObject sampling{
            {u"temperature"_s, plan->llm.temperature},
            {u"top_p"_s, plan->llm.topP},
            {u"max_tokens"_s, plan->llm.maxTokens},
            {u"seed"_s, double(GenerateItemBuilder(*plan).seedFor(it.persona, it.question, it.sample))}};
        if (!plan->llm.chat) {
            QStringList stops;
            if (!plan->roles.surveyor.isEmpty())
                stops << plan->roles.surveyor;
            stops << u"Q:"_s << u"Interview"_s;
            sampling.insert(u"stop"_s, QJsonArray::fromStringList(stops));
            sampling.insert(u"logprobs"_s, plan->llm.logprobs.value_or(1));
        }
        const QString model = story.value(u"model"_s).toString();
        QJsonObject record{{u"uid"_s, uid},
                           {u"backstory"_s, it.rawAnswer},
                           {u"full_passage"_s,
                            QString((plan->primed.isEmpty() ? QString() : plan->primed.value(index).prefix) +
                                    plan->passageHead() + it.rawAnswer)},
                           {u"token_count"_s, double(tokens)},
                           {u"model"_s, model.isEmpty() ? plan->llm.modelName : model},
                           {u"sampling"_s, sampling},
                           {u"finish_reason"_s, story.value(u"finish_reason"_s).toString()},
                           {u"run_id"_s, double(runId)}};
        if (story.contains(u"logprob"_s))
            record.insert(u"logprob"_s, story.value(u"logprob"_s).toDouble());
        if (preamble)
            record.insert(u"preamble_answer"_s, preamble->rawAnswer);
        if (!plan->primed.isEmpty()) {
            const PrimedStory &primed = plan->primed.at(index);
            record.insert(u"qkey"_s, primed.qkey);
            record.insert(u"weight"_s, primed.weight);
            record.insert(u"prompt_style"_s, plan->promptStyle);
            record.insert(u"dataset"_s, plan->dataset);
        }
        jsonl += QJsonDocument(record).toJson(QJsonDocument::Compact) + '\n';
        ++report.imported;
        ++report.stored;
    }
    if (report.imported > 0) {
        QTemporaryDir dir;
        if (!dir.isValid())
            return Error::internal(
                u"cannot create a temporary folder for the stories: %1"_s.arg(dir.errorString()));
        QFile file(dir.filePath(u"stories.jsonl"_s));
        if (!file.open(QIODevice::WriteOnly) || file.write(jsonl) != jsonl.size())
            return Error::internal(u"cannot write the stories: %1"_s.arg(file.errorString()))
                .withFile(file.fileName());
        file.close();
        BackstoryImportOptions options;
        options.format = BackstoryFormat::Jsonl;
        options.dropShort = true; // already filtered: the importer applies the same rule
        Result<BackstoryImportReport> imported =
            BackstoryImporter(project).importFile(file.fileName(), options);
        if (!imported)
            return imported.error();
    }
    return report;
}

} // namespace anthology
