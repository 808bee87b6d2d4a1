#include "pipeline/BaselinePersonaSet.h"

#include "data/DatasetStore.h"
#include "matching/CategoryMapLocator.h"
#include "pipeline/RespondentTraits.h"
#include "project/ProjectFile.h"
#include "prompt/DemographicPrefixBuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

using namespace Qt::StringLiterals;

namespace anthology {

QStringList BaselinePersonaSet::styles()
{
    return {u"qa"_s, u"qa_freeform"_s, u"bio"_s, u"portray"_s, u"nothing"_s};
}

QString BaselinePersonaSet::defaultName(const QString &dataset, const QString &style)
{
    return dataset + u"/baseline_"_s + style;
}

namespace {

QString setNameOf(const BaselineRequest &r)
{
    return r.setName.isEmpty() ? BaselinePersonaSet::defaultName(r.dataset, r.style) : r.setName;
}

// What a request describes before any respondent is read: the set's header (all that tells
// two builds apart) and the category map and traits its members come from.
struct Described
{
    PersonaSet header;
    CategoryMapConfig map;
    QStringList traits;
};

Result<Described> describe(ProjectFile &project, const BaselineRequest &request)
{
    const QStringList styles = BaselinePersonaSet::styles();
    if (!styles.contains(request.style))
        return Error::user(
                   u"prompt_style must be one of %1, got '%2'"_s.arg(styles.join(u", "_s), request.style))
            .withKey(u"prompt_style"_s);
    if (request.dataset.trimmed().isEmpty())
        return Error::user(u"a baseline needs dataset=NAME (see 'anthology data list')"_s)
            .withKey(u"dataset"_s);
    if (request.numUsers == 0 || request.numUsers < -1)
        return Error::user(u"num_users must be -1 (all) or at least 1, got %1"_s.arg(request.numUsers))
            .withKey(u"num_users"_s);
    Result<DatasetInfo> info = DatasetStore(project).info(request.dataset);
    if (!info)
        return info.error();
    Result<CategoryMapConfig> map =
        CategoryMapLocator::load(request.wave > 0 ? request.wave : info->wave, request.configDirs,
                                 request.categoryMapPath, &request.demographics);
    if (!map)
        return map.error();
    QStringList traits;
    if (request.traitsOfInterest.isEmpty()) {
        for (const TraitCategoryMap &t : map->traits())
            traits.append(t.map.trait);
    } else {
        Result<QStringList> resolved = RespondentTraits::resolveTraits(*map, request.traitsOfInterest);
        if (!resolved)
            return resolved.error();
        traits = *resolved;
    }
    PersonaSet set;
    set.name = setNameOf(request);
    set.kind = u"respondents"_s;
    set.style = request.style;
    set.source = QJsonObject{{u"dataset"_s, info->name},
                             {u"num_users"_s, request.numUsers},
                             {u"seed"_s, double(request.seed)},
                             {u"traits"_s, QJsonArray::fromStringList(traits)}};
    return Described{std::move(set), std::move(*map), std::move(traits)};
}

// The described set with one member per respondent (the data set is read here, once).
Result<PersonaSet> withMembers(ProjectFile &project, const BaselineRequest &request, const Described &d)
{
    Result<Dataset> dataset = DatasetStore(project).load(request.dataset);
    if (!dataset)
        return dataset.error();
    Result<RespondentTraits> humans =
        RespondentTraits::build(*dataset, d.map, request.demographics, d.traits);
    if (!humans) {
        Error e = humans.error();
        e.message = u"data set '%1': %2"_s.arg(request.dataset, e.message);
        return e;
    }

    PersonaSet set = d.header;
    const std::optional<PrefixStyle> style = DemographicPrefixBuilder::styleNamed(request.style);
    const qsizetype rows =
        request.numUsers < 0 ? humans->rowCount() : qMin<qsizetype>(request.numUsers, humans->rowCount());
    QSet<QString> keys;
    for (qsizetype r = 0; r < rows; ++r) {
        PersonaSetMember m;
        m.humanKey = humans->humanKey(r);
        m.personaKey = m.humanKey;
        for (int n = 2; keys.contains(m.personaKey); ++n)
            m.personaKey = m.humanKey + u'#' + QString::number(n);
        keys.insert(m.personaKey);
        m.humanWeight = humans->weight(r);
        m.traits = MatchStore::traitsToJson(humans->humanTraits(r));
        if (style) {
            const QList<TraitAnswer> answers =
                DemographicPrefixBuilder::shuffled(humans->answers(r), quint64(request.seed), m.humanKey);
            m.beforeText = DemographicPrefixBuilder(*style).prefix(answers);
        }
        set.members.append(m);
    }
    return set;
}

} // namespace

Result<PersonaSet> BaselinePersonaSet::build(ProjectFile &project, const BaselineRequest &request)
{
    Result<Described> described = describe(project, request);
    if (!described)
        return described.error();
    return withMembers(project, request, *described);
}

Result<PersonaSet> BaselinePersonaSet::ensure(ProjectFile &project, const BaselineRequest &request)
{
    PersonaSetStore store(project);
    const QString name = setNameOf(request);
    Result<std::optional<qint64>> existing = store.find(name);
    if (!existing)
        return existing.error();
    // An existing set is compared by its header alone: its respondents are not read again.
    Result<Described> wanted = describe(project, request);
    if (!wanted)
        return wanted.error();
    if (existing->has_value()) {
        Result<PersonaSet> stored = store.load(**existing);
        if (!stored)
            return stored;
        if (stored->kind != wanted->header.kind || stored->style != wanted->header.style ||
            stored->source != wanted->header.source)
            return Error::user(
                       u"persona set '%1' exists and was built differently (%2, %3); choose another "
                       "name with persona_set=NAME"_s.arg(
                           name, stored->style,
                           QString::fromUtf8(QJsonDocument(stored->source).toJson(QJsonDocument::Compact))))
                .withKey(u"persona_set"_s);
        return stored;
    }
    Result<PersonaSet> set = withMembers(project, request, *wanted);
    if (!set)
        return set;
    Result<qint64> id = store.insert(*set);
    if (!id)
        return id.error();
    set->id = *id;
    return set;
}

} // namespace anthology
