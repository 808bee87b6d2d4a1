#pragma once

#include "survey/SurveyTypes.h"
#include "util/Result.h"

#include <QString>
#include <QStringList>

namespace anthology {

class ProjectFile;

// What the match step needs (config group matching/match_config: name, method, dataset,
// demographics_run, traits, seed; plus wave / category_map to choose the category map).
struct MatchRequest
{
    QString name;
    QString method = QStringLiteral("greedy"); // greedy, maximum_weight, random
    QString dataset;
    QString demographicsRun; // a run id, or the name of a "demographics" run
    QStringList traits;      // trait keys (or short names); empty: every trait of the map the run asked
    qint64 seed = 42;
    int wave = 0;            // 0: the data set's wave
    QString categoryMapPath; // a file instead of the wave's map
    QStringList configDirs;  // searched for atp_w<wave>.yaml before ours
    DemographicQuestionnaire demographics;
};

struct MatchOutcome
{
    qint64 matchId = 0;
    bool reused = false; // a match of that name existed: nothing was computed
    int humans = 0;
    int personas = 0;
    int distinctPersonas = 0; // personas used by at least one human
    QStringList traits;
    QStringList personaSets; // qa_mcq, qa_freeform, bio sets, in that order
};

// Matches the personas of a demographics run to a data set's respondents (METHOD.md section 7),
// stores the match and the trait-appended persona sets <name>/qa_mcq, <name>/qa_freeform and
// <name>/bio, all in one transaction. Refuses before computing: an unknown method or trait, a
// data set without a mapped variable, maximum_weight with more humans than personas.
class MatchStep
{
public:
    static QStringList methods();
    static QStringList appendStyles(); // qa_mcq, qa_freeform, bio
    static QString setName(const QString &matchName, const QString &style);

    static Result<MatchOutcome> run(ProjectFile &project, const MatchRequest &request);
};

} // namespace anthology
