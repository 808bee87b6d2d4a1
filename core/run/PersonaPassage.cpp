#include "run/PersonaPassage.h"

#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"
#include "run/PersonaSetStore.h"
#include "run/SurveyItemBuilder.h"
#include "run/SurveyPlan.h"

using namespace Qt::StringLiterals;

namespace anthology {

Result<QList<QPair<QString, int>>> PersonaPassage::personas(ProjectFile &project, const SurveyPlan &plan)
{
    QList<QPair<QString, int>> out; // key, revision
    const BackstoryStore store(project);
    if (plan.personaSetId > 0) {
        Result<PersonaSet> set = PersonaSetStore(project).load(plan.personaSetId);
        if (!set)
            return set.error();
        for (const PersonaSetMember &m : std::as_const(set->members)) {
            if (m.hasBackstory() && !store.get(m.backstoryUid))
                return Error::user(u"persona set '%1': backstory '%2' is no longer in the project"_s.arg(
                                       set->name, m.backstoryUid))
                    .withKey(u"personas"_s);
            out.append({m.personaKey, m.hasBackstory() ? m.backstoryRevision : 1});
        }
        if (out.isEmpty())
            return Error::user(u"persona set '%1' has no members"_s.arg(set->name)).withKey(u"personas"_s);
        return out;
    }
    if (plan.personas.isEmpty()) {
        for (const BackstorySummary &s : store.page(0, store.count()))
            out.append({s.uid, s.revision});
    } else {
        for (const QString &uid : plan.personas) {
            const std::optional<Backstory> b = store.get(uid);
            if (!b)
                return Error::user(u"backstory '%1' is not in the project"_s.arg(uid)).withKey(u"personas"_s);
            out.append({uid, b->revision});
        }
    }
    if (out.isEmpty())
        return Error::user(u"the project has no backstories to survey (import some first)"_s);
    return out;
}

Result<QString> PersonaPassage::passage(const BackstoryStore &store, const SurveyPlan &plan,
                                        const QString &persona, int revision)
{
    if (plan.personaSetId <= 0)
        return SurveyItemBuilder::passageAt(store, persona, revision);
    Result<PersonaSetMember> member = PersonaSetStore(store.project()).member(plan.personaSetId, persona);
    if (!member)
        return member.error();
    if (!member->hasBackstory())
        return member->beforeText;
    Result<QString> base = SurveyItemBuilder::passageAt(store, member->backstoryUid, revision);
    if (!base)
        return base.error();
    return QString(member->beforeText + base->trimmed() + member->afterText);
}

} // namespace anthology
