#include "PsppTables.h"

#include "core/OracleProcess.h"

#include <QDir>
#include <QFile>

#include <cmath>
#include <limits>

namespace anthology::test {

const QByteArray PsppTables::precision = "SET FORMAT=F40.16 TNUMBERS=VALUES TVARS=NAMES.\n"
                                         "OUTPUT MODIFY /SELECT TABLES\n"
                                         "  /TABLECELLS SELECT=[CORRELATIONS COUNT PERCENT] FORMAT=F40.16.\n";

QList<QByteArray> PsppTables::splitCsv(const QByteArray &line)
{
    QList<QByteArray> out{QByteArray()};
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const char ch = line[i];
        if (ch == '"') {
            if (quoted && i + 1 < line.size() && line[i + 1] == '"')
                out.last() += line[++i];
            else
                quoted = !quoted;
        } else if (ch == ',' && !quoted) {
            out.append(QByteArray());
        } else {
            out.last() += ch;
        }
    }
    return out;
}

double PsppTables::number(const QByteArray &cell)
{
    bool ok = false;
    const double v = cell.trimmed().toDouble(&ok);
    return ok ? v : std::numeric_limits<double>::quiet_NaN();
}

QList<PsppTable> PsppTables::parse(const QByteArray &csv)
{
    QList<PsppTable> tables;
    bool inTable = false;
    for (const QByteArray &raw : csv.split('\n')) {
        const QByteArray line = raw.endsWith('\r') ? raw.chopped(1) : raw;
        if (line.startsWith("Table: ")) {
            tables.append({line.mid(7), {}});
            inTable = true;
        } else if (line.trimmed().isEmpty()) {
            inTable = false;
        } else if (inTable) {
            tables.last().rows.append(splitCsv(line));
        }
    }
    return tables;
}

QList<PsppTable> PsppTables::run(const QString &dir, const QByteArray &syntax)
{
    const QString sps = QDir(dir).filePath(QStringLiteral("job.sps"));
    const QString out = QDir(dir).filePath(QStringLiteral("out.csv"));
    QFile f(sps);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(syntax);
    f.close();
    const auto res = oracle::run(QStringLiteral("pspp"), {QStringLiteral("-O"), QStringLiteral("format=csv"),
                                                          QStringLiteral("-o"), out, sps});
    if (!res.ok)
        qWarning("pspp failed: %s", res.err.constData());
    QFile o(out);
    if (!o.open(QIODevice::ReadOnly))
        return {};
    return parse(o.readAll());
}

const PsppTable *PsppTables::find(const QList<PsppTable> &tables, const QByteArray &title, int nth)
{
    for (const PsppTable &t : tables)
        if (t.title == title && nth-- == 0)
            return &t;
    return nullptr;
}

double PsppTables::alpha(const QList<PsppTable> &tables)
{
    const PsppTable *rel = find(tables, "Reliability Statistics");
    if (!rel || rel->rows.size() < 2 || rel->rows[1].isEmpty())
        return std::numeric_limits<double>::quiet_NaN();
    return number(rel->rows[1][0]);
}

namespace {

// The valid rows of a FREQUENCIES table: value -> the cell in `column`.
QMap<int, double> validColumn(const PsppTable &t, int column)
{
    QMap<int, double> out;
    bool valid = false;
    for (const auto &row : t.rows) {
        if (row.size() < 5)
            continue;
        if (!row[0].isEmpty())
            valid = row[0] == "Valid";
        if (valid && !row[1].isEmpty())
            out.insert(int(std::lround(PsppTables::number(row[1]))), PsppTables::number(row[column]));
    }
    return out;
}

} // namespace

QMap<int, double> PsppTable::validShares() const
{
    QMap<int, double> out = validColumn(*this, 4);
    for (double &v : out)
        v /= 100.0;
    return out;
}

QMap<int, double> PsppTable::validFrequencies() const
{
    return validColumn(*this, 2);
}

std::vector<double> PsppTable::pearson() const
{
    std::vector<double> out;
    for (const auto &row : rows)
        if (row.size() > 2 && row[1] == "Pearson Correlation")
            for (qsizetype c = 2; c < row.size(); ++c)
                out.push_back(PsppTables::number(row[c]));
    return out;
}

} // namespace anthology::test
