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

namespace {

QString setNameOf(const BaselineRequest &r)
{
    return r.setName.isEmpty() ? BaselinePersonaSet::defaultName(r.dataset, r.style) : r.setName;
}

} // namespace

QStringList BaselinePersonaSet::styles()
{
    return {u"qa"_s, u"qa_freeform"_s, u"bio"_s, u"portray"_s, u"nothing"_s};
}

QString BaselinePersonaSet::defaultName(const QString &dataset, const QString &style)
{
    return dataset + u"/baseline_"_s + style;
}

Result<PersonaSet> BaselinePersonaSet::build(ProjectFile &project, const BaselineRequest &request)
{
    if (!styles().contains(request.style))
        return Error::user(
                   u"prompt_style must be one of %1, got '%2'"_s.arg(styles().join(u", "_s), request.style))
            .withKey(u"prompt_style"_s);
    if (request.dataset.trimmed().isEmpty())
        return Error::user(u"a baseline needs dataset=NAME (see 'anthology data list')"_s)
            .withKey(u"dataset"_s);
    if (request.numUsers == 0 || request.numUsers < -1)
        return Error::user(u"num_users must be -1 (all) or at least 1, got %1"_s.arg(request.numUsers))
            .withKey(u"num_users"_s);
    DatasetStore datasets(project);
    Result<DatasetInfo> info = datasets.info(request.dataset);
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
    Result<Dataset> dataset = datasets.load(request.dataset);
    if (!dataset)
        return dataset.error();
    Result<RespondentTraits> humans = RespondentTraits::build(*dataset, *map, request.demographics, traits);
    if (!humans) {
        Error e = humans.error();
        e.message = u"data set '%1': %2"_s.arg(request.dataset, e.message);
        return e;
    }

    PersonaSet set;
    set.name = setNameOf(request);
    set.kind = u"respondents"_s;
    set.style = request.style;
    set.source = QJsonObject{{u"dataset"_s, info->name},
                             {u"num_users"_s, request.numUsers},
                             {u"seed"_s, double(request.seed)},
                             {u"traits"_s, QJsonArray::fromStringList(traits)}};
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

Result<PersonaSet> BaselinePersonaSet::ensure(ProjectFile &project, const BaselineRequest &request)
{
    PersonaSetStore store(project);
    const QString name = setNameOf(request);
    Result<std::optional<qint64>> existing = store.find(name);
    if (!existing)
        return existing.error();
    Result<PersonaSet> wanted = build(project, request);
    if (!wanted)
        return wanted;
    if (existing->has_value()) {
        Result<PersonaSet> stored = store.load(**existing);
        if (!stored)
            return stored;
        if (stored->kind != wanted->kind || stored->style != wanted->style ||
            stored->source != wanted->source)
            return Error::user(
                       u"persona set '%1' exists and was built differently (%2, %3); choose another "
                       "name with persona_set=NAME"_s.arg(
                           name, stored->style,
                           QString::fromUtf8(QJsonDocument(stored->source).toJson(QJsonDocument::Compact))))
                .withKey(u"persona_set"_s);
        return stored;
    }
    Result<qint64> id = store.insert(*wanted);
    if (!id)
        return id.error();
    wanted->id = *id;
    return wanted;
}

} // namespace anthology
