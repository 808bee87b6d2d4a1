#include "config/ConfigSchema.h"

#include "config/ConfigFieldReader.h"
#include "config/ResolvedConfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <limits>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

constexpr int kIntMax = std::numeric_limits<int>::max();

#define TRY(expr)                                                                                            \
    do {                                                                                                     \
        if (Status s_ = (expr); !s_.ok())                                                                    \
            return s_.error();                                                                               \
    } while (false)

// Keys the opinion questionnaire files carry for the run (the reference puts them there).
const QStringList kQuestionnaireRunKeys = {u"randomize_option_order"_s, u"randomize_question_order"_s,
                                           u"consistency_prompt"_s, u"in_series"_s,
                                           u"include_answer_forcing"_s};

Status readBehaviour(const ConfigFieldReader &r, const QString &key, Behaviour &out)
{
    QString value;
    TRY(r.oneOf(key, value, {u"ours"_s, u"seed"_s}));
    if (!value.isEmpty())
        out = value == "seed"_L1 ? Behaviour::Seed : Behaviour::Ours;
    return {};
}

Status readQuestionnaireRunKeys(const ConfigFieldReader &r, RunOptions &run)
{
    TRY(r.boolean(u"randomize_option_order"_s, run.randomizeOptionOrder));
    TRY(r.boolean(u"randomize_question_order"_s, run.randomizeQuestionOrder));
    TRY(r.boolean(u"in_series"_s, run.inSeries));
    TRY(r.boolean(u"include_answer_forcing"_s, run.includeAnswerForcing));
    return {};
}

Status readRunOptions(const ConfigFieldReader &r, RunOptions &run, QList<Error> &warnings)
{
    TRY(r.integer(u"num_processes"_s, run.numProcesses, 1, 4096));
    TRY(r.integer(u"seed"_s, run.seed, std::numeric_limits<int>::min(), kIntMax));
    if (r.has(u"random_seed"_s)) {
        int randomSeed = run.seed;
        TRY(r.integer(u"random_seed"_s, randomSeed, std::numeric_limits<int>::min(), kIntMax));
        if (r.has(u"seed"_s) && randomSeed != run.seed)
            r.warn(r.node(u"random_seed"_s), u"random_seed"_s,
                   u"both seed and random_seed are set and differ; using random_seed"_s);
        run.seed = randomSeed;
    }
    TRY(r.integer(u"freq"_s, run.freq, 1, kIntMax));
    TRY(r.boolean(u"debug"_s, run.debug));
    TRY(r.string(u"output_data_name"_s, run.outputDataName));
    TRY(r.string(u"save_dir"_s, run.saveDir));
    TRY(r.boolean(u"include_compliance_forcing"_s, run.includeComplianceForcing));
    TRY(r.integer(u"number_compliance_forcing"_s, run.numberComplianceForcing, 0, kIntMax));
    TRY(readQuestionnaireRunKeys(r, run));
    TRY(r.integer(u"num_sample_response"_s, run.numSampleResponse, 1, kIntMax));
    TRY(r.boolean(u"use_prefer_not_to_answer"_s, run.usePreferNotToAnswer));
    TRY(r.boolean(u"use_llm_as_parser"_s, run.useLlmAsParser));
    TRY(readBehaviour(r, u"text_rule"_s, run.textRule));
    TRY(readBehaviour(r, u"label_match"_s, run.labelMatch));
    Q_UNUSED(warnings);
    return {};
}

// A duration in seconds (fractions allowed, so tests can wait milliseconds).
Status readSeconds(const ConfigFieldReader &r, const QString &key, std::optional<double> &out)
{
    if (!r.has(key))
        return {};
    double seconds = 0.0;
    TRY(r.number(key, seconds, 0.001, 86400.0));
    out = seconds;
    return {};
}

