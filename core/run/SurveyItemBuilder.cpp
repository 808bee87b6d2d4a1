#include "run/SurveyItemBuilder.h"

#include "backstories/BackstoryStore.h"
#include "llm/LlmRequest.h"
#include "llm/LlmResponse.h"
#include "prompt/AnswerParser.h"
#include "prompt/AtpPromptBuilder.h"
#include "prompt/LogprobReader.h"
#include "prompt/OptionOrder.h"
#include "run/PersonaPassage.h"
#include "run/RunTypes.h"
#include "run/SurveyChain.h"
#include "util/CompactJsonWriter.h"
#include "util/SeededRandom.h"


using namespace Qt::StringLiterals;

namespace anthology {

struct SurveyItemBuilder::Prompts
{
    AtpPromptBuilder atp;
    // The last text of each question (by index), with the order and position it was built for:
    // a run asks every persona the same questions, mostly in the same order.
    struct Built
    {
        QList<int> pattern;
        int position = -1;
        QString text;
    };
    QList<Built> lastText;
    // The last answer parser of each question (by index), with the option order it reads: the
    // same for every persona whose order it was (all of them when options are not shuffled).
    struct Parsing
    {
        QList<int> pattern;
        std::unique_ptr<AnswerParser> parser;
    };
    std::vector<Parsing> lastParser;
};

SurveyItemBuilder::SurveyItemBuilder(SurveyPlan plan) : m_plan(std::move(plan))
{
    for (int i = 0; i < m_plan.questionnaire.questions.size(); ++i)
        m_questionIndex.insert(m_plan.questionnaire.questions[i].id, i);
    AtpPromptOptions options;
    options.consistencyPrompt = m_plan.options.consistencyPrompt;
    options.includeAnswerForcing = m_plan.options.includeAnswerForcing;
    options.inSeries = m_plan.options.inSeries;
    options.noConditioning = m_plan.noConditioning;
    m_prompts = std::make_unique<Prompts>(Prompts{AtpPromptBuilder(options), {}, {}});
    m_prompts->lastText.resize(m_plan.questionnaire.questions.size());
    m_prompts->lastParser.resize(size_t(m_plan.questionnaire.questions.size()));
}

SurveyItemBuilder::~SurveyItemBuilder() = default;

const Question *SurveyItemBuilder::question(const QString &id) const
{
    const auto it = m_questionIndex.constFind(id);
    return it == m_questionIndex.constEnd() ? nullptr : &m_plan.questionnaire.questions[*it];
}

QList<int> SurveyItemBuilder::questionOrder(const QString &persona) const
{
    return AtpPromptBuilder::questionOrder(int(m_plan.questionnaire.questions.size()),
                                           m_plan.options.inSeries, m_plan.options.randomizeQuestionOrder,
                                           quint64(m_plan.options.seed), persona);
}

Result<OptionOrder> SurveyItemBuilder::optionOrder(const Question &question, const QString &persona) const
{
    return OptionOrder::draw(question, m_plan.options.randomizeOptionOrder, quint64(m_plan.options.seed),
                             persona);
}

// The kept texts and parsers are per question of the plan: a question from elsewhere with the
// same id has none.
qsizetype SurveyItemBuilder::planIndex(const Question &question) const
{
    const auto index = m_questionIndex.constFind(question.id);
    return index != m_questionIndex.constEnd() && &m_plan.questionnaire.questions[*index] == &question
               ? *index
               : -1;
}

QString SurveyItemBuilder::questionText(const Question &question, const OptionOrder &order,
                                        int position) const
{
    const qsizetype index = planIndex(question);
    Prompts::Built *last = index >= 0 ? &m_prompts->lastText[index] : nullptr;
    if (last && last->position == position && last->pattern == order.pattern())
        return last->text;
    const QStringList shown = order.apply(question.choices);
    QString text = m_plan.llm.chat ? m_prompts->atp.chatQuestion(question.body, shown, position)
                                   : m_prompts->atp.question(question.body, shown, position);
    if (last)
        *last = {order.pattern(), position, text};
    return text;
}

qint64 SurveyItemBuilder::seedFor(const QString &persona, const QString &question, int sample) const
{
    const quint64 base = seedBase(m_plan.llm, m_plan.options.seed);
    return derivedSeed(base, persona, question, sample);
}

LlmRequest SurveyItemBuilder::request(const PromptText &prompt, const QString &persona,
                                      const QString &question, int sample) const
{
    LlmRequest r = baseRequest(prompt, m_plan.llm, AtpPromptBuilder::stops());
    if (r.chat ? m_plan.llm.topLogprobs.has_value() : m_plan.llm.logprobs.has_value())
        r.logprobs = r.chat ? m_plan.llm.topLogprobs : m_plan.llm.logprobs;
    else if (m_plan.llm.logprobs || m_plan.llm.topLogprobs)
        r.logprobs = m_plan.llm.logprobs ? m_plan.llm.logprobs : m_plan.llm.topLogprobs;
    r.seed = seedFor(persona, question, sample);
    return r;
}

Result<LlmRequest> SurveyItemBuilder::independentRequest(const BackstoryStore &store, const StoredItem &item)
{
    const Question *q = question(item.question);
    if (!q)
        return Error::user(u"question '%1' is not in the run's questionnaire"_s.arg(item.question));
    Result<QString> passage = passageOnce(item.persona, item.personaRevision,
                                          [&] { return passageFor(store, item.persona, item.personaRevision); });
    if (!passage)
        return Error::user(u"cannot read the persona's backstory: "_s + passage.error().message);
    Result<OptionOrder> order = optionOrder(*q, item.persona);
    if (!order)
        return order.error();
    return request(independentPrompt(*passage, *q, *order, item.position), item.persona, item.question,
                   item.sample);
}

int SurveyItemBuilder::maxReasks() const
{
    return m_plan.options.includeComplianceForcing ? qMax(0, m_plan.options.numberComplianceForcing) : 0;
}

int SurveyItemBuilder::reaskSample(int baseSample, int reask) const
{
    if (reask <= 0)
        return baseSample;
    return m_plan.samples + baseSample * qMax(1, maxReasks()) + reask - 1;
}

void SurveyItemBuilder::readAnswer(const Question &question, const OptionOrder &order,
                                   const LlmResponse &response, ItemResult &result) const
{
    if (response.choices.isEmpty()) {
        result.compliant = false;
        return;
    }
    const LlmChoice &choice = response.choices.first();
    result.rawAnswer = choice.text;
    const ParsedAnswer parsed = parseAnswer(question, order, choice.text);
    result.compliant = parsed.compliant;
    result.option = parsed.compliant ? parsed.option : -1;
    result.parsedAnswer = parsed.compliant && parsed.option >= 0 && parsed.option < question.choices.size()
                              ? question.choices[parsed.option]
                              : QString();
    if (choice.hasLogprobs && !choice.logprobs.isEmpty()) {
        QList<TokenLogprobs> positions;
        positions.reserve(choice.logprobs.size());
        for (const TokenLogprob &t : choice.logprobs) {
            TokenLogprobs p{t.token, t.logprob, {}};
            p.top.reserve(t.top.size());
            for (const auto &alt : t.top)
                p.top.append({alt.first, alt.second});
            positions.append(p);
        }
        const OptionDistribution d =
            LogprobReader(SymbolSet::Uppercase, int(question.choices.size())).read(positions);
        result.distribution =
            distributionJson(d.position, order.toOriginal(d.probabilities), d.recognizedMass, d.unassignedMass);
    }
}

ParsedAnswer SurveyItemBuilder::parseAnswer(const Question &question, const OptionOrder &order,
                                            QStringView text) const
{
    const qsizetype index = planIndex(question);
    Prompts::Parsing *last = index >= 0 ? &m_prompts->lastParser[size_t(index)] : nullptr;
    if (last && last->parser && last->pattern == order.pattern())
        return last->parser->parse(text);
    // The prompt always marks choices "(A)", whatever format/mcq_symbol says (AtpPromptBuilder).
    AnswerParserOptions options;
    options.symbols = SymbolSet::Uppercase;
    options.textRule = m_plan.options.textRule;
    options.labelMatch = m_plan.options.labelMatch;
    auto parser = std::make_unique<AnswerParser>(order.apply(question.choices), options, order);
    ParsedAnswer parsed = parser->parse(text);
    if (last)
        *last = {order.pattern(), std::move(parser)};
    return parsed;
}

QByteArray SurveyItemBuilder::distributionJson(int position, const QList<double> &probabilities,
                                               double recognizedMass, double unassignedMass)
{
    // The bytes QJsonDocument wrote from a QJsonObject, without building one (per item of a run).
    CompactJsonWriter w(128);
    w.beginObject().key("position").integer(position).key("probabilities").beginArray();
    for (double p : probabilities)
        w.number(p);
    w.endArray().key("recognized_mass").number(recognizedMass).key("unassigned_mass").number(unassignedMass);
    return w.endObject().take();
}

namespace {

// A persona's pass through the questionnaire: each question in its option order, after the
// passage and the answers before it.
class SurveyConversationChain : public RunConversation
{
public:
    SurveyConversationChain(const SurveyItemBuilder &builder, QString persona, const QString &passage)
        : m_builder(builder), m_persona(std::move(persona)),
          m_chain(true, builder.plan().llm.chat, builder.plan().llm.systemPrompt, passage)
    {
    }

