#include "matching/MaxWeightAssignment.h"

#include "matching/EdgeWeights.h"

#include <cmath>
#include <functional>
#include <limits>

namespace anthology {
using namespace Qt::StringLiterals;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Rows are read through `row`, whose pointer is valid until the next call: the dense solve
// hands out rows of its matrix, the match from EdgeWeights makes each scanned row on demand.
class Solver
{
public:
    using Row = std::function<const double *(qsizetype)>;

    Solver(Row row, qsizetype n, qsizetype m)
        : m_row(std::move(row)), m_n(n), m_m(m), m_u(static_cast<size_t>(n), 0.0), m_v(static_cast<size_t>(m), 0.0),
          m_colOfRow(static_cast<size_t>(n), -1), m_rowOfCol(static_cast<size_t>(m), -1),
          m_dist(static_cast<size_t>(m)), m_path(static_cast<size_t>(m)), m_remaining(static_cast<size_t>(m)),
          m_scannedCols(), m_scannedRows()
    {
    }

    // Each row's largest weight, in its first column of that weight.
    void start(qsizetype i, qsizetype best, double weight)
    {
        m_u[static_cast<size_t>(i)] = -weight;
        if (m_rowOfCol[static_cast<size_t>(best)] < 0) {
            m_rowOfCol[static_cast<size_t>(best)] = i;
            m_colOfRow[static_cast<size_t>(i)] = best;
        }
    }

    void initialize()
    {
        for (qsizetype i = 0; i < m_n; ++i) {
            const double *row = m_row(i);
            // Among equal maxima prefer a free column: ties are common (identical humans,
            // all-zero rows) and each one settled here saves an augmentation.
            qsizetype best = 0;
            for (qsizetype j = 1; j < m_m; ++j)
                if (row[j] > row[best] ||
                    (row[j] == row[best] && m_rowOfCol[static_cast<size_t>(best)] >= 0 &&
                     m_rowOfCol[static_cast<size_t>(j)] < 0))
                    best = j;
            start(i, best, row[best]);
        }
    }

    bool run()
    {
        for (qsizetype i = 0; i < m_n; ++i)
            if (m_colOfRow[static_cast<size_t>(i)] < 0 && !augment(i))
                return false;
        return true;
    }

    const std::vector<qsizetype> &columns() const { return m_colOfRow; }

private:
    // Dijkstra from free row `root` over reduced costs c - u - v (non-negative by dual
    // feasibility) to the nearest free column, then the potential update and the flip.
    bool augment(qsizetype root)
    {
        for (qsizetype j = 0; j < m_m; ++j) {
            m_dist[static_cast<size_t>(j)] = kInf;
            m_remaining[static_cast<size_t>(j)] = j;
        }
        m_scannedCols.clear();
        m_scannedRows.clear();
        qsizetype remaining = m_m;
        qsizetype i = root;
        qsizetype sink = -1;
        double minVal = 0.0;
        while (sink < 0) {
            m_scannedRows.push_back(i);
            const double base = minVal - m_u[static_cast<size_t>(i)];
            const double *row = m_row(i);
            double lowest = kInf;
            qsizetype lowestAt = -1;
            for (qsizetype it = 0; it < remaining; ++it) {
                const qsizetype j = m_remaining[static_cast<size_t>(it)];
                const double r = base - row[j] - m_v[static_cast<size_t>(j)];
                double &d = m_dist[static_cast<size_t>(j)];
                if (r < d) {
                    d = r;
                    m_path[static_cast<size_t>(j)] = i;
                }
                // On equal distance prefer a free column: it ends the search sooner.
                if (d < lowest || (d == lowest && m_rowOfCol[static_cast<size_t>(j)] < 0)) {
                    lowest = d;
                    lowestAt = it;
                }
            }
            if (lowestAt < 0 || lowest == kInf)
                return false;
            minVal = lowest;
            const qsizetype j = m_remaining[static_cast<size_t>(lowestAt)];
            m_scannedCols.push_back(j);
            m_remaining[static_cast<size_t>(lowestAt)] = m_remaining[static_cast<size_t>(--remaining)];
            if (m_rowOfCol[static_cast<size_t>(j)] < 0)
                sink = j;
            else
                i = m_rowOfCol[static_cast<size_t>(j)];
        }
        m_u[static_cast<size_t>(root)] += minVal;
        for (qsizetype r : m_scannedRows)
            if (r != root)
                m_u[static_cast<size_t>(r)] +=
                    minVal - m_dist[static_cast<size_t>(m_colOfRow[static_cast<size_t>(r)])];
        for (qsizetype j : m_scannedCols)
            m_v[static_cast<size_t>(j)] -= minVal - m_dist[static_cast<size_t>(j)];
        for (qsizetype j = sink;;) {
            const qsizetype r = m_path[static_cast<size_t>(j)];
            m_rowOfCol[static_cast<size_t>(j)] = r;
            std::swap(m_colOfRow[static_cast<size_t>(r)], j);
            if (r == root)
                break;
        }
        return true;
    }