Status readRandomizationPatterns(const ConfigFieldReader &r, Question &q)
{
    const ConfigNode *patterns = r.node(u"randomization_pattern"_s);
    if (!patterns || patterns->isNull())
        return {};
    const qsizetype k = q.choices.size();
    const QString expected = u"expected a permutation of 0..%1"_s.arg(k - 1);
    if (!patterns->isSequence())
        return r.error(patterns, u"randomization_pattern"_s,
                       u"expected a list of permutations of 0..%1"_s.arg(k - 1));
    for (size_t i = 0; i < patterns->items().size(); ++i) {
        const ConfigNode &pattern = patterns->items()[i];
        const QString key = u"randomization_pattern.%1"_s.arg(i);
        if (!pattern.isSequence() || qsizetype(pattern.items().size()) != k)
            return r.error(&pattern, key, expected + u", got "_s + ConfigFieldReader::describe(pattern));
        QList<int> order;
        QList<bool> seen(k, false);
        for (size_t j = 0; j < pattern.items().size(); ++j) {
            const ConfigNode &item = pattern.items()[j];
            bool ok = false;
            const int v = item.isScalar() ? item.text().trimmed().toInt(&ok) : -1;
            if (!ok || v < 0 || v >= k || seen[v])
                return r.error(&item, key + u'.' + QString::number(j),
                               expected + u", got "_s + ConfigFieldReader::describe(item));
            seen[v] = true;
            order.append(v);
        }
        q.randomizationPatterns.append(order);
    }
    return {};
}

} // namespace

Result<Questionnaire> ConfigSchema::questionnaire(const ConfigNode &node, const QString &path,
                                                  QList<Error> &warnings)
{
    ConfigFieldReader r(&node, path, &warnings);
    TRY(r.requireMap(&node));
    Questionnaire out;
    TRY(r.integer(u"wave"_s, out.wave, -1, kIntMax));
    TRY(r.string(u"human_data_path"_s, out.humanDataPath));
    TRY(r.string(u"demographics_metadata_path"_s, out.demographicsMetadataPath));
    TRY(r.checkUnknown(
        QStringList{u"wave"_s, u"questions"_s, u"human_data_path"_s, u"demographics_metadata_path"_s} +
        kQuestionnaireRunKeys));
    const ConfigNode *questions = r.node(u"questions"_s);
    if (!questions || !questions->isMap() || questions->entries().empty())
        return r.error(questions, u"questions"_s, u"expected a non-empty map from question id to question"_s);
    for (const auto &[id, body] : questions->entries()) {
        ConfigFieldReader q(&body, r.keyPath(u"questions."_s + id), &warnings);
        TRY(q.requireMap(&body));
        Question question;
        question.id = id;
        TRY(q.string(u"question_body"_s, question.body, true));
        if (question.body.trimmed().isEmpty())
            return q.error(q.node(u"question_body"_s), u"question_body"_s,
                           u"expected a non-empty question text"_s);
        TRY(q.stringList(u"choices"_s, question.choices, true));
        TRY(q.boolean(u"allow_randomization"_s, question.allowRandomization));
        TRY(readRandomizationPatterns(q, question));
        if (question.allowRandomization && question.randomizationPatterns.isEmpty())
            q.warn(q.node(u"allow_randomization"_s), u"allow_randomization"_s,
                   u"randomization is allowed but no randomization_pattern is given"_s);
        TRY(q.checkUnknown(
            {u"question_body"_s, u"choices"_s, u"allow_randomization"_s, u"randomization_pattern"_s}));
        out.questions.append(question);
    }
    return out;
}

