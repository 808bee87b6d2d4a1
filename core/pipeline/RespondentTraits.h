#pragma once

#include "matching/MatchStore.h"
#include "prompt/DemographicPrefixBuilder.h"
#include "util/Result.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace anthology {

class CategoryMapConfig;
class Dataset;
struct DemographicQuestionnaire;
struct TraitCategoryMap;

// The demographic traits of a data set's respondents, read through a category map: per
// trait the ATP variable, each respondent's code and label, and the trait as a question for
// the prefix styles (the demographic questionnaire's wording with the variable's substantive
// value labels as choices, so a prefix names the respondent's answer as the data set does).
class RespondentTraits
{
public:
    // traits: trait keys of the category map. Every trait needs a variable in the data set
    // (an Error names the trait and the variables tried) and a question in the questionnaire.
    static Result<RespondentTraits> build(const Dataset &dataset, const CategoryMapConfig &map,
                                          const DemographicQuestionnaire &questionnaire,
                                          const QStringList &traits);

    // Trait keys of `words` (trait_of_interest: "age", "income" or full keys) in the map.
    static Result<QStringList> resolveTraits(const CategoryMapConfig &map, const QStringList &words);

    // A row's respondent key as persona sets store it: the key variable's value (whole numbers
    // without decimals), or "row<N>" (1-based) without one.
    static QString humanKeyOf(const Dataset &dataset, qsizetype row);

    const QStringList &traits() const { return m_traits; }
    qsizetype rowCount() const { return m_rows; }
    // QKEY as text (whole numbers without decimals), or "row<N>" without a key variable.
    QString humanKey(qsizetype row) const;
    double weight(qsizetype row) const;
    // The coded answer of a row for trait index t (-1: missing).
    int code(qsizetype row, int t) const;
    const TraitCategoryMap &map(int t) const { return *m_maps.at(t); }
    QMap<QString, HumanTrait> humanTraits(qsizetype row) const;
    // The row's traits as prefix answers, in trait order; refused and missing ones have index -1.
    QList<TraitAnswer> answers(qsizetype row) const;
    // The trait question of trait index t (choices: the substantive value labels).
    const DemographicQuestion &question(int t) const { return m_questions.at(t); }

private:
    QStringList m_traits;
    QStringList m_variables;
    QList<const TraitCategoryMap *> m_maps;
    QList<DemographicQuestion> m_questions;
    QList<QList<int>> m_choiceCodes;    // per trait: the code of each choice
    QList<std::vector<double>> m_codes; // per trait: the column
    QList<QMap<int, QString>> m_labels; // per trait: code -> value label
    std::vector<double> m_weights;
    QStringList m_keys;
    qsizetype m_rows = 0;
};

} // namespace anthology
