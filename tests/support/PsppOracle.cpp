#include "PsppOracle.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>

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
                     .arg(QString::fromUtf8(pspp.readAllStandardError()), QString::fromUtf8(pspp.readAllStandardOutput()));
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
        if (table == None)
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
            out->valueLabels.append({owner, row.value(1), row.value(2)});
        }
    }
    return true;
}

bool PsppOracle::data(const QString &open, const QString &workDir, QList<QStringList> *rows, QString *error)
{
    const QString csvPath = QDir(workDir).filePath(u"oracle-data.csv"_s);
    const QString syntax = open + u"\nSAVE TRANSLATE /OUTFILE='%1' /TYPE=CSV /FIELDNAMES /REPLACE.\n"_s.arg(csvPath);
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

} // namespace anthology::test
