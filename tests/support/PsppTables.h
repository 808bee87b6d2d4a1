#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <vector>

namespace anthology::test {

// One table of PSPP's CSV output: "Table: <title>", then rows until a blank line.
struct PsppTable
{
    QByteArray title;
    QList<QList<QByteArray>> rows;

    // A FREQUENCIES table's valid rows: value -> valid percent / 100.
    QMap<int, double> validShares() const;
    // A FREQUENCIES table's valid rows: value -> frequency (the sum of weights under WEIGHT BY).
    QMap<int, double> validFrequencies() const;
    // The Pearson rows of a CORRELATIONS table, row-major.
    std::vector<double> pearson() const;
};

// PSPP's statistics procedures as an independent oracle: runs syntax with CSV output and reads
// the tables back.
class PsppTables
{
public:
    // Full precision in every table PSPP prints, and values rather than labels: put first.
    static const QByteArray precision;

    // Runs `syntax` in `dir`; empty (with a warning) when PSPP failed.
    static QList<PsppTable> run(const QString &dir, const QByteArray &syntax);
    static QList<PsppTable> parse(const QByteArray &csv);
    // The nth table titled `title`, nullptr when absent.
    static const PsppTable *find(const QList<PsppTable> &tables, const QByteArray &title, int nth = 0);
    // The alpha of a "Reliability Statistics" table; NaN when absent.
    static double alpha(const QList<PsppTable> &tables);

    // One CSV record, honouring double quotes.
    static QList<QByteArray> splitCsv(const QByteArray &line);
    // A cell as a number; NaN when it is not one.
    static double number(const QByteArray &cell);
};

} // namespace anthology::test
