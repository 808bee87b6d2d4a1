#pragma once

#include "util/Result.h"

#include <QString>
#include <QStringList>

namespace anthology {

class ResolvedConfig;

// One of the paper's 11 runs (METHOD.md section 7 naming).
struct StudyRunSpec
{
    enum class Kind { Baseline, Primed, Natural };
    QString label;  // QA, BIO, DP_QA, ..., NA_greedy_QA_MCQ, ...
    Kind kind = Kind::Baseline;
    QString style;  // baseline/DP prompt style (qa, bio, portray), or the appended style (qa_mcq, ...)
    QString method; // Natural: greedy or maximum_weight
};

// What `anthology study` reads from its config (configs/study/study_config.yaml). The three step
// configs are loaded by name with the same forwarded overrides (llm_parameters..., format/...).
struct StudySettings
{
    QString name = QStringLiteral("study"); // prefixes every run, set and match: <name>/<label>
    QString dataset;                        // the human data set in the project
    QStringList questions;                  // its variables; choices come from their value labels
    QStringList runs;                       // labels, in the order they run; default all 11
    int numUsers = -1;                      // respondents for baselines and DP stories (-1: all)
    int naturalBackstories = 0;             // > 0: generate this many first; 0: the project's own
    QStringList traits;                     // matching traits; empty: every trait of the map
    qint64 seed = 42;
    QString metric = QStringLiteral("emd"); // emd or tv: the table's order
    QString subgroup;                       // a data set variable: tables per value too
    QString surveyConfig = QStringLiteral("survey_config");
    QString demographicsConfig = QStringLiteral("demographics_config");
    QString generateConfig = QStringLiteral("generate_backstory/config");
    QStringList configDirs; // --config-dir: where category maps are looked up first
    bool restart = false;   // --restart: replace unfinished stage runs planned from another config
};

class StudyDefinition
{
public:
    // The 11 runs in the paper's order: QA, BIO, DP_QA, DP_PORTRAY, DP_BIO, then NA_<method>_<style>.
    static QStringList allRuns();
    static Result<StudyRunSpec> spec(const QString &label);
    // Reads and checks the study keys; errors name the key and what was expected.
    static Result<StudySettings> fromConfig(const ResolvedConfig &config);
    // "<study>/<what>": the name of a run, persona set or match of the study.
    static QString nameOf(const StudySettings &settings, const QString &what);
};

} // namespace anthology