Result<DemographicQuestionnaire> ConfigSchema::demographics(const ConfigNode &node, const QString &path,
                                                            QList<Error> &warnings)
{
    ConfigFieldReader r(&node, path, &warnings);
    TRY(r.requireMap(&node));
    DemographicQuestionnaire out;
    for (const auto &[key, body] : node.entries()) {
        ConfigFieldReader t(&body, r.keyPath(key), &warnings);
        TRY(t.requireMap(&body));
        DemographicQuestion trait;
        trait.key = key;
        QString type = u"multiple_choice"_s;
        TRY(t.oneOf(u"type"_s, type, {u"multiple_choice"_s}));
        TRY(t.string(u"question"_s, trait.question, true));
        TRY(t.boolean(u"is_numerical"_s, trait.isNumerical));
        TRY(t.stringList(u"choices"_s, trait.choices, true));
        TRY(t.string(u"llm_parser_question"_s, trait.llmParserQuestion));
        TRY(t.string(u"topic"_s, trait.topic));
        TRY(t.string(u"bio_template"_s, trait.bioTemplate));
        if (!trait.bioTemplate.isEmpty() && !trait.bioTemplate.contains(u"{label}"_s))
            return t.error(t.node(u"bio_template"_s), u"bio_template"_s,
                           u"expected a sentence containing {label}, e.g. \"My age is {label}.\""_s);
        if (trait.choices.last() != "Prefer not to answer"_L1)
            t.warn(
                t.node(u"choices"_s), u"choices"_s,
                u"the last choice is not \"Prefer not to answer\"; use_prefer_not_to_answer=false cannot remove it"_s);
        TRY(t.checkUnknown({u"type"_s, u"question"_s, u"is_numerical"_s, u"choices"_s,
                            u"llm_parser_question"_s, u"topic"_s, u"bio_template"_s}));
        out.traits.append(trait);
    }
    return out;
}

Result<McqFormat> ConfigSchema::format(const ConfigNode &node, const QString &path, QList<Error> &warnings)
{
    ConfigFieldReader r(&node, path, &warnings);
    TRY(r.requireMap(&node));
    TRY(r.checkUnknown({u"mcq_symbol"_s, u"choice_format"_s, u"surveyor_respondent"_s}));
    McqFormat out;
    if (const ConfigNode *symbolGroup = r.node(u"mcq_symbol"_s)) {
        ConfigFieldReader s(symbolGroup, r.keyPath(u"mcq_symbol"_s), &warnings);
        TRY(s.requireMap(symbolGroup));
        QString symbol;
        TRY(s.oneOf(u"symbol"_s, symbol, {u"uppercase"_s, u"lowercase"_s, u"number"_s}));
        if (symbol == "lowercase"_L1)
            out.symbol = SymbolSet::Lowercase;
        else if (symbol == "number"_L1)
            out.symbol = SymbolSet::Number;
        TRY(s.checkUnknown({u"symbol"_s}));
    }
    if (const ConfigNode *choiceGroup = r.node(u"choice_format"_s)) {
        ConfigFieldReader c(choiceGroup, r.keyPath(u"choice_format"_s), &warnings);
        TRY(c.requireMap(choiceGroup));
        TRY(c.string(u"left_symbol"_s, out.choice.leftSymbol));
        TRY(c.string(u"right_symbol"_s, out.choice.rightSymbol));
        TRY(c.checkUnknown({u"left_symbol"_s, u"right_symbol"_s}));
    }
    if (const ConfigNode *roleGroup = r.node(u"surveyor_respondent"_s)) {
        ConfigFieldReader s(roleGroup, r.keyPath(u"surveyor_respondent"_s), &warnings);
        TRY(s.requireMap(roleGroup));
        TRY(s.string(u"surveyor"_s, out.roles.surveyor));
        TRY(s.string(u"respondent"_s, out.roles.respondent));
        TRY(s.string(u"connector"_s, out.roles.connector));
        TRY(s.checkUnknown({u"surveyor"_s, u"respondent"_s, u"connector"_s}));
    }
    return out;
}

