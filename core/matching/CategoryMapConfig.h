#pragma once

#include "matching/CategoryMap.h"
#include "survey/SurveyTypes.h"
#include "util/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace anthology {

class Dataset;
struct Variable;

// One trait of a category-map config: the shared categories, and where the human side lives.
struct TraitCategoryMap
{
    CategoryMap map;            // map.trait is the demographic questionnaire's trait key
    QStringList categoryNames;  // index -> name
    QStringList humanVariables; // ATP variable names in order of preference (waves rename them)

    // The first of humanVariables present in the data set, or an Error listing them.
    Result<QString> variableIn(const Dataset &dataset) const;
    // Every substantive labelled code of `variable` (codes < 90, not Refused/Don't know) has a
    // category; otherwise an Error naming the code and its label.
    Status checkCodes(const Variable &variable) const;
};

// A matching category-map file (configs/matching/atp_w<wave>.yaml), read with yaml-cpp:
//
//   wave: 92
//   traits:
//     income_level_category_13:
//       atp_variable: [F_INC_SDT1, F_INCOME_FINAL]   # or one name
//       categories:
//         - name: Under $30,000
//           llm: [1, 2, 3]      # the trait's choices: numbers from 1, or their labels
//           atp: [1]            # the ATP variable's codes
//
// An LLM choice that no category lists is left out of every category (-1); an ATP code that
// none lists (99 Refused) is unknown and becomes a uniform vector. Labels in `llm` need the
// demographic questionnaire; with one, numbers are also checked against its choices. Errors
// carry the file, line, column and key path (traits.<trait>.categories[2].llm).
class CategoryMapConfig
{
public:
    static Result<CategoryMapConfig> load(const QString &path,
                                          const DemographicQuestionnaire *questionnaire = nullptr);
    static Result<CategoryMapConfig> parse(const QByteArray &yaml, const QString &displayName,
                                           const DemographicQuestionnaire *questionnaire = nullptr);

    int wave() const { return m_wave; }
    const QList<TraitCategoryMap> &traits() const { return m_traits; }
    const TraitCategoryMap *find(const QString &trait) const;

private:
    int m_wave = 0;
    QList<TraitCategoryMap> m_traits;
};

} // namespace anthology
