#include "pipeline/PersonaComposition.h"

#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"
#include "data/Dataset.h"
#include "data/DatasetStore.h"
#include "matching/CategoryMapLocator.h"
#include "pipeline/DemographicResults.h"
#include "project/ProjectFile.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

void addInto(std::vector<double> &sum, const std::vector<double> &v)
{
    if (sum.empty())
        sum.assign(v.size(), 0.0);
    for (size_t i = 0; i < v.size() && i < sum.size(); ++i)
        sum[i] += v[i];
}

void divide(std::vector<double> &v, double by)
{
    if (by > 0.0)
        for (double &x : v)
            x /= by;
}

} // namespace

Result<QList<TraitComposition>> PersonaComposition::compute(const ProjectFile &project, qint64 demographicsRunId,
                                                            const QString &dataset, const QStringList &configDirs)
{
    Result<DemographicResults> results = DemographicResults::load(project, demographicsRunId);
    if (!results)
        return results.error();
    ProjectFile &file = const_cast<ProjectFile &>(project); // DatasetStore only reads here
    const DatasetStore store(file);
    Result<DatasetInfo> info = store.info(dataset);
    if (!info)
        return info.error();
    // Category maps may name the trait's choices by label: they need the questionnaire.
    DemographicQuestionnaire questionnaire;
    if (Result<ResolvedConfig> config = ConfigLoader(configDirs).load(u"demographics_config"_s); config)
        if (Result<SurveyConfig> survey = ConfigSchema::survey(*config); survey)
            questionnaire = survey->demographics;
    Result<CategoryMapConfig> maps = CategoryMapLocator::load(info->wave, configDirs, {}, &questionnaire);
    if (!maps)
        return maps.error();
    Result<Dataset> data = store.load(dataset);
    if (!data)
        return data.error();
    const std::vector<double> weights = data->weights();

    QList<TraitComposition> out;
    for (const TraitCategoryMap &map : maps->traits()) {
        TraitComposition t;
        t.trait = map.map.trait;
        t.categories = map.categoryNames;
        for (const PersonaDemographics &persona : results->personas()) {
            const auto it = persona.traits.constFind(t.trait);
            if (it == persona.traits.cend())
                continue;
            const std::vector<double> v = map.map.personaVector(it->matchingVector());
            if (it->source == u"logprobs"_s) {
                addInto(t.expected, v);
                ++t.expectedPersonas;
            } else {
                addInto(t.sampled, v);
                ++t.sampledPersonas;
            }
        }
        if (t.sampledPersonas == 0 && t.expectedPersonas == 0)
            continue; // the run did not ask this trait
        divide(t.sampled, double(t.sampledPersonas));
        divide(t.expected, double(t.expectedPersonas));
        t.humans.assign(size_t(map.map.categoryCount), 0.0);
        if (Result<QString> variable = map.variableIn(*data); variable) {
            t.humanVariable = *variable;
            const std::vector<double> &codes = data->numericColumn(*variable);
            for (size_t r = 0; r < codes.size(); ++r) {
                const double w = r < weights.size() && std::isfinite(weights[r]) && weights[r] > 0 ? weights[r] : 0.0;
                if (!std::isfinite(codes[r]))
                    continue;
                const auto category = map.map.humanCodeToCategory.constFind(int(codes[r]));
                if (category == map.map.humanCodeToCategory.cend() || *category < 0)
                    continue;
                t.humans[size_t(*category)] += w;
                t.humanWeight += w;
            }
            divide(t.humans, t.humanWeight);
        }
        out.append(t);
    }
    if (out.isEmpty())
        return Error::user(u"run %1 holds no demographic distribution of a trait the wave %2 category map knows"_s
                               .arg(demographicsRunId)
                               .arg(info->wave));
    return out;
}

} // namespace anthology