Result<LlmParameters> ConfigSchema::llmParameters(const ConfigNode &node, const QString &path,
                                                  QList<Error> &warnings)
{
    ConfigFieldReader r(&node, path, &warnings);
    TRY(r.requireMap(&node));
    LlmParameters out;
    TRY(r.string(u"model_name"_s, out.modelName));
    TRY(r.string(u"api_provider"_s, out.apiProvider));
    if (out.apiProvider.isEmpty())
        out.apiProvider = u"localhost"_s;
    TRY(r.string(u"api_base"_s, out.baseUrl)); // the reference's name for it
    TRY(r.string(u"base_url"_s, out.baseUrl));
    TRY(r.string(u"api_key_env"_s, out.apiKeyEnv));
    // The reference's files carry `api_key:` left empty; a key written there would end up in
    // copies of the config, the project file and its exports, so it is refused.
    if (QString key; r.has(u"api_key"_s) && r.string(u"api_key"_s, key).ok() && !key.trimmed().isEmpty())
        return r.error(r.node(u"api_key"_s), u"api_key"_s,
                       u"API keys are never read from config files: remove it, put the key in an environment "
                       "variable and name that variable in api_key_env (e.g. api_key_env: OPENAI_API_KEY)"_s);
    out.chat = r.node(u"system_prompt"_s) != nullptr;
    TRY(r.string(u"system_prompt"_s, out.systemPrompt));
    TRY(r.boolean(u"chat"_s, out.chat));
    TRY(r.number(u"temperature"_s, out.temperature, 0.0, 2.0));
    TRY(r.number(u"top_p"_s, out.topP, 0.0, 1.0));
    TRY(r.integer(u"max_tokens"_s, out.maxTokens, 1, kIntMax));
    TRY(r.optionalInteger(u"logprobs"_s, out.logprobs, 0, 20));
    TRY(r.optionalInteger(u"top_logprobs"_s, out.topLogprobs, 0, 20));
    TRY(r.optionalInteger(u"seed"_s, out.seed, std::numeric_limits<int>::min(), kIntMax));
    TRY(r.optionalInteger(u"max_in_flight"_s, out.maxInFlight, 1, kIntMax));
    TRY(r.optionalInteger(u"requests_per_minute"_s, out.requestsPerMinute, 1, kIntMax));
    TRY(r.optionalInteger(u"tokens_per_minute"_s, out.tokensPerMinute, 1, kIntMax));
    TRY(readSeconds(r, u"request_timeout"_s, out.requestTimeoutS));
    TRY(readSeconds(r, u"stall_timeout"_s, out.stallTimeoutS));
    TRY(readSeconds(r, u"unreachable_timeout"_s, out.unreachableTimeoutS));
    TRY(r.optionalInteger(u"max_retries"_s, out.maxRetries, 0, 1000));
    // Several servers of the model: a list of URLs, or of maps with their own limits.
    if (const ConfigNode *list = r.node(u"base_urls"_s); list && !list->isNull()) {
        if (!list->isSequence())
            return r.error(
                list, u"base_urls"_s,
                u"expected a list of base URLs (or of maps with base_url and limits), got %1"_s.arg(
                    ConfigFieldReader::describe(*list)));
        for (size_t i = 0; i < list->items().size(); ++i) {
            const ConfigNode &item = list->items()[i];
            const QString itemPath = path + u".base_urls."_s + QString::number(i);
            LlmEndpoint endpoint;
            if (item.isScalar() && !item.text().trimmed().isEmpty()) {
                endpoint.baseUrl = item.text().trimmed();
            } else if (item.isMap()) {
                ConfigFieldReader e(&item, itemPath, &warnings);
                TRY(e.string(u"base_url"_s, endpoint.baseUrl, true));
                TRY(e.optionalInteger(u"max_in_flight"_s, endpoint.maxInFlight, 1, kIntMax));
                TRY(e.optionalInteger(u"requests_per_minute"_s, endpoint.requestsPerMinute, 1, kIntMax));
                TRY(e.optionalInteger(u"tokens_per_minute"_s, endpoint.tokensPerMinute, 1, kIntMax));
                TRY(e.checkUnknown(
                    {u"base_url"_s, u"max_in_flight"_s, u"requests_per_minute"_s, u"tokens_per_minute"_s}));
            } else {
                return r.error(&item, u"base_urls."_s + QString::number(i),
                               u"expected a base URL or a map with base_url, got %1"_s.arg(
                                   ConfigFieldReader::describe(item)));
            }
            out.endpoints.append(endpoint);
        }
    }
    TRY(r.checkUnknown({u"model_name"_s,
                        u"api_provider"_s,
                        u"api_base"_s,
                        u"base_url"_s,
                        u"api_key_env"_s,
                        u"api_key"_s,
                        u"system_prompt"_s,
                        u"chat"_s,
                        u"temperature"_s,
                        u"top_p"_s,
                        u"max_tokens"_s,
                        u"logprobs"_s,
                        u"top_logprobs"_s,
                        u"seed"_s,
                        u"base_urls"_s,
                        u"max_in_flight"_s,
                        u"requests_per_minute"_s,
                        u"tokens_per_minute"_s,
                        u"request_timeout"_s,
                        u"stall_timeout"_s,
                        u"unreachable_timeout"_s,
                        u"max_retries"_s}));
    return out;
}

