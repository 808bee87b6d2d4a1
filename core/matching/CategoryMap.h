#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include <vector>

namespace anthology {

class Status;

// One trait's shared category space (METHOD.md section 7): the LLM trait's fine choices and the
// human ATP codes both map onto coarse indices 0..categoryCount-1. Filled from the category-map
// YAML by the config layer.
struct CategoryMap
{
    QString trait;
    int categoryCount = 0;
    // Fine LLM choice index (0-based, the trait question's choices without the final
    // "prefer not" choice) -> coarse index; -1 leaves that choice out of every category.
    QList<int> choiceToCategory;
    // ATP code -> coarse index; a code not listed (Refused 99, missing) is unknown.
    QHash<int, int> humanCodeToCategory;

    // Every index in range, at least one category.
    Status validate() const;

    // The persona's distribution over the trait's buckets: its choices, then prefer-not, then
    // non-compliant. The last two are dropped, the rest renormalized (uniform over the
    // categories if nothing is left) and summed into the categories.
    std::vector<double> personaVector(const QList<double> &distribution) const;
    // One-hot on the code's category, or uniform when the code is refused or missing.
    std::vector<double> humanVector(int code) const;
};

} // namespace anthology
