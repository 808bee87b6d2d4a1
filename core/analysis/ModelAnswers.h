#pragma once

#include "util/Result.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace anthology {

// The model's answers of a run as a table: one entry per persona and question, the chosen
// option 1..K, or 0 for a non-compliant answer. Until the run engine feeds answers directly
// they come from a CSV with the columns persona, question, option (empty = non-compliant) and
// an optional group (the persona's subgroup label, e.g. its matched human's age category).
class ModelAnswers
{
public:
    static constexpr int nonCompliant = 0;
    static constexpr int notAsked = -1;

    // Header names compare case-insensitively; other columns are ignored. Errors name the file,
    // the line and the column (key) at fault.
    static Result<ModelAnswers> readCsv(const QString &path);

    QString path() const { return m_path; }
    // In order of first appearance.
    const QStringList &personas() const { return m_personas; }
    const QStringList &questions() const { return m_questions; }
    bool hasGroups() const { return m_hasGroups; }
    // The persona's group label; empty when none was given.
    QString group(qsizetype persona) const { return m_groups.value(persona); }

    // The option 1..K, nonCompliant, or notAsked when the CSV has no row for the pair.
    int option(qsizetype persona, qsizetype question) const;
    // The CSV line of that answer (for error messages); 0 when not asked.
    int line(qsizetype persona, qsizetype question) const;

    // Adds one answer; false if the pair was already answered.
    bool add(const QString &persona, const QString &question, int option, int line = 0);
    void setGroup(qsizetype persona, const QString &group);

private:
    struct Entry
    {
        int option = notAsked;
        int line = 0;
    };
    static quint64 key(qsizetype persona, qsizetype question)
    {
        return (quint64(persona) << 32) | quint64(question);
    }

    QString m_path;
    QStringList m_personas;
    QStringList m_questions;
    QHash<QString, qsizetype> m_personaIndex;
    QHash<QString, qsizetype> m_questionIndex;
    QStringList m_groups;
    bool m_hasGroups = false;
    QHash<quint64, Entry> m_entries;
};

} // namespace anthology