Result<BackstorySource> ConfigSchema::backstories(const ConfigNode &node, const QString &path,
                                                  QList<Error> &warnings)
{
    ConfigFieldReader r(&node, path, &warnings);
    TRY(r.requireMap(&node));
    BackstorySource out;
    TRY(r.string(u"backstory_path"_s, out.backstoryPath));
    TRY(r.oneOf(u"backstory_type"_s, out.backstoryType, {u"self_generated"_s, u"ANES"_s}));
    TRY(r.integer(u"num_backstories"_s, out.numBackstories, -1, kIntMax));
    TRY(r.boolean(u"shuffle"_s, out.shuffle));
    TRY(r.checkUnknown({u"backstory_path"_s, u"backstory_type"_s, u"num_backstories"_s, u"shuffle"_s}));
    return out;
}

Result<SelfGenerateOptions> ConfigSchema::selfGenerate(const ConfigNode &node, const QString &path,
                                                       QList<Error> &warnings)
{
    ConfigFieldReader r(&node, path, &warnings);
    TRY(r.requireMap(&node));
    SelfGenerateOptions out;
    TRY(r.string(u"surveyor"_s, out.roles.surveyor));
    TRY(r.string(u"respondent"_s, out.roles.respondent));
    TRY(r.string(u"connector"_s, out.roles.connector));
    TRY(r.string(u"preamble_question"_s, out.preambleQuestion));
    TRY(r.string(u"backstory_question"_s, out.backstoryQuestion, true));
    TRY(r.checkUnknown(
        {u"surveyor"_s, u"respondent"_s, u"connector"_s, u"preamble_question"_s, u"backstory_question"_s}));
    return out;
}

