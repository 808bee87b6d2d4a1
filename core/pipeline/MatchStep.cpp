#include "pipeline/MatchStep.h"

#include "data/DatasetStore.h"
#include "matching/CategoryMapLocator.h"
#include "matching/EdgeWeights.h"
#include "matching/GreedyMatcher.h"
#include "matching/MatchStore.h"
#include "matching/MaxWeightAssignment.h"
#include "matching/RandomMatcher.h"
#include "pipeline/DemographicResults.h"
#include "pipeline/RespondentTraits.h"
#include "project/ProjectFile.h"
#include "project/Transaction.h"
#include "prompt/DemographicPrefixBuilder.h"
#include "run/PersonaSetStore.h"
#include "run/RunStore.h"

#include <QJsonArray>
#include <QSet>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

Result<qint64> demographicsRunId(ProjectFile &project, const QString &ref)
{
    if (ref.trimmed().isEmpty())
        return Error::user(u"no demographics run given: set demographics_run to a run id or name"_s)
            .withKey(u"demographics_run"_s);
    bool isNumber = false;
    const qint64 id = ref.toLongLong(&isNumber);
    if (isNumber && id > 0)
        return id;
    Result<std::optional<qint64>> found = RunStore(project).findRun(u"demographics"_s, ref);
    if (!found)
        return found.error();
    if (!found->has_value())
        return Error::user(
                   u"no demographics run named '%1' in the project (see 'anthology run list')"_s.arg(ref))
            .withKey(u"demographics_run"_s);
    return **found;
}

PrefixStyle styleOf(const QString &style)
{
    if (style == u"qa_freeform"_s)
        return PrefixStyle::QaFreeform;
    if (style == u"bio"_s)
        return PrefixStyle::Bio;
    return PrefixStyle::Qa;
}

Result<MatchOutcome> reuse(ProjectFile &project, qint64 matchId)
{
    Result<MatchRecord> m = MatchStore(project).load(matchId);
    if (!m)
        return m.error();
    MatchOutcome out;
    out.matchId = matchId;
    out.reused = true;
    out.humans = int(m->pairs.size());
    QSet<QString> used;
    for (const StoredMatchPair &p : std::as_const(m->pairs))
        used.insert(p.backstoryUid);
    out.distinctPersonas = int(used.size());
    out.traits = m->traits;
    for (const QString &style : MatchStep::appendStyles())
        out.personaSets.append(MatchStep::setName(m->name, style));
    return out;
}

// Refusals that need nothing but the request: before any lookup or computation.
Status checkRequest(const ProjectFile &project, const MatchRequest &request)
{
    if (project.mode() != ProjectFile::Mode::ReadWrite)
        return Error::user(u"the project is open read-only"_s).withFile(project.path());
    if (!MatchStep::methods().contains(request.method))
        return Error::user(u"method must be one of %1, got '%2'"_s.arg(MatchStep::methods().join(u", "_s),
                                                                       request.method))
            .withKey(u"method"_s);
    if (request.name.trimmed().isEmpty())
        return Error::user(u"the match needs a name"_s).withKey(u"name"_s);
    if (request.dataset.trimmed().isEmpty())
        return Error::user(
                   u"no data set given: set dataset to a data set of the project (see 'anthology data "
                   "list')"_s)
            .withKey(u"dataset"_s);
    return {};
}

// A match of the request's name is reused when it is the same match (method and data set), and
// refused otherwise so a name never silently means two matches.
Result<MatchOutcome> reuseSameMatch(ProjectFile &project, const MatchRequest &request, qint64 matchId)
{
    Result<MatchRecord> stored = MatchStore(project).load(matchId);
    if (!stored)
        return stored.error();
    if (stored->method != request.method ||
        stored->datasetName.compare(request.dataset, Qt::CaseInsensitive) != 0)
        return Error::user(
                   u"a match named '%1' exists (%2 on data set '%3'); give this one another name"_s.arg(
                       request.name, stored->method, stored->datasetName))
            .withKey(u"name"_s);
    return reuse(project, matchId);
}

// The requested traits, else every trait of the map that the run asked of everyone.
Result<QStringList> chooseTraits(const MatchRequest &request, const CategoryMapConfig &map,
                                 const QStringList &asked, qint64 runId)
{
    QStringList traits;
    if (request.traits.isEmpty()) {
        for (const TraitCategoryMap &t : map.traits())
            if (asked.contains(t.map.trait))
                traits.append(t.map.trait);
        if (traits.isEmpty())
            return Error::user(u"demographics run %1 asked none of the category map's traits"_s.arg(runId))
                .withKey(u"traits"_s);
        return traits;
    }
    Result<QStringList> resolved = RespondentTraits::resolveTraits(map, request.traits);
    if (!resolved)
        return resolved.error();
    traits = *resolved;
    for (const QString &t : std::as_const(traits))
        if (!asked.contains(t))
            return Error::user(u"unknown trait '%1': demographics run %2 has no answers for it from every "
                               "persona (it has %3)"_s.arg(t)
                                   .arg(runId)
                                   .arg(asked.join(u", "_s)))
                .withKey(u"traits"_s);
    return traits;
}

