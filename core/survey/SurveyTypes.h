#pragma once

// Plain value types shared by the config layer (which fills them from YAML) and the
// prompt/parsing layer (which reads them). No behaviour here; see METHOD.md sections 2-5.

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace anthology {

enum class SymbolSet { Uppercase, Lowercase, Number };

// format/choice_format: curved_bracket "(" ")", bracket "[" "]", dot "" ".", space "" "".
struct ChoiceFormat
{
    QString leftSymbol = QStringLiteral("(");
    QString rightSymbol = QStringLiteral(")");
};

// format/surveyor_respondent. multiturn_chat has all three empty: turns become chat messages.
struct RoleFormat
{
    QString surveyor = QStringLiteral("Question");
    QString respondent = QStringLiteral("Answer");
    QString connector = QStringLiteral(":");

    bool isMultiturnChat() const { return surveyor.isEmpty() && respondent.isEmpty() && connector.isEmpty(); }
};

// Where METHOD.md names a seed behaviour and ours, the seed one stays reachable for replays.
enum class Behaviour { Ours, Seed };

struct McqFormat
{
    SymbolSet symbol = SymbolSet::Uppercase;
    ChoiceFormat choice;
    RoleFormat roles;
    Behaviour forcing = Behaviour::Ours; // answer-forcing symbols: seed always "(A)"
};

struct Question
{
    QString id;   // e.g. FUD37A_W34
    QString body; // question_body
    QStringList choices;
    bool allowRandomization = false;
    QList<QList<int>> randomizationPatterns; // each a permutation of 0..K-1
};

struct Questionnaire
{
    int wave = 0;
    QList<Question> questions; // in file order
    QString humanDataPath;
    QString demographicsMetadataPath;

    const Question *find(const QString &id) const
    {
        for (const Question &q : questions)
            if (q.id == id)
                return &q;
        return nullptr;
    }
};

struct DemographicQuestion
{
    QString key;      // trait key, e.g. age_category_4
    QString question; // question text
    bool isNumerical = false;
    QStringList choices; // last one "Prefer not to answer"
    QString llmParserQuestion;
    QString topic;       // portray style: "{topic}: {label}"; empty -> derived from key
    QString bioTemplate; // bio style: first-person sentence with "{label}", e.g. "My age is {label}."
};

struct DemographicQuestionnaire
{
    QList<DemographicQuestion> traits; // in file order
};

// One more server of the same model for a run, with its own limits (llm_parameters.base_urls).
struct LlmEndpoint
{
    QString baseUrl;
    std::optional<int> maxInFlight; // unset: the run's in-flight limit
    std::optional<int> requestsPerMinute;
    std::optional<int> tokensPerMinute;
};

struct LlmParameters
{
    QString modelName;
    QString apiProvider =
        QStringLiteral("localhost"); // openai, together, localhost, ollama, llamacpp, or a URL
    QString baseUrl;
    QString apiKeyEnv;
    QString systemPrompt; // chat profiles
    bool chat = false;
    double temperature = 1.0;
    double topP = 1.0;
    int maxTokens = 256;
    std::optional<int> logprobs;
    std::optional<int> topLogprobs;
    std::optional<int> seed;
    // Endpoint limits and costs (all optional; the LLM client adapts when a server refuses).
    std::optional<double> pricePer1kPromptTokens;
    std::optional<double> pricePer1kCompletionTokens;
    std::optional<int> requestsPerMinute;
    std::optional<int> tokensPerMinute;
    std::optional<int> maxN;        // largest n the server accepts per request
    std::optional<int> maxLogprobs; // largest logprobs / top_logprobs the server accepts
    bool allowInsecure = false;     // permit sending an API key over plain http to a remote host
    // Several servers of the model at once (base_urls); the client spreads requests over them.
    // With base_url empty the first entry is the primary endpoint.
    QList<LlmEndpoint> endpoints;
    std::optional<int> maxInFlight; // the primary endpoint's own in-flight cap
    // How long to wait and how often to try (unset: the client's defaults). None changes an item.
    std::optional<double> requestTimeoutS;     // per attempt, whole answer
    std::optional<double> stallTimeoutS;       // per attempt, no byte from the server
    std::optional<double> unreachableTimeoutS; // no answer at all yet: stop the run after this long
    std::optional<int> maxRetries;             // retries after the first attempt
};

struct BackstorySource
{
    QString backstoryPath;
    QString backstoryType = QStringLiteral("self_generated"); // or ANES
    int numBackstories = -1;                                  // -1: all
    bool shuffle = false;
};

struct RunOptions
{
    int numProcesses = 1;
    int seed = 42;
    int freq = 10;
    bool debug = false;
    QString outputDataName;
    QString saveDir;
    bool includeComplianceForcing = false;
    int numberComplianceForcing = 100;
    bool inSeries = true;
    bool randomizeOptionOrder = false;
    bool randomizeQuestionOrder = false;
    bool includeAnswerForcing = true;
    int numSampleResponse = 40;
    bool usePreferNotToAnswer = true;
    bool useLlmAsParser = false;
    QString consistencyPrompt;              // special_prompt.consistency_prompt; empty when none
    Behaviour textRule = Behaviour::Ours;   // answer parser: overlapping labels
    Behaviour labelMatch = Behaviour::Ours; // seed: labels as regular expressions
};

} // namespace anthology
