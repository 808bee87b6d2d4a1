#pragma once

#include "matching/MatchPair.h"
#include "util/Result.h"

#include <vector>

namespace anthology {

class EdgeWeights;

// One-to-one assignment of every row to a distinct column maximizing the total weight
// (METHOD.md section 7, the paper's "hungarian"), for rows <= columns.
//
// Shortest augmenting paths with row/column potentials (the Jonker-Volgenant family): cost is
// -w; an initial pass gives each row its cheapest column when that column is still free (row
// potential = row minimum, column potentials 0, which is dual feasible), then each remaining
// row grows a Dijkstra tree over reduced costs until it reaches a free column and augments.
// With many more personas than humans most rows are settled by the initial pass, which is
// where this beats a solver that augments from every row. O(n^2 m) worst case, O(n m) memory
// beyond the input (none: costs are read from the weights on the fly).
class MaxWeightAssignment
{
public:
    // weights: row-major rows x cols, finite. Returns the column of each row.
    static Result<std::vector<qsizetype>> solve(const double *weights, qsizetype rows, qsizetype cols);
    // Humans x personas from EdgeWeights (on its scaled weights, see there, made row by row as
    // the search needs them); pairs in human order.
    static Result<QList<MatchPair>> match(const EdgeWeights &weights);
};

} // namespace anthology
