#include "PsppOracle.h"

#include "data/Dataset.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology::test {

bool PsppOracle::available()
{
    return !QStandardPaths::findExecutable(u"pspp"_s).isEmpty();
}

bool PsppOracle::run(const QString &syntax, const QString &workDir, QString *output, QString *error)
{
    const QDir dir(workDir);
    const QString syntaxPath = dir.filePath(u"oracle.sps"_s);
    const QString outPath = dir.filePath(u"oracle-out.csv"_s);
    QFile::remove(outPath);
    QFile file(syntaxPath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = u"cannot write "_s + syntaxPath;
        return false;
    }
    file.write(syntax.toUtf8());
    file.close();
    QProcess pspp;
    pspp.setWorkingDirectory(workDir);
    pspp.start(u"pspp"_s, {u"-O"_s, u"format=csv"_s, u"-o"_s, outPath, syntaxPath});
    if (!pspp.waitForFinished(60000) || pspp.exitStatus() != QProcess::NormalExit || pspp.exitCode() != 0) {
        *error = u"pspp failed (exit %1): %2 %3"_s.arg(pspp.exitCode())
                     .arg(QString::fromUtf8(pspp.readAllStandardError()),
                          QString::fromUtf8(pspp.readAllStandardOutput()));
        return false;
    }
    output->clear();
    QFile out(outPath);
    if (out.open(QIODevice::ReadOnly))
        *output = QString::fromUtf8(out.readAll());
    return true;
}

QList<QStringList> PsppOracle::parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    bool any = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
            any = true;
        } else if (c == u',') {
            row.append(field);
            field.clear();
            any = true;
        } else if (c == u'\n') {
            if (any || !field.isEmpty())
                row.append(field);
            rows.append(row);
            row.clear();
            field.clear();
            any = false;
        } else if (c != u'\r') {
            field += c;
            any = true;
        }
    }
    if (any || !field.isEmpty()) {
        row.append(field);
        rows.append(row);
    }
    return rows;
}

bool PsppOracle::dictionary(const QString &open, const QString &workDir, PsppDictionary *out, QString *error)
{
    QString text;
    if (!run(open + u"\nDISPLAY DICTIONARY.\n"_s, workDir, &text, error))
        return false;
    enum { None, Variables, Labels } table = None;
    QStringList header;
    QString owner;
    for (const QStringList &row : parseCsv(text)) {
        if (row.isEmpty() || (row.size() == 1 && row.first().isEmpty())) {
            table = None;
            continue;
        }
        if (row.size() == 1 && row.first().startsWith(u"Table: "_s)) {
            const QString name = row.first().mid(7);
            table = name == "Variables"_L1 ? Variables : name == "Value Labels"_L1 ? Labels : None;
            header.clear();
            continue;
        }
        if (table == None || row.first().startsWith(u"Footnote"_s))
            continue;
        if (header.isEmpty()) {
            header = row;
            continue;
        }
        if (table == Variables) {
            PsppDictionary::Variable v;
            v.name = row.value(header.indexOf(u"Name"_s));
            if (header.contains(u"Label"_s))
                v.label = row.value(header.indexOf(u"Label"_s));
            if (header.contains(u"Missing Values"_s))
                v.missing = row.value(header.indexOf(u"Missing Values"_s));
            out->variables.append(v);
        } else {
            if (!row.value(0).isEmpty())
                owner = row.value(0);
            // User-missing codes carry a footnote marker: "99[a]".
            static const QRegularExpression footnote(u"\\[[a-z]\\]$"_s);
            out->valueLabels.append({owner, QString(row.value(1)).remove(footnote), row.value(2)});
        }
    }
    return true;
}

bool PsppOracle::data(const QString &open, const QString &workDir, QList<QStringList> *rows, QString *error)
{
    const QString csvPath = QDir(workDir).filePath(u"oracle-data.csv"_s);
    const QString syntax =
        open + u"\nSAVE TRANSLATE /OUTFILE='%1' /TYPE=CSV /FIELDNAMES /REPLACE.\n"_s.arg(csvPath);
    QString ignored;
    if (!run(syntax, workDir, &ignored, error))
        return false;
    QFile file(csvPath);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"pspp wrote no data file"_s;
        return false;
    }
    *rows = parseCsv(QString::fromUtf8(file.readAll()));
    return true;
}

