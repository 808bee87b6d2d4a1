#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace anthology {

// The pipeline steps a user composes and launches: the `anthology` command of each, its
// default config and the key=value arguments that are the step's own rather than config
// overrides. One list, read by the CLI (StepArguments) and the workbench's composer.
enum class StepKind { GenerateBackstories, SurveyDemographics, Match, SurveyAtp, SurveyBaseline, Study };

struct StepSpec
{
    StepKind kind;
    QStringList command; // e.g. {"survey", "atp"}
    QString title;       // e.g. "Survey (ATP questionnaire)"
    QString defaultConfig;
    QStringList stepKeys;
    // What the step surveys: every backstory or a persona set (personas=), a data set's
    // respondents (dataset=), or nothing to choose.
    enum class Personas { None, PersonaSet, DatasetRespondents } personas = Personas::None;
};

class StepCatalog
{
public:
    static const QList<StepSpec> &all();
    static const StepSpec &spec(StepKind kind);
    // The step whose command starts `arguments`, or nullptr.
    static const StepSpec *forArguments(const QStringList &arguments);
};

} // namespace anthology
