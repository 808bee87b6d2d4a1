#include "run/PersonaSetStore.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "project/Transaction.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

constexpr const char *kMemberColumns =
    "persona_key, backstory_uid, backstory_revision, before_text, after_text, "
    "human_key, human_weight, traits";

PersonaSetMember readMember(const Statement &s)
{
    PersonaSetMember m;
    m.personaKey = s.columnText(0);
    m.backstoryUid = s.columnText(1);
    m.backstoryRevision = int(s.columnOptionalInt64(2).value_or(1));
    m.beforeText = s.columnText(3);
    m.afterText = s.columnText(4);
    m.humanKey = s.columnText(5);
    m.humanWeight = s.columnOptionalDouble(6);
    m.traits = s.columnText(7);
    return m;
}

PersonaSet readHeader(const Statement &s)
{
    PersonaSet set;
    set.id = s.columnInt64(0);
    set.name = s.columnText(1);
    set.kind = s.columnText(2);
    set.style = s.columnText(3);
    set.source = QJsonDocument::fromJson(s.columnUtf8(4)).object();
    set.created = QDateTime::fromString(s.columnText(5), Qt::ISODateWithMs);
    return set;
}

std::optional<QString> nullIfEmpty(const QString &s)
{
    return s.isEmpty() ? std::nullopt : std::optional<QString>(s);
}

} // namespace

QStringList PersonaSet::kinds()
{
    return {u"backstories"_s, u"matched"_s, u"respondents"_s};
}

PersonaSetStore::PersonaSetStore(const ProjectFile &project) : m_project(project) {}

Result<qint64> PersonaSetStore::insert(const PersonaSet &set)
{
    if (m_project.mode() != ProjectFile::Mode::ReadWrite)
        return Error::user(u"the project is open read-only"_s).withFile(m_project.path());
    Transaction tx(m_project.handle());
    if (!tx.status())
        return tx.status().error();
    Result<qint64> id = insertInTransaction(set);
    if (!id)
        return id;
    if (Status st = tx.commit(); !st)
        return st.error();
    return id;
}

Result<qint64> PersonaSetStore::insertInTransaction(const PersonaSet &set)
{
    if (!PersonaSet::kinds().contains(set.kind))
        return Error::user(u"a persona set's kind is one of %1, got '%2'"_s.arg(
                               PersonaSet::kinds().join(u", "_s), set.kind))
            .withKey(u"kind"_s);
    Statement s = m_project.prepare("INSERT INTO persona_sets (name, kind, style, source, created) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
    const QDateTime created = set.created.isValid() ? set.created : QDateTime::currentDateTimeUtc();
    s.bind(1, set.name)
        .bind(2, set.kind)
        .bind(3, set.style)
        .bindUtf8(4, QJsonDocument(set.source).toJson(QJsonDocument::Compact))
        .bind(5, created.toString(Qt::ISODateWithMs));
    Result<bool> row = s.step();
    if (!row) {
        if (s.lastErrorCode() == 2067) // SQLITE_CONSTRAINT_UNIQUE
            return Error::user(u"a persona set named '%1' already exists in the project"_s.arg(set.name))
                .withKey(u"name"_s);
        return row.error();
    }
    const qint64 id = s.columnInt64(0);
    s.reset(); // a RETURNING statement left mid-step would block the commit
    Statement m =
        m_project.prepare(QByteArray(QByteArray("INSERT INTO persona_set_members (set_id, position, ") +
                                     kMemberColumns + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
    for (int i = 0; i < set.members.size(); ++i) {
        const PersonaSetMember &p = set.members[i];
        m.bind(1, id).bind(2, i).bind(3, p.personaKey);
        if (p.hasBackstory())
            m.bind(4, p.backstoryUid).bind(5, p.backstoryRevision);
        else
            m.bindNull(4).bindNull(5);
        m.bindUtf8(6, p.beforeText.toUtf8()).bindUtf8(7, p.afterText.toUtf8()); // never NULL
        if (auto k = nullIfEmpty(p.humanKey))
            m.bind(8, *k);
        else
            m.bindNull(8);
        m.bind(9, p.humanWeight);
        if (auto t = nullIfEmpty(p.traits))
            m.bind(10, *t);
        else
            m.bindNull(10);
        if (Status st = m.exec(); !st) {
            if (m.lastErrorCode() == 2067)
                return Error::user(
                    u"persona key '%1' appears twice in persona set '%2'"_s.arg(p.personaKey, set.name));
            return st.error();
        }
    }
    return id;
}

Result<std::optional<qint64>> PersonaSetStore::find(const QString &name) const
{
    Statement s = m_project.prepare("SELECT id FROM persona_sets WHERE name = ?1");
    s.bind(1, name);
    Result<bool> row = s.step();
    if (!row)
        return row.error();
    return *row ? std::optional<qint64>(s.columnInt64(0)) : std::nullopt;
}

Result<PersonaSet> PersonaSetStore::load(qint64 id) const
{
    Statement s =
        m_project.prepare("SELECT id, name, kind, style, source, created FROM persona_sets WHERE id = ?1");
    s.bind(1, id);
    Result<bool> header = s.step();
    if (!header)
        return header.error();
    if (!*header)
        return Error::user(u"no persona set %1 in this project"_s.arg(id));
    Result<PersonaSet> set = readHeader(s);
    Statement m =
        m_project.prepare(QByteArray(QByteArray("SELECT ") + kMemberColumns +
                                     " FROM persona_set_members WHERE set_id = ?1 ORDER BY position"));
    m.bind(1, id);
    if (Status st = m.forEachRow([&](const Statement &row) { set->members.append(readMember(row)); }); !st)
        return st.error();
    return set;
}

Result<PersonaSet> PersonaSetStore::load(const QString &name) const
{
    Result<std::optional<qint64>> id = find(name);
    if (!id)
        return id.error();
    if (!id->has_value())
        return Error::user(u"no persona set named '%1' in this project"_s.arg(name)).withKey(u"personas"_s);
    return load(**id);
}

Result<QList<PersonaSet>> PersonaSetStore::list() const
{
    Statement s =
        m_project.prepare("SELECT id, name, kind, style, source, created FROM persona_sets ORDER BY id");
    QList<PersonaSet> out;
    if (Status st = s.forEachRow([&](const Statement &row) { out.append(readHeader(row)); }); !st)
        return st.error();
    return out;
}

Result<qint64> PersonaSetStore::memberCount(qint64 setId) const
{
    Statement s = m_project.prepare("SELECT count(*) FROM persona_set_members WHERE set_id = ?1");
    s.bind(1, setId);
    Result<bool> row = s.step();
    if (!row)
        return row.error();
    return s.columnInt64(0);
}

Result<PersonaSetMember> PersonaSetStore::member(qint64 setId, const QString &personaKey) const
{
    Statement s =
        m_project.prepare(QByteArray(QByteArray("SELECT ") + kMemberColumns +
                                     " FROM persona_set_members WHERE set_id = ?1 AND persona_key = ?2"));
    s.bind(1, setId).bind(2, personaKey);
    Result<bool> row = s.step();
    if (!row)
        return row.error();
    if (!*row)
        return Error::user(u"persona '%1' is not in persona set %2"_s.arg(personaKey).arg(setId));
    return readMember(s);
}

} // namespace anthology
