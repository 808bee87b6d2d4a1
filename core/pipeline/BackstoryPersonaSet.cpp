#include "pipeline/BackstoryPersonaSet.h"

#include "pipeline/GenerateStep.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace anthology {

Result<QStringList> BackstoryPersonaSet::naturalBackstories(const ProjectFile &project)
{
    Statement s = project.prepare("SELECT uid FROM backstories WHERE attributes IS NULL "
                                  "OR json_type(attributes, '$.qkey') IS NULL ORDER BY id");
    QStringList uids;
    if (Status st = s.forEachRow([&](const Statement &row) { uids.append(row.columnText(0)); }); !st)
        return st.error();
    return uids;
}

Result<PersonaSet> BackstoryPersonaSet::ensureForGenerateRun(ProjectFile &project, qint64 runId,
                                                             const QString &setName)
{
    // The run's uids share the prefix GenerateStep gives them; LIKE would treat '_' as a wildcard.
    const QString prefix = GenerateStep::backstoryUid(runId, QString());
    Statement s = project.prepare("SELECT uid, revision, attributes FROM backstories "
                                  "WHERE substr(uid, 1, length(?1)) = ?1 ORDER BY uid");
    s.bind(1, prefix);
    PersonaSet set;
    set.name = setName;
    set.kind = u"backstories"_s;
    set.style = u"none"_s;
    set.source = QJsonObject{{u"generate_run"_s, double(runId)}};
    Status read = s.forEachRow([&](const Statement &row) {
        PersonaSetMember m;
        m.backstoryUid = row.columnText(0);
        m.personaKey = m.backstoryUid;
        m.backstoryRevision = row.columnInt(1);
        const QJsonObject attributes = QJsonDocument::fromJson(row.columnUtf8(2)).object();
        const QJsonValue qkey = attributes.value(u"qkey"_s);
        if (!qkey.isUndefined() && !qkey.isNull())
            m.humanKey = qkey.isString() ? qkey.toString() : QString::number(qkey.toDouble(), 'g', 15);
        if (attributes.value(u"weight"_s).isDouble())
            m.humanWeight = attributes.value(u"weight"_s).toDouble();
        set.members.append(m);
    });
    if (!read)
        return read.error();
    if (set.members.isEmpty())
        return Error::user(u"generate run %1 has no stories in the project yet"_s.arg(runId));

    PersonaSetStore store(project);
    Result<std::optional<qint64>> existing = store.find(setName);
    if (!existing)
        return existing.error();
    if (*existing) {
        Result<PersonaSet> stored = store.load(**existing);
        if (!stored)
            return stored.error();
        bool same = stored->members.size() == set.members.size();
        for (qsizetype i = 0; same && i < set.members.size(); ++i)
            same = stored->members.at(i).backstoryUid == set.members.at(i).backstoryUid &&
                   stored->members.at(i).backstoryRevision == set.members.at(i).backstoryRevision;
        if (same)
            return stored;
        return Error::user(u"persona set '%1' exists with other members; choose another name"_s.arg(setName));
    }
    Result<qint64> id = store.insert(set);
    if (!id)
        return id.error();
    set.id = *id;
    return set;
}

} // namespace anthology