namespace {

// The questionnaire group holds the opinion questionnaire (it has `questions`) and the
// demographic one, by name, or one questionnaire placed at the group itself.
Status readQuestionnaires(const ConfigFieldReader &r, SurveyConfig &out)
{
    const ConfigNode *groups = r.node(u"questionnaire"_s);
    if (!groups)
        return {};
    ConfigFieldReader g(groups, u"questionnaire"_s, &out.warnings);
    TRY(g.requireMap(groups));
    const bool flat =
        groups->child(u"questions"_s) != nullptr; // a questionnaire placed at questionnaire itself
    const auto entries =
        flat ? std::vector<std::pair<QString, ConfigNode>>{{QString(), *groups}} : groups->entries();
    for (const auto &[name, node] : entries) {
        const QString path = name.isEmpty() ? u"questionnaire"_s : u"questionnaire."_s + name;
        if (node.isMap() && node.child(u"questions"_s)) {
            if (out.hasQuestionnaire) {
                g.warn(&node, name,
                       u"a second opinion questionnaire; only '%1' is used"_s.arg(out.questionnaireName));
                continue;
            }
            Result<Questionnaire> q = ConfigSchema::questionnaire(node, path, out.warnings);
            if (!q.ok())
                return q.error();
            out.hasQuestionnaire = true;
            out.questionnaireName = name;
            out.questionnaire = std::move(q.value());
        } else {
            if (out.hasDemographics) {
                g.warn(&node, name,
                       u"a second demographic questionnaire; only '%1' is used"_s.arg(out.demographicsName));
                continue;
            }
            Result<DemographicQuestionnaire> d = ConfigSchema::demographics(node, path, out.warnings);
            if (!d.ok())
                return d.error();
            out.hasDemographics = true;
            out.demographicsName = name;
            out.demographics = std::move(d.value());
        }
    }
    return {};
}

// format, forcing_symbols, the two LLM groups, backstories and self_generate.
Status readGroups(const ConfigFieldReader &r, SurveyConfig &out)
{
    if (const ConfigNode *node = r.node(u"format"_s)) {
        Result<McqFormat> f = ConfigSchema::format(*node, u"format"_s, out.warnings);
        if (!f.ok())
            return f.error();
        out.format = f.value();
    }
    TRY(readBehaviour(r, u"forcing_symbols"_s, out.format.forcing));
    if (const ConfigNode *node = r.node(u"llm_parameters"_s)) {
        Result<LlmParameters> p = ConfigSchema::llmParameters(*node, u"llm_parameters"_s, out.warnings);
        if (!p.ok())
            return p.error();
        out.hasLlm = true;
        out.llm = p.value();
    }
    if (const ConfigNode *node = r.node(u"llm_parsing_parameters"_s); node && !node->isNull()) {
        Result<LlmParameters> p =
            ConfigSchema::llmParameters(*node, u"llm_parsing_parameters"_s, out.warnings);
        if (!p.ok())
            return p.error();
        out.llmParser = p.value();
    }
    if (const ConfigNode *node = r.node(u"backstories"_s)) {
        Result<BackstorySource> b = ConfigSchema::backstories(*node, u"backstories"_s, out.warnings);
        if (!b.ok())
            return b.error();
        out.hasBackstories = true;
        out.backstories = b.value();
    }
    if (const ConfigNode *node = r.node(u"self_generate"_s)) {
        Result<SelfGenerateOptions> s = ConfigSchema::selfGenerate(*node, u"self_generate"_s, out.warnings);
        if (!s.ok())
            return s.error();
        out.hasSelfGenerate = true;
        out.selfGenerate = s.value();
    }
    return {};
}

// Run options: top level, then the opinion questionnaire's own copies of the run keys win,
// since overriding questionnaire.ATP.in_series must take effect. The consistency prompt:
// the questionnaire's, else special_prompt's, else the top level's.
Status readRun(const ConfigFieldReader &r, const ConfigNode &root, SurveyConfig &out)
{
    TRY(readRunOptions(r, out.run, out.warnings));
    QString questionnaireConsistency;
    if (out.hasQuestionnaire) {
        const QString path = out.questionnaireName.isEmpty() ? u"questionnaire"_s
                                                             : u"questionnaire."_s + out.questionnaireName;
        const ConfigNode *qnode = root.find(path);
        ConfigFieldReader q(qnode, path, &out.warnings);
        TRY(readQuestionnaireRunKeys(q, out.run));
        TRY(q.string(u"consistency_prompt"_s, questionnaireConsistency));
    }
    out.run.consistencyPrompt = questionnaireConsistency;
    if (const ConfigNode *node = r.node(u"special_prompt"_s)) {
        ConfigFieldReader s(node, u"special_prompt"_s, &out.warnings);
        if (!node->isNull())
            TRY(s.requireMap(node));
        out.run.consistencyPrompt.clear();
        TRY(s.string(u"consistency_prompt"_s, out.run.consistencyPrompt));
        TRY(s.checkUnknown({u"consistency_prompt"_s}));
    }
    TRY(r.string(u"consistency_prompt"_s, out.run.consistencyPrompt));
    return {};
}

Status readBaseline(const ConfigFieldReader &r, BaselineOptions &baseline)
{
    TRY(r.boolean(u"is_baseline"_s, baseline.isBaseline));
    TRY(r.oneOf(u"prompt_style"_s, baseline.promptStyle,
                {u"qa"_s, u"qa_freeform"_s, u"bio"_s, u"portray"_s, u"nothing"_s}));
    TRY(r.stringList(u"trait_of_interest"_s, baseline.traitOfInterest));
    TRY(r.string(u"survey_data_path"_s, baseline.surveyDataPath));
    TRY(r.string(u"survey_demographics_metadata_path"_s, baseline.surveyDemographicsMetadataPath));
    TRY(r.integer(u"num_users"_s, baseline.numUsers, -1, kIntMax));
    return {};
}

// Every top-level key of a survey config, with those of the reference's analysis and
// bookkeeping that we accept without using.
const QStringList &surveyKeys()
{
    static const QStringList accepted = {u"hydra"_s,
                                         u"run_dir"_s,
                                         u"output_time_stamp"_s,
                                         u"experiment_repository"_s,
                                         u"experiment_name"_s,
                                         u"subgroup"_s,
                                         u"dist_type"_s,
                                         u"draw_heatmap"_s,
                                         u"draw_distribution"_s,
                                         u"use_gdrive"_s};
    static const QStringList known = QStringList{u"questionnaire"_s,
                                                 u"format"_s,
                                                 u"llm_parameters"_s,
                                                 u"llm_parsing_parameters"_s,
                                                 u"backstories"_s,
                                                 u"self_generate"_s,
                                                 u"special_prompt"_s,
                                                 u"num_backstories"_s,
                                                 u"num_processes"_s,
                                                 u"seed"_s,
                                                 u"random_seed"_s,
                                                 u"freq"_s,
                                                 u"debug"_s,
                                                 u"output_data_name"_s,
                                                 u"save_dir"_s,
                                                 u"include_compliance_forcing"_s,
                                                 u"number_compliance_forcing"_s,
                                                 u"in_series"_s,
                                                 u"randomize_option_order"_s,
                                                 u"randomize_question_order"_s,
                                                 u"include_answer_forcing"_s,
                                                 u"num_sample_response"_s,
                                                 u"use_prefer_not_to_answer"_s,
                                                 u"use_llm_as_parser"_s,
                                                 u"text_rule"_s,
                                                 u"label_match"_s,
                                                 u"forcing_symbols"_s,
                                                 u"consistency_prompt"_s,
                                                 u"is_baseline"_s,
                                                 u"prompt_style"_s,
                                                 u"trait_of_interest"_s,
                                                 u"survey_data_path"_s,
                                                 u"survey_demographics_metadata_path"_s,
                                                 u"num_users"_s,
                                                 u"dataset"_s,
                                                 u"use_logprobs"_s,
                                                 u"wave"_s} +
                                     accepted;
    return known;
}

} // namespace