Status checkMaximumWeightFits(const MatchRequest &request, const DatasetInfo &info, qint64 runId,
                              qsizetype personaCount)
{
    if (request.method == u"maximum_weight"_s && info.rowCount > personaCount)
        return Error::user(
                   u"maximum_weight matches one persona per human, but data set '%1' has %2 respondents "
                   "and demographics run %3 only %4 personas; use greedy, or fewer respondents"_s
                       .arg(request.dataset)
                       .arg(info.rowCount)
                       .arg(runId)
                       .arg(personaCount))
            .withKey(u"method"_s);
    return {};
}

// Trait vectors of humans and personas in the shared category spaces, one per trait.
Result<QList<TraitVectors>> traitVectors(const RespondentTraits &humans, const DemographicResults &results,
                                         const QStringList &traits)
{
    QList<TraitVectors> vectors;
    for (int t = 0; t < traits.size(); ++t) {
        const CategoryMap &cm = humans.map(t).map;
        TraitVectors tv;
        tv.categories = cm.categoryCount;
        for (qsizetype h = 0; h < humans.rowCount(); ++h) {
            const std::vector<double> v = cm.humanVector(humans.code(h, t));
            tv.humans.insert(tv.humans.end(), v.begin(), v.end());
        }
        for (const PersonaDemographics &p : results.personas()) {
            const TraitDistribution &d = p.traits.value(traits[t]);
            const QList<double> buckets = d.matchingVector();
            if (buckets.size() != cm.choiceToCategory.size() + 2)
                return Error::user(
                           u"persona '%1', trait '%2': the demographics run has %3 choices, the category "
                           "map %4"_s.arg(p.uid, traits[t])
                               .arg(buckets.size() - 2)
                               .arg(cm.choiceToCategory.size()))
                    .withKey(traits[t]);
            const std::vector<double> v = cm.personaVector(buckets);
            tv.personas.insert(tv.personas.end(), v.begin(), v.end());
        }
        vectors.append(std::move(tv));
    }
    return vectors;
}

Result<QList<MatchPair>> matchPairs(const MatchRequest &request, const EdgeWeights &weights,
                                    qsizetype humanCount, qsizetype personaCount)
{
    if (request.method == u"greedy"_s)
        return GreedyMatcher::match(weights);
    if (request.method == u"maximum_weight"_s)
        return MaxWeightAssignment::match(weights);
    return RandomMatcher::match(humanCount, personaCount, quint64(request.seed), &weights);
}

StoredMatchPair storedPair(const RespondentTraits &humans, const MatchPair &p,
                           const PersonaDemographics &persona)
{
    StoredMatchPair s;
    s.humanKey = humans.humanKey(p.human);
    s.humanWeight = humans.weight(p.human);
    s.backstoryUid = persona.uid;
    s.backstoryRevision = persona.revision;
    s.logWeight = p.logWeight;
    s.weight = p.weight;
    s.traits = humans.humanTraits(p.human);
    return s;
}

// A trait-appended set: the backstory, then the human's traits in the match's trait order.
PersonaSet appendedSet(const QString &name, const QString &style, const QJsonObject &source,
                       const QList<StoredMatchPair> &pairs, const QList<QList<TraitAnswer>> &answers)
{
    PersonaSet set;
    set.name = name;
    set.kind = u"matched"_s;
    set.style = style;
    set.source = source;
    const DemographicPrefixBuilder builder(styleOf(style));
    QSet<QString> keys;
    for (int i = 0; i < pairs.size(); ++i) {
        const StoredMatchPair &pair = pairs[i];
        PersonaSetMember m;
        m.personaKey = pair.humanKey;
        for (int n = 2; keys.contains(m.personaKey); ++n)
            m.personaKey = pair.humanKey + u'#' + QString::number(n);
        keys.insert(m.personaKey);
        m.backstoryUid = pair.backstoryUid;
        m.backstoryRevision = pair.backstoryRevision;
        // appendToBackstory strips the backstory, adds "\n\n" and the traits and strips the
        // whole; with a one-letter stand-in for the backstory the rest is exactly the tail.
        m.afterText = builder.appendToBackstory(u"x"_s, answers[i]).mid(1);
        m.humanKey = pair.humanKey;
        m.humanWeight = pair.humanWeight;
        m.traits = MatchStore::traitsToJson(pair.traits);
        set.members.append(m);
    }
    return set;
}

