#include "run/DemographicsItemBuilder.h"

#include "llm/LlmRequest.h"
#include "llm/LlmResponse.h"
#include "prompt/AnswerParser.h"
#include "prompt/LogprobReader.h"
#include "run/DemographicsPrompts.h"
#include "run/RunTypes.h"
#include "run/SurveyItemBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace anthology {

DemographicsItemBuilder::DemographicsItemBuilder(DemographicsPlan plan) : m_plan(std::move(plan)) {}

LlmRequest DemographicsItemBuilder::request(const PromptText &prompt, const QString &persona,
                                            const QString &question, int sample) const
{
    LlmRequest r =
        baseRequest(prompt, m_plan.llm,
                    m_plan.parser || m_plan.llm.chat ? QStringList() : DemographicsPrompts(m_plan).stops());
    r.n = m_plan.parser ? 1 : qMax(1, m_plan.samples);
    if (m_plan.logprobRoute)
        r.logprobs = r.chat ? m_plan.llm.topLogprobs : m_plan.llm.logprobs;
    r.seed = seedFor(persona, question, sample);
    return r;
}

LlmRequest DemographicsItemBuilder::traitRequest(const QString &passage, const QString &persona,
                                                 const DemographicQuestion &trait) const
{
    return request(DemographicsPrompts(m_plan).prompt(passage, trait), persona, trait.key, 0);
}

Result<LlmRequest> DemographicsItemBuilder::independentRequest(const BackstoryStore &store, const StoredItem &item)
{
    const DemographicQuestion *trait = m_plan.trait(item.question);
    if (!trait)
        return Error::user(u"trait '%1' is not in the run's questionnaire"_s.arg(item.question));
    Result<QString> passage =
        passageOnce(item.persona, item.personaRevision,
                    [&] { return SurveyItemBuilder::passageAt(store, item.persona, item.personaRevision); });
    if (!passage)
        return Error::user(u"cannot read the persona's backstory: "_s + passage.error().message);
    return traitRequest(*passage, item.persona, *trait);
}

qint64 DemographicsItemBuilder::seedFor(const QString &persona, const QString &question, int sample) const
{
    const quint64 base = seedBase(m_plan.llm, m_plan.seed);
    return derivedSeed(base, persona, question, sample);
}

QByteArray DemographicsItemBuilder::distributionJson(const DemographicQuestion &trait,
                                                     const QList<int> &counts,
                                                     const QList<double> &probabilities,
                                                     const QString &source)
{
    QJsonArray countsJson, probabilitiesJson;
    for (int c : counts)
        countsJson.append(c);
    for (double p : probabilities)
        probabilitiesJson.append(p);
    return QJsonDocument(QJsonObject{{u"trait"_s, trait.key},
                                     {u"choices"_s, QJsonArray::fromStringList(trait.choices)},
                                     {u"counts"_s, countsJson},
                                     {u"probabilities"_s, probabilitiesJson},
                                     {u"source"_s, source}})
        .toJson(QJsonDocument::Compact);
}

QByteArray DemographicsItemBuilder::oneHotJson(const DemographicQuestion &trait, int index)
{
    QList<int> counts(trait.choices.size() + 1, 0);
    QList<double> probabilities(trait.choices.size() + 1, 0.0);
    counts[index] = 1;
    probabilities[index] = 1.0;
    return distributionJson(trait, counts, probabilities, u"llm_parser"_s);
}

void DemographicsItemBuilder::readAnswer(const QString &, const QString &question,
                                         const LlmResponse &response, ItemResult &result) const
{
    const DemographicQuestion *trait = m_plan.trait(question);
    result.compliant = false;
    if (!trait || response.choices.isEmpty())
        return;
    const DemographicsPrompts prompts(m_plan);
    const QStringList shown = prompts.shownChoices(*trait);
    AnswerParserOptions options;
    // The parser question forces "(A)"-style answers whatever the survey format says.
    options.symbols = m_plan.parser ? SymbolSet::Uppercase : m_plan.format.symbol;
    const AnswerParser parser(shown, options);
    result.rawAnswer = response.choices.first().text;

    if (m_plan.parser) {
        const ParsedAnswer parsed = parser.parse(result.rawAnswer);
        result.compliant = parsed.compliant;
        result.option = parsed.compliant ? parsed.option : -1;
        result.parsedAnswer = parsed.compliant ? shown.value(parsed.option) : QString();
        if (parsed.compliant && prompts.isMentioned(*trait, parsed.option))
            result.distribution = oneHotJson(*trait, parsed.option);
        return;
    }

    // Shown choices map back to the questionnaire's by label (only "Prefer not to answer" may be hidden).
    QList<int> toFull;
    for (const QString &label : shown)
        toFull.append(int(trait->choices.indexOf(label)));
    const qsizetype k = trait->choices.size();
    QList<int> counts(k + 1, 0);
    for (const LlmChoice &choice : response.choices) {
        const ParsedAnswer parsed = parser.parse(choice.text);
        const int full = parsed.compliant ? toFull.value(parsed.option, -1) : -1;
        ++counts[full >= 0 ? full : k];
    }
    const int total = int(response.choices.size());
    QList<double> probabilities(k + 1, 0.0);
    for (qsizetype i = 0; i <= k; ++i)
        probabilities[i] = double(counts[i]) / total;
    int modal = -1;
    for (qsizetype i = 0; i < k; ++i)
        if (counts[i] > 0 && (modal < 0 || counts[i] > counts[modal]))
            modal = int(i);
    result.compliant = modal >= 0;
    result.option = modal;
    result.parsedAnswer = modal >= 0 ? trait->choices[modal] : QString();
    QString source = u"sampling"_s;

    const LlmChoice &first = response.choices.first();
    if (m_plan.logprobRoute && first.hasLogprobs && !first.logprobs.isEmpty()) {
        QList<TokenLogprobs> positions;
        for (const TokenLogprob &t : first.logprobs) {
            TokenLogprobs p{t.token, t.logprob, {}};
            for (const auto &alt : t.top)
                p.top.append({alt.first, alt.second});
            positions.append(p);
        }
        const OptionDistribution d = LogprobReader(m_plan.format.symbol, int(shown.size())).read(positions);
        if (d.ok()) {
            probabilities.fill(0.0);
            for (qsizetype i = 0; i < d.probabilities.size(); ++i)
                if (toFull.value(i, -1) >= 0)
                    probabilities[toFull[i]] += d.probabilities[i];
            source = u"logprobs"_s;
        }
    }
    result.distribution = distributionJson(*trait, counts, probabilities, source);
}

} // namespace anthology
