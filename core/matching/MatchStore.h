#pragma once

#include "util/Result.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace anthology {

class ProjectFile;

// One demographic trait of a human respondent, as the data set codes it.
struct HumanTrait
{
    QString variable; // the ATP variable it was read from
    int code = -1;    // -1: system missing
    QString label;    // the code's value label; empty when refused or missing
};

// One matched (human, persona) pair as stored.
struct StoredMatchPair
{
    QString humanKey; // QKEY
    double humanWeight = 1.0;
    QString backstoryUid;
    int backstoryRevision = 1;
    double logWeight = 0.0; // -inf when the weight is 0
    double weight = 0.0;
    QMap<QString, HumanTrait> traits; // trait key -> the human's answer
};

// A stored match of personas to the respondents of a data set (METHOD.md section 7).
struct MatchRecord
{
    qint64 id = 0;
    QString name;
    QString method; // greedy, maximum_weight, random
    qint64 datasetId = 0;
    QString datasetName;
    qint64 demographicsRunId = 0;
    QStringList traits;
    qint64 seed = 0;
    QDateTime created;
    QList<StoredMatchPair> pairs; // in human order
};

// The matches and match_pairs tables (schema 4).
class MatchStore
{
public:
    explicit MatchStore(const ProjectFile &project);

    // Writes the match and its pairs in one transaction; returns its id. Names are unique.
    Result<qint64> insert(const MatchRecord &match);
    Result<MatchRecord> load(qint64 id) const;
    Result<std::optional<qint64>> find(const QString &name) const;
    // Every match without its pairs, oldest first.
    Result<QList<MatchRecord>> list() const;

    static QString traitsToJson(const QMap<QString, HumanTrait> &traits);
    static QMap<QString, HumanTrait> traitsFromJson(const QString &json);

private:
    const ProjectFile &m_project;
};

} // namespace anthology