namespace {

QString number(double v)
{
    return QString::number(v, 'g', 15);
}

QString missingAsPspp(const Variable &v)
{
    QStringList parts;
    for (const auto &[lo, hi] : v.missingRanges)
        parts.append(number(lo) + u" THRU "_s + number(hi));
    for (double m : v.missingValues)
        parts.append(number(m));
    for (const QString &s : v.missingStrings)
        parts.append(u'"' + s + u'"');
    return parts.join(u"; "_s);
}

QString differ(const QString &what, const QString &ours, const QString &pspp)
{
    return u"%1: ours \"%2\", PSPP \"%3\""_s.arg(what, ours, pspp);
}

} // namespace

QString PsppOracle::dictionaryMismatch(const Dataset &ds, const PsppDictionary &pspp)
{
    if (ds.variableCount() != pspp.variables.size())
        return differ(u"variable count"_s, QString::number(ds.variableCount()),
                      QString::number(pspp.variables.size()));
    QList<PsppDictionary::ValueLabel> ours;
    for (qsizetype i = 0; i < ds.variableCount(); ++i) {
        const Variable &v = ds.variable(i);
        const PsppDictionary::Variable &p = pspp.variables.at(i);
        if (v.name.toUpper() != p.name.toUpper())
            return differ(u"name of variable %1"_s.arg(i + 1), v.name, p.name);
        if (v.label.trimmed() != p.label.trimmed())
            return differ(u"label of "_s + v.name, v.label, p.label);
        // PSPP pads string missing codes to the variable width inside the quotes.
        QString psppMissing = p.missing;
        psppMissing.replace(QRegularExpression(u" +\""_s), u"\""_s);
        if (missingAsPspp(v) != psppMissing)
            return differ(u"missing values of "_s + v.name, missingAsPspp(v), p.missing);
        for (const ValueLabel &l : v.valueLabels)
            ours.append({v.label.trimmed().isEmpty() ? v.name : v.label.trimmed(),
                         v.isNumeric() ? number(l.value) : l.stringValue, l.label});
    }
    // PSPP lists each variable's labels sorted by code; ours keep file order.
    const auto key = [](const PsppDictionary::ValueLabel &l) -> QString {
        bool numeric = false;
        const double v = l.value.toDouble(&numeric);
        return l.owner.trimmed() + u" = "_s + (numeric ? number(v) : l.value.trimmed()) + u" -> "_s + l.label;
    };
    QStringList mine, theirs;
    for (const PsppDictionary::ValueLabel &l : std::as_const(ours))
        mine.append(key(l));
    for (const PsppDictionary::ValueLabel &l : pspp.valueLabels)
        theirs.append(key(l));
    mine.sort();
    theirs.sort();
    for (qsizetype i = 0; i < std::max(mine.size(), theirs.size()); ++i)
        if (mine.value(i) != theirs.value(i))
            return differ(u"value labels (sorted)"_s, mine.value(i), theirs.value(i));
    return {};
}

QString PsppOracle::dataMismatch(const Dataset &ds, const QList<QStringList> &rows)
{
    if (ds.rowCount() + 1 != rows.size())
        return differ(u"case count"_s, QString::number(ds.rowCount()), QString::number(rows.size() - 1));
    for (qsizetype r = 0; r < ds.rowCount(); ++r) {
        for (qsizetype c = 0; c < ds.variableCount(); ++c) {
            const QString pspp = rows.at(r + 1).value(c).trimmed();
            const QString where = u"%1 in case %2"_s.arg(ds.variable(c).name).arg(r + 1);
            if (!ds.variable(c).isNumeric()) {
                if (ds.stringColumn(c).at(r).trimmed() != pspp)
                    return differ(where, ds.stringColumn(c).at(r), pspp);
                continue;
            }
            const double ours = ds.numericColumn(c)[static_cast<size_t>(r)];
            const bool psppMissing = pspp.isEmpty() || pspp == "."_L1;
            if (std::isnan(ours) != psppMissing || (!psppMissing && ours != pspp.toDouble()))
                return differ(where, number(ours), pspp);
        }
    }
    return {};
}

} // namespace anthology::test
