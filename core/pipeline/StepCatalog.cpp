#include "pipeline/StepCatalog.h"

using namespace Qt::StringLiterals;

namespace anthology {

const QList<StepSpec> &StepCatalog::all()
{
    static const QList<StepSpec> steps = {
        {StepKind::GenerateBackstories,
         {u"generate"_s, u"backstories"_s},
         u"Generate backstories"_s,
         u"generate_backstory/config"_s,
         {},
         StepSpec::Personas::None},
        {StepKind::SurveyDemographics,
         {u"survey"_s, u"demographics"_s},
         u"Survey demographics"_s,
         u"demographics_config"_s,
         {},
         StepSpec::Personas::None},
        {StepKind::Match, {u"match"_s}, u"Match"_s, u"match_config"_s, {}, StepSpec::Personas::None},
        {StepKind::SurveyAtp,
         {u"survey"_s, u"atp"_s},
         u"Survey (ATP questionnaire)"_s,
         u"survey_config"_s,
         {u"personas"_s, u"name"_s, u"samples"_s, u"dataset"_s},
         StepSpec::Personas::PersonaSet},
        {StepKind::SurveyBaseline,
         {u"survey"_s, u"baseline"_s},
         u"Survey baseline"_s,
         u"survey_config"_s,
         {u"dataset"_s, u"num_users"_s, u"persona_set"_s, u"name"_s, u"samples"_s, u"category_map"_s,
          u"demographics_config"_s, u"match_wave"_s},
         StepSpec::Personas::DatasetRespondents},
        {StepKind::Study,
         {u"study"_s},
         u"Study"_s,
         u"study_config"_s,
         {u"name"_s, u"dataset"_s, u"questions"_s, u"runs"_s, u"num_users"_s, u"natural_backstories"_s,
          u"traits"_s, u"seed"_s, u"metric"_s, u"subgroup"_s, u"survey_config"_s, u"demographics_config"_s,
          u"generate_config"_s},
         StepSpec::Personas::None},
    };
    return steps;
}

const StepSpec &StepCatalog::spec(StepKind kind)
{
    for (const StepSpec &s : all())
        if (s.kind == kind)
            return s;
    return all().first();
}

const StepSpec *StepCatalog::forArguments(const QStringList &arguments)
{
    for (const StepSpec &s : all())
        if (arguments.mid(0, s.command.size()) == s.command)
            return &s;
    return nullptr;
}

} // namespace anthology
