#pragma once

#include "util/Result.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace anthology {

class ProjectFile;

// One persona's answer distribution for one trait, as a "demographics" run stores it in an
// item's logprobs column (SESSION2 contract): the trait's choices in questionnaire order
// (with "Prefer not to answer" when asked), then one non-compliant bucket.
struct TraitDistribution
{
    QStringList choices;
    QList<qint64> counts;        // choices.size() + 1
    QList<double> probabilities; // choices.size() + 1
    QString source;              // sampling, llm_parser, logprobs

    bool hasPreferNot() const;
    // The layout CategoryMap::personaVector reads: the substantive choices, a prefer-not
    // bucket (0 when the question had none) and the non-compliant bucket.
    QList<double> matchingVector() const;
};

// One backstory's distributions, with the revision the demographics run read.
struct PersonaDemographics
{
    QString uid;
    int revision = 1;
    QHash<QString, TraitDistribution> traits; // trait key -> distribution
};

// Reads a "demographics" run into persona -> trait -> distribution. Items not done, or
// without a distribution, are left out; a malformed distribution is an Error naming the item.
class DemographicResults
{
public:
    static Result<DemographicResults> load(const ProjectFile &project, qint64 runId);

    qint64 runId() const { return m_runId; }
    // Personas in the order of their first item.
    const QList<PersonaDemographics> &personas() const { return m_personas; }
    const PersonaDemographics *persona(const QString &uid) const;
    const TraitDistribution *distribution(const QString &uid, const QString &trait) const;
    // Traits every persona has.
    QStringList commonTraits() const;

    // Parses one item's distribution JSON.
    static Result<TraitDistribution> parse(const QByteArray &json);

private:
    qint64 m_runId = 0;
    QList<PersonaDemographics> m_personas;
    QHash<QString, qsizetype> m_index;
};

} // namespace anthology