Result<SurveyConfig> ConfigSchema::survey(const ResolvedConfig &config)
{
    SurveyConfig out;
    out.name = config.name();
    out.outputDir = config.outputDir();
    out.warnings = config.warnings();
    const ConfigNode &root = config.root();
    ConfigFieldReader r(&root, QString(), &out.warnings);
    TRY(r.requireMap(&root));

    // Groups first: the questionnaire may carry run keys that the top level then refines.
    TRY(readQuestionnaires(r, out));
    TRY(readGroups(r, out));
    TRY(r.integer(u"num_backstories"_s, out.selfGenerate.numBackstories, -1, kIntMax));
    TRY(readRun(r, root, out));
    TRY(readBaseline(r, out.baseline));

    out.wave = out.questionnaire.wave;
    int topWave = -1;
    TRY(r.integer(u"wave"_s, topWave, -1, kIntMax));
    if (topWave != -1)
        out.wave = topWave;

    TRY(r.checkUnknown(surveyKeys()));
    return out;
}

QString ConfigSchema::defaultConfigDir()
{
    if (QCoreApplication::instance()) {
        const QString installed =
            QDir(QCoreApplication::applicationDirPath()).filePath(u"../share/anthology/configs"_s);
        if (QFileInfo(installed).isDir())
            return QDir::cleanPath(installed);
    }
#ifdef ANTHOLOGY_SOURCE_CONFIGS_DIR
    const QString source = QString::fromUtf8(ANTHOLOGY_SOURCE_CONFIGS_DIR);
    if (QFileInfo(source).isDir())
        return QDir::cleanPath(source);
#endif
    return {};
}

} // namespace anthology