    Row m_row;
    qsizetype m_n;
    qsizetype m_m;
    std::vector<double> m_u;
    std::vector<double> m_v;
    std::vector<qsizetype> m_colOfRow;
    std::vector<qsizetype> m_rowOfCol;
    std::vector<double> m_dist;
    std::vector<qsizetype> m_path;
    std::vector<qsizetype> m_remaining;
    std::vector<qsizetype> m_scannedCols;
    std::vector<qsizetype> m_scannedRows;
};

} // namespace

Result<std::vector<qsizetype>> MaxWeightAssignment::solve(const double *weights, qsizetype rows,
                                                          qsizetype cols)
{
    if (rows < 0 || cols < 0 || rows > cols)
        return Error::user(u"expected at least as many personas (%1) as humans (%2)"_s.arg(cols).arg(rows));
    if (rows == 0)
        return std::vector<qsizetype>{};
    for (qsizetype k = 0; k < rows * cols; ++k)
        if (!std::isfinite(weights[k]))
            return Error::user(u"expected finite weights, got %1 at row %2 column %3"_s.arg(weights[k])
                                   .arg(k / cols + 1)
                                   .arg(k % cols + 1));
    Solver solver([weights, cols](qsizetype i) { return weights + i * cols; }, rows, cols);
    solver.initialize();
    if (!solver.run())
        return Error::internal(u"maximum-weight assignment found no augmenting path"_s);
    return solver.columns();
}

Result<QList<MatchPair>> MaxWeightAssignment::match(const EdgeWeights &weights)
{
    const qsizetype rows = weights.humanCount(), cols = weights.personaCount();
    if (rows > cols)
        return Error::user(u"expected at least as many personas (%1) as humans (%2)"_s.arg(cols).arg(rows));
    QList<MatchPair> out;
    if (rows == 0)
        return out;
    // The scaled weights are never held whole: a row is made when the search scans it (a few
    // hundred of 2,500 rows in a typical problem), and each row starts from the best persona
    // EdgeWeights already knows. Scaled weights are finite by construction (0 to 1).
    std::vector<double> scratch(static_cast<size_t>(cols));
    Solver solver(
        [&weights, &scratch](qsizetype i) {
            weights.scaledRow(i, scratch.data());
            return static_cast<const double *>(scratch.data());
        },
        rows, cols);
    for (qsizetype h = 0; h < rows; ++h) {
        const qsizetype best = weights.bestPersona(h);
        solver.start(h, best, weights.scaledWeight(h, best));
    }
    if (!solver.run())
        return Error::internal(u"maximum-weight assignment found no augmenting path"_s);
    out.reserve(rows);
    for (qsizetype h = 0; h < rows; ++h) {
        const qsizetype v = solver.columns()[static_cast<size_t>(h)];
        out.append({h, v, weights.weight(h, v), weights.logWeight(h, v)});
    }
    return out;
}

} // namespace anthology
