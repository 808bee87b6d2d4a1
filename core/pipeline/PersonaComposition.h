#pragma once

#include "util/Result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace anthology {

class ProjectFile;

// One trait of a persona set against the humans, in the shared categories of the wave's
// category map (METHOD.md section 7).
struct TraitComposition
{
    QString trait;
    QString humanVariable;
    QStringList categories;
    std::vector<double> sampled;  // mean over personas of their sampled (or LLM-parsed) distribution
    std::vector<double> expected; // the same over the personas read from logprobs; empty when none
    std::vector<double> humans;   // weighted shares of the respondents with a known code
    qsizetype sampledPersonas = 0;
    qsizetype expectedPersonas = 0;
    double humanWeight = 0.0; // sum of the weights behind `humans`
};

// The demographic make-up of the personas a "demographics" run surveyed, trait by trait,
// beside a data set's weighted respondents. Persona vectors are CategoryMap::personaVector
// (the matching's own reading: prefer-not and non-compliant dropped, renormalized).
class PersonaComposition
{
public:
    static Result<QList<TraitComposition>> compute(const ProjectFile &project, qint64 demographicsRunId,
                                                   const QString &dataset, const QStringList &configDirs = {});
};

} // namespace anthology
