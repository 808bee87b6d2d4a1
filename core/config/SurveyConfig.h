#pragma once

#include "survey/SurveyTypes.h"
#include "util/Error.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace anthology {

// generate_backstory's self_generate group plus its run keys (METHOD.md section 3).
struct SelfGenerateOptions
{
    RoleFormat roles;
    QString preambleQuestion; // empty: no citizenship preamble
    QString backstoryQuestion;
    int numBackstories = 0; // how many to generate
};

// Baseline-run keys of the reference ATP configs (METHOD.md sections 3 and 4).
struct BaselineOptions
{
    bool isBaseline = false;
    QString promptStyle = QStringLiteral("qa"); // qa, qa_freeform, bio, portray, nothing
    QStringList traitOfInterest;
    QString surveyDataPath;
    QString surveyDemographicsMetadataPath;
    int numUsers = -1;
};

// Everything a run needs, read and checked from one ResolvedConfig by ConfigSchema::survey().
struct SurveyConfig
{
    QString name;      // the primary config's name
    QString outputDir; // ${hydra:runtime.output_dir}
    int wave = 0;      // the questionnaire's wave when the top level says -1

    bool hasQuestionnaire = false; // an opinion questionnaire (questionnaire.<name>.questions)
    QString questionnaireName;     // e.g. "ATP" for questionnaire/ATP
    Questionnaire questionnaire;

    bool hasDemographics = false; // a demographic questionnaire (map of traits)
    QString demographicsName;     // e.g. "demographics"
    DemographicQuestionnaire demographics;

    McqFormat format;
    bool hasLlm = false;
    LlmParameters llm;
    std::optional<LlmParameters> llmParser; // llm_parsing_parameters
    bool hasBackstories = false;
    BackstorySource backstories;
    bool hasSelfGenerate = false;
    SelfGenerateOptions selfGenerate;
    BaselineOptions baseline;
    RunOptions run;

    QList<Error> warnings; // unknown keys and tolerated oddities, each with its position
};

} // namespace anthology