    Result<PromptText> next(const QString &questionId, int position) override
    {
        const Question *question = m_builder.question(questionId);
        if (!question)
            return Error::user(u"question '%1' is not in the run's questionnaire"_s.arg(questionId));
        Result<OptionOrder> order = m_builder.optionOrder(*question, m_persona);
        if (!order)
            return order.error();
        return m_chain.next(m_builder.questionText(*question, *order, position));
    }
    void recordAnswer(const QString &raw) override { m_chain.recordAnswer(raw); }

private:
    const SurveyItemBuilder &m_builder;
    QString m_persona;
    SurveyChain m_chain;
};

} // namespace

Result<std::unique_ptr<RunConversation>>
SurveyItemBuilder::conversation(const BackstoryStore &store, const QString &persona, int revision) const
{
    Result<QString> passage = passageFor(store, persona, revision);
    if (!passage)
        return Error::user(u"cannot read the persona's backstory: "_s + passage.error().message);
    return conversationFor(persona, *passage);
}

std::unique_ptr<RunConversation> SurveyItemBuilder::conversationFor(const QString &persona,
                                                                    const QString &passage) const
{
    return std::make_unique<SurveyConversationChain>(*this, persona, passage);
}

PromptText SurveyItemBuilder::independentPrompt(const QString &passage, const Question &question,
                                                const OptionOrder &order, int position) const
{
    SurveyChain chain(false, m_plan.llm.chat, m_plan.llm.systemPrompt, passage);
    return chain.next(questionText(question, order, position));
}

Result<QList<PreviewPrompt>> SurveyItemBuilder::preview(const QString &persona, const QString &passage,
                                                        const std::function<QString(const QString &)> &answer) const
{
    const std::unique_ptr<RunConversation> chain = conversationFor(persona, passage);
    const QList<int> order = questionOrder(persona);
    QList<PreviewPrompt> out;
    for (int pos = 0; pos < order.size(); ++pos) {
        const Question &q = m_plan.questionnaire.questions[order[pos]];
        Result<OptionOrder> options = optionOrder(q, persona);
        if (!options)
            return options.error();
        PreviewPrompt p{q.id, {}, options->pattern()};
        if (m_plan.options.inSeries) {
            Result<PromptText> text = chain->next(q.id, pos);
            if (!text)
                return text.error();
            p.text = *text;
            chain->recordAnswer(answer(q.id));
        } else {
            p.text = independentPrompt(passage, q, *options, pos);
        }
        out.append(p);
    }
    return out;
}

void SurveyItemBuilder::readAnswer(const QString &persona, const QString &questionId,
                                   const LlmResponse &response, ItemResult &result) const
{
    const Question *q = question(questionId);
    if (!q)
        return;
    Result<OptionOrder> order = optionOrder(*q, persona);
    if (order)
        readAnswer(*q, *order, response, result);
}

Result<QString> SurveyItemBuilder::passageAt(const BackstoryStore &store, const QString &uid, int revision)
{
    const std::optional<Backstory> current = store.get(uid);
    if (!current)
        return Error::user(u"backstory '%1' is not in the project"_s.arg(uid));
    if (current->revision == revision)
        return current->passage();
    Result<std::optional<QString>> old = store.textAtRevision(uid, revision);
    if (!old)
        return old.error();
    if (!old->has_value())
        return Error::user(u"backstory '%1' has no revision %2"_s.arg(uid).arg(revision));
    if (current->fullPassage && current->fullPassage->endsWith(current->text))
        return QString(current->fullPassage->chopped(current->text.size()) + **old);
    return **old;
}

Result<QString> SurveyItemBuilder::passageFor(const BackstoryStore &store, const QString &persona,
                                              int revision) const
{
    return PersonaPassage::passage(store, m_plan, persona, revision);
}

} // namespace anthology
