#pragma once

#include "util/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace anthology {

class ProjectFile;

// One persona of a set. Its passage is beforeText + the backstory passage at
// backstoryRevision + afterText; without a backstory (a respondents baseline) beforeText is
// the whole conditioning text, empty for the "nothing" baseline.
struct PersonaSetMember
{
    QString personaKey; // what the run's items carry; stable across runs of the set
    QString backstoryUid;
    int backstoryRevision = 1;
    QString beforeText;
    QString afterText;
    QString humanKey; // QKEY of the linked respondent; empty when none
    std::optional<double> humanWeight;
    QString traits; // JSON {"<trait>": {"variable", "code", "label"}}; empty when none

    bool hasBackstory() const { return !backstoryUid.isEmpty(); }
};

// What a survey run is asked of: backstories, a matched set with traits appended, or a
// data set's respondents as demographic prefixes.
struct PersonaSet
{
    qint64 id = 0;
    QString name;
    QString kind;       // backstories, matched, respondents
    QString style;      // none, qa_mcq, qa_freeform, bio (matched); qa, qa_freeform, bio, portray, nothing
    QJsonObject source; // where it came from: {"match_id"}, {"dataset", "num_users", "seed", "traits"}
    QDateTime created;
    QList<PersonaSetMember> members; // in survey order

    static QStringList kinds();
};

// The persona_sets and persona_set_members tables (schema 4).
class PersonaSetStore
{
public:
    explicit PersonaSetStore(const ProjectFile &project);

    // Writes the set and its members in one transaction; returns its id. Names are unique,
    // and so are persona keys within a set.
    Result<qint64> insert(const PersonaSet &set);
    // Inside the caller's transaction (several sets at once).
    Result<qint64> insertInTransaction(const PersonaSet &set);
    Result<std::optional<qint64>> find(const QString &name) const;
    // With its members.
    Result<PersonaSet> load(qint64 id) const;
    Result<PersonaSet> load(const QString &name) const;
    // Every set without members, oldest first; memberCount gives their sizes.
    Result<QList<PersonaSet>> list() const;
    Result<qint64> memberCount(qint64 setId) const;
    // One member by persona key (the engine reads one per chain).
    Result<PersonaSetMember> member(qint64 setId, const QString &personaKey) const;

private:
    const ProjectFile &m_project;
};

} // namespace anthology
