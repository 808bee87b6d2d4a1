#include "TestPaths.h"

#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

const QString kLayout = QStringLiteral(ANTHOLOGY_TEST_DATA_DIR "/configs/layout");
const QString kConfigs = QStringLiteral(ANTHOLOGY_CONFIGS_DIR);

QString describe(const QList<Error> &errors)
{
    QStringList lines;
    for (const Error &e : errors)
        lines.append(e.toString());
    return lines.join(u'\n');
}

Result<SurveyConfig> loadSurvey(const QStringList &dirs, const QString &name,
                                const QStringList &overrides = {})
{
    const Result<ResolvedConfig> resolved = ConfigLoader(dirs).load(name, overrides);
    if (!resolved.ok())
        return resolved.error();
    return ConfigSchema::survey(*resolved);
}

// Writes `yaml` as bad.yaml in a fresh folder and validates it.
Result<SurveyConfig> validateText(const QTemporaryDir &dir, const QByteArray &yaml)
{
    QFile file(dir.filePath(u"bad.yaml"_s));
    if (!file.open(QIODevice::WriteOnly))
        return Error::internal(u"cannot write the fixture"_s);
    file.write(yaml);
    file.close();
    return loadSurvey({dir.path()}, u"bad"_s);
}

} // namespace

class TestConfigSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ourPrimaryConfigsLoadAndValidate_data()
    {
        QTest::addColumn<QString>("dir");
        QTest::addColumn<QString>("name");
        // Every primary config we ship, found by walking configs/ for files with a defaults list.
        QDirIterator it(kConfigs, {u"*.yaml"_s}, QDir::Files, QDirIterator::Subdirectories);
        int rows = 0;
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly) || !file.readAll().contains("\ndefaults:"))
                continue;
            // Match configs are not surveys (no LLM, no questionnaire): TestCliMatchSurvey loads them.
            if (path.contains(u"/matching/"_s))
                continue;
            const QString relative = QDir(kConfigs).relativeFilePath(path).chopped(5);
            QTest::newRow(qPrintable(u"root " + relative)) << kConfigs << relative;
            // As a user points --config-dir at a reference folder such as configs/surveys.
            QTest::newRow(qPrintable(u"dir " + relative))
                << QFileInfo(path).absolutePath() << QFileInfo(path).completeBaseName();
            ++rows;
        }
        QVERIFY(rows >= 3);
    }

    void ourPrimaryConfigsLoadAndValidate()
    {
        QFETCH(QString, dir);
        QFETCH(QString, name);
        const Result<SurveyConfig> config = loadSurvey({dir}, name);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().toString()));
        QVERIFY2(config->warnings.isEmpty(), qPrintable(describe(config->warnings)));
        QVERIFY(config->hasLlm);
        QVERIFY(config->hasQuestionnaire || config->hasDemographics || config->hasSelfGenerate);
    }

    void ourDefaultDemographicsAreComplete()
    {
        const Result<SurveyConfig> config = loadSurvey({kConfigs}, u"surveys/demographics_config"_s);
        QVERIFY(config.ok());
        QStringList keys;
        for (const DemographicQuestion &trait : config->demographics.traits) {
            keys.append(trait.key);
            QCOMPARE(trait.choices.last(), u"Prefer not to answer"_s);
            QVERIFY(!trait.llmParserQuestion.isEmpty());
            QVERIFY(!trait.topic.isEmpty());
            QVERIFY(trait.bioTemplate.contains(u"{label}"_s));
        }
        QCOMPARE(keys, (QStringList{u"age_category_4"_s, u"gender"_s, u"education_level"_s,
                                    u"income_level_category_13"_s, u"race"_s, u"region"_s, u"religion"_s,
                                    u"political_affiliation"_s}));
        QCOMPARE(config->demographics.traits.at(3).choices.size(), 14); // 13 brackets + refusal
        QVERIFY(config->llmParser.has_value());
        QCOMPARE(config->llmParser->apiKeyEnv, u"OPENAI_API_KEY"_s);
        QVERIFY(!config->llmParser->logprobs.has_value());
    }

    void ourExampleQuestionnaire()
    {
        const Result<SurveyConfig> config = loadSurvey({kConfigs}, u"surveys/survey_config"_s);
        QVERIFY(config.ok());
        const Questionnaire &q = config->questionnaire;
        QVERIFY(q.questions.size() >= 6 && q.questions.size() <= 8);
        int randomized = 0;
        for (const Question &question : q.questions) {
            QVERIFY(question.choices.size() >= 3 && question.choices.size() <= 5);
            randomized += question.randomizationPatterns.isEmpty() ? 0 : 1;
        }
        QVERIFY(randomized > 0 && randomized < q.questions.size());
        QCOMPARE(config->questionnaireName, u"example"_s);
        QCOMPARE(config->run.consistencyPrompt,
                 u"Please answer the following question keeping in mind your previous answers."_s);
    }

    void readsFormatGroups_data()
    {
        QTest::addColumn<QString>("override");
        QTest::addColumn<int>("symbol");
        QTest::addColumn<QString>("left");
        QTest::addColumn<QString>("right");
        QTest::addColumn<QString>("surveyor");
        QTest::addColumn<QString>("respondent");
        QTest::addColumn<QString>("connector");
        const int upper = int(SymbolSet::Uppercase);
        QTest::newRow("defaults") << QString() << upper << u"("_s << u")"_s << u"Question"_s << u"Answer"_s
                                  << u":"_s;
        QTest::newRow("lowercase") << u"format/mcq_symbol=lowercase"_s << int(SymbolSet::Lowercase) << u"("_s
                                   << u")"_s << u"Question"_s << u"Answer"_s << u":"_s;
        QTest::newRow("number") << u"format/mcq_symbol=number"_s << int(SymbolSet::Number) << u"("_s << u")"_s
                                << u"Question"_s << u"Answer"_s << u":"_s;
        QTest::newRow("bracket") << u"format/choice_format=bracket"_s << upper << u"["_s << u"]"_s
                                 << u"Question"_s << u"Answer"_s << u":"_s;
        QTest::newRow("dot") << u"format/choice_format=dot"_s << upper << QString() << u"."_s << u"Question"_s
                             << u"Answer"_s << u":"_s;
        QTest::newRow("space") << u"format/choice_format=space"_s << upper << QString() << QString()
                               << u"Question"_s << u"Answer"_s << u":"_s;
        QTest::newRow("surveyor_respondent")
            << u"format/surveyor_respondent=surveyor_respondent"_s << upper << u"("_s << u")"_s
            << u"Surveyor"_s << u"Respondent"_s << u":"_s;
        QTest::newRow("interviewer") << u"format/surveyor_respondent=interviewer_interviewee"_s << upper
                                     << u"("_s << u")"_s << u"Interviewer"_s << u"Interviewee"_s << u":"_s;
        QTest::newRow("multiturn_chat") << u"format/surveyor_respondent=multiturn_chat"_s << upper << u"("_s
                                        << u")"_s << QString() << QString() << QString();
    }

    void readsFormatGroups()
    {
        QFETCH(QString, override);
        QFETCH(int, symbol);
        QFETCH(QString, left);
        QFETCH(QString, right);
        QFETCH(QString, surveyor);
        QFETCH(QString, respondent);
        QFETCH(QString, connector);
        const Result<SurveyConfig> config =
            loadSurvey({kConfigs}, u"surveys/survey_config"_s,
                       override.isEmpty() ? QStringList() : QStringList{override});
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().toString()));
        QCOMPARE(int(config->format.symbol), symbol);
        QCOMPARE(config->format.choice.leftSymbol, left);
        QCOMPARE(config->format.choice.rightSymbol, right);
        QCOMPARE(config->format.roles.surveyor, surveyor);
        QCOMPARE(config->format.roles.respondent, respondent);
        QCOMPARE(config->format.roles.connector, connector);
        QCOMPARE(config->format.roles.isMultiturnChat(), surveyor.isEmpty());
    }

    void readsSpecialPromptsAndProfiles_data()
    {
        QTest::addColumn<QStringList>("overrides");
        QTest::addColumn<QString>("provider");
        QTest::addColumn<bool>("chat");
        QTest::addColumn<QString>("keyEnv");
        QTest::addColumn<bool>("consistencyEmpty");
        QTest::newRow("vllm") << QStringList{} << u"localhost"_s << false << QString() << false;
        QTest::newRow("together") << QStringList{u"llm_parameters=together_completions"_s} << u"together"_s
                                  << false << u"TOGETHER_API_KEY"_s << false;
        QTest::newRow("openai chat") << QStringList{u"llm_parameters=openai_chat"_s} << u"openai"_s << true
                                     << u"OPENAI_API_KEY"_s << false;
        QTest::newRow("llama.cpp") << QStringList{u"llm_parameters=llamacpp_localhost"_s} << u"llamacpp"_s
                                   << false << QString() << false;
        QTest::newRow("ollama") << QStringList{u"llm_parameters=ollama_localhost"_s} << u"ollama"_s << false
                                << QString() << false;
        QTest::newRow("no prompt") << QStringList{u"special_prompt=no_prompt"_s} << u"localhost"_s << false
                                   << QString() << true;
        QTest::newRow("cot prompt") << QStringList{u"special_prompt=cot_prompt"_s} << u"localhost"_s << false
                                    << QString() << false;
    }

    void readsSpecialPromptsAndProfiles()
    {
        QFETCH(QStringList, overrides);
        QFETCH(QString, provider);
        QFETCH(bool, chat);
        QFETCH(QString, keyEnv);
        QFETCH(bool, consistencyEmpty);
        const Result<SurveyConfig> config = loadSurvey({kConfigs}, u"surveys/survey_config"_s, overrides);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().toString()));
        QVERIFY2(config->warnings.isEmpty(), qPrintable(describe(config->warnings)));
        QCOMPARE(config->llm.apiProvider, provider);
        QCOMPARE(config->llm.chat, chat);
        QCOMPARE(config->llm.apiKeyEnv, keyEnv);
        QCOMPARE(config->run.consistencyPrompt.isEmpty(), consistencyEmpty);
    }

    void readsReferenceLayoutRun()
    {
        const Result<SurveyConfig> config = loadSurvey({kLayout}, u"run_config"_s);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().toString()));
        QVERIFY2(config->warnings.isEmpty(), qPrintable(describe(config->warnings)));
        QCOMPARE(config->questionnaireName, u"ATP"_s);
        QCOMPARE(config->questionnaire.wave, 1);
        QCOMPARE(config->wave, 1);
        QCOMPARE(config->questionnaire.questions.size(), 2);
        const Question &park = config->questionnaire.questions.first();
        QCOMPARE(park.id, u"PARK1_W1"_s);
        QVERIFY(park.allowRandomization);
        QCOMPARE(park.randomizationPatterns, (QList<QList<int>>{{0, 1, 2, 3}, {3, 2, 1, 0}}));
        QCOMPARE(config->run.seed, 7);
        QCOMPARE(config->run.numProcesses, 2);
        QCOMPARE(config->run.freq, 5);
        QVERIFY(config->run.includeComplianceForcing);
        QVERIFY(config->run.randomizeOptionOrder);
        QVERIFY(!config->run.randomizeQuestionOrder);
        QCOMPARE(config->baseline.traitOfInterest, (QStringList{u"income"_s, u"age"_s}));
        QCOMPARE(config->baseline.surveyDemographicsMetadataPath, u"data/W1_metadata.json"_s);
        QVERIFY(config->baseline.surveyDataPath.isEmpty());
        QCOMPARE(config->llm.modelName, u"test-model"_s);
        QCOMPARE(config->llm.maxTokens, 128);
        QVERIFY(config->hasBackstories);
        QCOMPARE(config->backstories.numBackstories, -1);
        // special_prompt is the explicit group, so it wins over the questionnaire's own copy.
        QCOMPARE(config->run.consistencyPrompt,
                 u"Please answer the following question keeping in mind your previous answers."_s);
    }

    void questionnaireRunKeysFollowOverrides()
    {
        const Result<SurveyConfig> config =
            loadSurvey({kLayout}, u"run_config"_s,
                       {u"questionnaire.ATP.in_series=false"_s, u"~special_prompt"_s,
                        u"questionnaire.ATP.randomize_question_order=true"_s});
        QVERIFY(config.ok());
        QVERIFY(!config->run.inSeries);
        QVERIFY(config->run.randomizeQuestionOrder);
        QCOMPARE(config->run.consistencyPrompt, u"Keep your earlier answers in mind."_s);
    }

    void readsReferenceLayoutDemographicsAndAnalysis()
    {
        const Result<SurveyConfig> demographics = loadSurvey({kLayout}, u"demographics_run"_s);
        QVERIFY2(demographics.ok(),
                 qPrintable(demographics.ok() ? QString() : demographics.error().toString()));
        QVERIFY2(demographics->warnings.isEmpty(), qPrintable(describe(demographics->warnings)));
        QCOMPARE(demographics->demographics.traits.size(), 2);
        QVERIFY(demographics->demographics.traits.first().isNumerical);
        QVERIFY(!demographics->demographics.traits.last().isNumerical);
        QVERIFY(demographics->run.useLlmAsParser);
        QCOMPARE(demographics->run.numSampleResponse, 40);
        QCOMPARE(demographics->llmParser->baseUrl, u"https://parser.example/v1"_s);
        QCOMPARE(demographics->llmParser->temperature, 0.0);
        QVERIFY(!demographics->llmParser->logprobs.has_value());
        QCOMPARE(demographics->llmParser->topLogprobs, std::optional<int>(0));

        const Result<SurveyConfig> analysis = loadSurvey({kLayout}, u"analysis_run"_s);
        QVERIFY2(analysis.ok(), qPrintable(analysis.ok() ? QString() : analysis.error().toString()));
        QVERIFY2(analysis->warnings.isEmpty(), qPrintable(describe(analysis->warnings)));
        QCOMPARE(analysis->questionnaire.humanDataPath, u"data/W1.sav"_s);
        QVERIFY(analysis->questionnaire.demographicsMetadataPath.isEmpty());
        QVERIFY(analysis->questionnaire.questions.first().randomizationPatterns.isEmpty());
    }

    void rejectsBadTypes_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("message");
        const QByteArray q =
            "questionnaire:\n  X:\n    wave: 1\n    questions:\n      Q1:\n        question_body: Why?\n";
        QTest::newRow("temperature word")
            << "llm_parameters:\n  temperature: hot\n"_ba << 2 << 16 << u"llm_parameters.temperature"_s
            << u"expected a number between 0 and 2, got 'hot'"_s;
        QTest::newRow("temperature range")
            << "llm_parameters:\n  temperature: 3\n"_ba << 2 << 16 << u"llm_parameters.temperature"_s
            << u"expected a number between 0 and 2"_s;
        QTest::newRow("top_p range") << "llm_parameters:\n  top_p: 1.5\n"_ba << 2 << 10
                                     << u"llm_parameters.top_p"_s << u"expected a number between 0 and 1"_s;
        QTest::newRow("max_tokens zero")
            << "llm_parameters:\n  max_tokens: 0\n"_ba << 2 << 15 << u"llm_parameters.max_tokens"_s
            << u"expected an integer between 1 and"_s;
        QTest::newRow("logprobs list") << "llm_parameters:\n  logprobs: [1]\n"_ba << 2 << 3
                                       << u"llm_parameters.logprobs"_s << u"or false"_s;
        QTest::newRow("llm not a map")
            << "llm_parameters: fast\n"_ba << 1 << 17 << u"llm_parameters"_s << u"expected a map"_s;
        QTest::newRow("symbol") << "format:\n  mcq_symbol:\n    symbol: greek\n"_ba << 3 << 13
                                << u"format.mcq_symbol.symbol"_s
                                << u"expected one of uppercase, lowercase, number"_s;
        QTest::newRow("left_symbol list") << "format:\n  choice_format:\n    left_symbol: [a]\n"_ba << 3 << 5
                                          << u"format.choice_format.left_symbol"_s << u"expected a string"_s;
        QTest::newRow("questions missing")
            << "questionnaire:\n  X:\n    wave: 1\n    questions:\n"_ba << 4 << 5
            << u"questionnaire.X.questions"_s << u"expected a non-empty map"_s;
        QTest::newRow("question_body missing")
            << "questionnaire:\n  X:\n    questions:\n      Q1:\n        choices: [a]\n"_ba << 4 << 7
            << u"questionnaire.X.questions.Q1.question_body"_s << u"the key is missing"_s;
        QTest::newRow("choices empty")
            << q + "        choices: []\n"
            << 7 << 9 << u"questionnaire.X.questions.Q1.choices"_s << u"expected a non-empty list"_s;
        QTest::newRow("choice empty string")
            << q + "        choices: [a, \"\"]\n"
            << 7 << 22 << u"questionnaire.X.questions.Q1.choices.1"_s << u"expected a non-empty string"_s;
        QTest::newRow("pattern repeats")
            << q + "        choices: [a, b]\n        randomization_pattern: [[0, 0]]\n"
            << 8 << 37 << u"questionnaire.X.questions.Q1.randomization_pattern.0.1"_s
            << u"expected a permutation of 0..1"_s;
        QTest::newRow("pattern length")
            << q + "        choices: [a, b]\n        randomization_pattern: [[0, 1, 2]]\n"
            << 8 << 33 << u"questionnaire.X.questions.Q1.randomization_pattern.0"_s
            << u"expected a permutation of 0..1"_s;
        QTest::newRow("allow_randomization word")
            << q + "        choices: [a]\n        allow_randomization: maybe\n"
            << 8 << 30 << u"questionnaire.X.questions.Q1.allow_randomization"_s
            << u"expected true or false"_s;
        QTest::newRow("wave text") << "questionnaire:\n  X:\n    wave: W34\n    questions: {}\n"_ba << 3 << 11
                                   << u"questionnaire.X.wave"_s << u"expected an integer"_s;
        QTest::newRow("trait type")
            << "questionnaire:\n  demographics:\n    age:\n      type: open_ended\n"_ba << 4 << 13
            << u"questionnaire.demographics.age.type"_s << u"expected one of multiple_choice"_s;
        QTest::newRow("trait without question")
            << "questionnaire:\n  demographics:\n    age:\n      choices: [a]\n"_ba << 3 << 5
            << u"questionnaire.demographics.age.question"_s << u"the key is missing"_s;
        QTest::newRow("bio_template without label")
            << "questionnaire:\n  demographics:\n    age:\n      question: Age?\n      choices: [a]\n      bio_template: I am old.\n"_ba
            << 6 << 21 << u"questionnaire.demographics.age.bio_template"_s << u"containing {label}"_s;
        QTest::newRow("is_numerical")
            << "questionnaire:\n  demographics:\n    age:\n      question: Age?\n      is_numerical: 2\n"_ba
            << 5 << 21 << u"questionnaire.demographics.age.is_numerical"_s << u"expected true or false"_s;
        QTest::newRow("num_backstories")
            << "backstories:\n  num_backstories: -2\n"_ba << 2 << 20 << u"backstories.num_backstories"_s
            << u"expected an integer between -1 and"_s;
        QTest::newRow("backstory_type")
            << "backstories:\n  backstory_type: novel\n"_ba << 2 << 19 << u"backstories.backstory_type"_s
            << u"expected one of self_generated, ANES"_s;
        QTest::newRow("shuffle") << "backstories:\n  shuffle: sometimes\n"_ba << 2 << 12
                                 << u"backstories.shuffle"_s << u"expected true or false"_s;
        QTest::newRow("num_processes") << "num_processes: 0\n"_ba << 1 << 16 << u"num_processes"_s
                                       << u"expected an integer between 1 and"_s;
        QTest::newRow("random_seed") << "random_seed: 4.5\n"_ba << 1 << 14 << u"random_seed"_s
                                     << u"expected an integer"_s;
        QTest::newRow("debug") << "debug: loud\n"_ba << 1 << 8 << u"debug"_s << u"expected true or false"_s;
        QTest::newRow("text_rule") << "text_rule: strict\n"_ba << 1 << 12 << u"text_rule"_s
                                   << u"expected one of ours, seed"_s;
        QTest::newRow("prompt_style") << "prompt_style: essay\n"_ba << 1 << 15 << u"prompt_style"_s
                                      << u"expected one of qa, qa_freeform, bio, portray, nothing"_s;
        QTest::newRow("trait_of_interest") << "trait_of_interest: age\n"_ba << 1 << 20
                                           << u"trait_of_interest"_s << u"expected a list of strings"_s;
        QTest::newRow("backstory_question missing")
            << "self_generate:\n  surveyor: Q\n"_ba << 1 << 1 << u"self_generate.backstory_question"_s
            << u"the key is missing"_s;
        QTest::newRow("special_prompt list")
            << "special_prompt: [a]\n"_ba << 1 << 1 << u"special_prompt"_s << u"expected a map"_s;
    }

    void rejectsBadTypes()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, key);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const Result<SurveyConfig> config = validateText(dir, yaml);
        QVERIFY(!config.ok());
        const Error &e = config.error();
        QVERIFY2(e.message.contains(message), qPrintable(e.toString()));
        QCOMPARE(e.file, dir.filePath(u"bad.yaml"_s));
        QCOMPARE(e.key, key);
        QCOMPARE(e.line, line);
        QCOMPARE(e.column, column);
    }

    void warnsUnknownKeys_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("message");
        QTest::newRow("top level") << "debug: false\ncolour: blue\n"_ba << 2 << u"colour"_s
                                   << u"unknown key"_s;
        QTest::newRow("llm") << "llm_parameters:\n  stop: x\n"_ba << 2 << u"llm_parameters.stop"_s
                             << u"unknown key"_s;
        // A literal api_key is refused outright (TestConfigChecks); the reference's empty one passes.
        QTest::newRow("foreign key in llm_parameters")
            << "llm_parameters:\n  server_notes: rack 4\n"_ba << 2 << u"llm_parameters.server_notes"_s
            << u"unknown key"_s;
        QTest::newRow("question")
            << "questionnaire:\n  X:\n    questions:\n      Q1:\n        question_body: Why?\n"
               "        choices: [a]\n        notes: none\n"_ba
            << 7 << u"questionnaire.X.questions.Q1.notes"_s << u"unknown key"_s;
        QTest::newRow("choice format") << "format:\n  choice_format:\n    middle: x\n"_ba << 3
                                       << u"format.choice_format.middle"_s << u"unknown key"_s;
        QTest::newRow("unknown map at its key")
            << "debug: false\nextra:\n  a: 1\n"_ba << 2 << u"extra"_s << u"unknown key"_s;
        QTest::newRow("format group")
            << "format:\n  colour: x\n"_ba << 2 << u"format.colour"_s << u"unknown key"_s;
        QTest::newRow("trait") << "questionnaire:\n  demographics:\n    age:\n      question: Age?\n"
                                  "      choices: [a, Prefer not to answer]\n      hint: x\n"_ba
                               << 6 << u"questionnaire.demographics.age.hint"_s << u"unknown key"_s;
        QTest::newRow("refusal not last")
            << "questionnaire:\n  demographics:\n    age:\n      question: Age?\n"
               "      choices: [a, b]\n"_ba
            << 5 << u"questionnaire.demographics.age.choices"_s << u"Prefer not to answer"_s;
        QTest::newRow("randomization without patterns")
            << "questionnaire:\n  X:\n    questions:\n      Q1:\n        question_body: Why?\n"
               "        choices: [a]\n        allow_randomization: true\n"_ba
            << 7 << u"questionnaire.X.questions.Q1.allow_randomization"_s << u"no randomization_pattern"_s;
        QTest::newRow("seed disagreement")
            << "seed: 1\nrandom_seed: 2\n"_ba << 2 << u"random_seed"_s << u"differ"_s;
    }

    void warnsUnknownKeys()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QFETCH(QString, key);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const Result<SurveyConfig> config = validateText(dir, yaml);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().toString()));
        QCOMPARE(config->warnings.size(), 1);
        const Error &w = config->warnings.first();
        QCOMPARE(w.file, dir.filePath(u"bad.yaml"_s));
        QCOMPARE(w.line, line);
        QCOMPARE(w.key, key);
        QVERIFY2(w.message.contains(message), qPrintable(w.toString()));
    }

    void readsSeedBehaviours()
    {
        QTemporaryDir dir;
        const Result<SurveyConfig> config =
            validateText(dir, "text_rule: seed\nlabel_match: seed\nforcing_symbols: seed\nseed: 3\n");
        QVERIFY(config.ok());
        QCOMPARE(config->run.textRule, Behaviour::Seed);
        QCOMPARE(config->run.labelMatch, Behaviour::Seed);
        QCOMPARE(config->format.forcing, Behaviour::Seed);
        QCOMPARE(config->run.seed, 3);
    }

    // With ANTHOLOGY_REFERENCE_CONFIGS naming a checkout's configs/ folder, every primary config
    // there must load as is (groups it lacks come from ours) and validate; unknown keys only warn.
    void loadsReferenceCheckout()
    {
        const QString root = qEnvironmentVariable("ANTHOLOGY_REFERENCE_CONFIGS");
        if (root.isEmpty())
            QSKIP("set ANTHOLOGY_REFERENCE_CONFIGS to a reference checkout's configs/ folder");
        int loaded = 0;
        for (const QString &sub : {u"surveys"_s, u"generate_backstory"_s, u"analysis"_s}) {
            const QDir dir(root + u'/' + sub);
            for (const QString &file : dir.entryList({u"*.yaml"_s}, QDir::Files, QDir::Name)) {
                const QString name = file.chopped(5);
                const Result<SurveyConfig> config = loadSurvey({dir.path()}, name);
                QVERIFY2(config.ok(), qPrintable(sub + u'/' + name + u": "_s +
                                                 (config.ok() ? QString() : config.error().toString())));
                if (!config->warnings.isEmpty())
                    qInfo().noquote() << sub + u'/' + name << describe(config->warnings);
                ++loaded;
            }
        }
        QVERIFY(loaded > 0);
    }

    void readsGenerateBackstoryConfig()
    {
        const Result<SurveyConfig> config = loadSurvey({kConfigs}, u"generate_backstory/config"_s);
        QVERIFY(config.ok());
        QVERIFY(config->hasSelfGenerate);
        QCOMPARE(config->selfGenerate.roles.surveyor, u"Question"_s);
        QCOMPARE(config->selfGenerate.preambleQuestion, u"Are you a US citizen?"_s);
        QVERIFY(config->selfGenerate.backstoryQuestion.startsWith(u"Tell me about yourself."_s));
        QCOMPARE(config->selfGenerate.numBackstories, 100);
        QCOMPARE(config->llm.maxTokens, 1500);
    }
};

QTEST_GUILESS_MAIN(TestConfigSchema)
#include "TestConfigSchema.moc"