// The match and its persona sets in one transaction; the sets' names go to `setNames`.
Result<qint64> store(ProjectFile &project, const MatchRecord &record, QList<PersonaSet> &sets,
                     QStringList &setNames)
{
    Transaction tx(project.handle());
    if (!tx.status())
        return tx.status().error();
    Result<qint64> matchId = MatchStore(project).insert(record);
    if (!matchId)
        return matchId.error();
    PersonaSetStore setStore(project);
    for (PersonaSet &set : sets) {
        set.source.insert(u"match_id"_s, double(*matchId));
        Result<qint64> id = setStore.insertInTransaction(set);
        if (!id)
            return id.error();
        setNames.append(set.name);
    }
    if (Status st = tx.commit(); !st)
        return st.error();
    return *matchId;
}

} // namespace

QStringList MatchStep::methods()
{
    return {u"greedy"_s, u"maximum_weight"_s, u"random"_s};
}

QStringList MatchStep::appendStyles()
{
    return {u"qa_mcq"_s, u"qa_freeform"_s, u"bio"_s};
}

QString MatchStep::setName(const QString &matchName, const QString &style)
{
    return matchName + u'/' + style;
}

Result<MatchOutcome> MatchStep::run(ProjectFile &project, const MatchRequest &request)
{
    if (Status st = checkRequest(project, request); !st)
        return st.error();

    MatchStore matches(project);
    Result<std::optional<qint64>> existing = matches.find(request.name);
    if (!existing)
        return existing.error();
    if (existing->has_value())
        return reuseSameMatch(project, request, **existing);

    Result<qint64> runId = demographicsRunId(project, request.demographicsRun);
    if (!runId)
        return runId.error();
    Result<DemographicResults> results = DemographicResults::load(project, *runId);
    if (!results)
        return results.error();
    if (results->personas().isEmpty())
        return Error::user(u"demographics run %1 has no answered items yet (resume it first)"_s.arg(*runId))
            .withKey(u"demographics_run"_s);

    DatasetStore datasets(project);
    Result<DatasetInfo> info = datasets.info(request.dataset);
    if (!info)
        return info.error();
    const int wave = request.wave > 0 ? request.wave : info->wave;
    Result<CategoryMapConfig> map =
        CategoryMapLocator::load(wave, request.configDirs, request.categoryMapPath, &request.demographics);
    if (!map)
        return map.error();

    Result<QStringList> traits = chooseTraits(request, *map, results->commonTraits(), *runId);
    if (!traits)
        return traits.error();
    const qsizetype personaCount = results->personas().size();
    if (Status st = checkMaximumWeightFits(request, *info, *runId, personaCount); !st)
        return st.error();

    Result<Dataset> dataset = datasets.load(request.dataset);
    if (!dataset)
        return dataset.error();
    Result<RespondentTraits> humans = RespondentTraits::build(*dataset, *map, request.demographics, *traits);
    if (!humans) {
        Error e = humans.error();
        e.message = u"data set '%1': %2"_s.arg(request.dataset, e.message);
        return e;
    }

    Result<QList<TraitVectors>> vectors = traitVectors(*humans, *results, *traits);
    if (!vectors)
        return vectors.error();
    Result<EdgeWeights> weights = EdgeWeights::compute(*vectors);
    if (!weights)
        return weights.error();
    Result<QList<MatchPair>> pairs = matchPairs(request, *weights, humans->rowCount(), personaCount);
    if (!pairs)
        return pairs.error();

    MatchRecord record;
    record.name = request.name;
    record.method = request.method;
    record.datasetId = info->id;
    record.datasetName = info->name;
    record.demographicsRunId = *runId;
    record.traits = *traits;
    record.seed = request.seed;
    QList<QList<TraitAnswer>> answers;
    QSet<QString> used;
    for (const MatchPair &p : std::as_const(*pairs)) {
        const PersonaDemographics &persona = results->personas()[p.persona];
        record.pairs.append(storedPair(*humans, p, persona));
        answers.append(humans->answers(p.human));
        used.insert(persona.uid);
    }

    const QJsonObject source{{u"match"_s, request.name},
                             {u"method"_s, request.method},
                             {u"dataset"_s, info->name},
                             {u"demographics_run"_s, double(*runId)},
                             {u"traits"_s, QJsonArray::fromStringList(*traits)}};
    QList<PersonaSet> sets;
    for (const QString &style : appendStyles())
        sets.append(appendedSet(setName(request.name, style), style, source, record.pairs, answers));

    MatchOutcome out;
    Result<qint64> matchId = store(project, record, sets, out.personaSets);
    if (!matchId)
        return matchId.error();
    out.matchId = *matchId;
    out.humans = int(record.pairs.size());
    out.personas = int(personaCount);
    out.distinctPersonas = int(used.size());
    out.traits = *traits;
    return out;
}

} // namespace anthology
