#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace anthology {
class Dataset;
}

namespace anthology::test {

// What PSPP's DISPLAY DICTIONARY reports, as its CSV output spells it.
struct PsppDictionary
{
    struct Variable
    {
        QString name;
        QString label;
        QString missing; // "99; 98", "1 THRU 5; 9", "\"abc  \""; empty when none
    };
    struct ValueLabel
    {
        QString owner; // the variable's label, or its name when it has none (as PSPP prints it)
        QString value;
        QString label;
    };
    QList<Variable> variables;
    QList<ValueLabel> valueLabels;
};

// PSPP (GNU, installed from Debian) as an independent reader of SPSS files.
class PsppOracle
{
public:
    static bool available();
    // Runs `syntax` in `workDir`; `output` receives PSPP's CSV output (empty when it printed
    // nothing). False with `error` set (PSPP's messages and exit status) when PSPP failed.
    static bool run(const QString &syntax, const QString &workDir, QString *output, QString *error);
    // `open` is the command that opens the file, e.g. GET FILE='x.sav'. or IMPORT FILE='x.por'.
    static bool dictionary(const QString &open, const QString &workDir, PsppDictionary *out, QString *error);
    // The data as PSPP exports it to CSV: header row with names, then one row per case.
    static bool data(const QString &open, const QString &workDir, QList<QStringList> *rows, QString *error);

    static QList<QStringList> parseCsv(const QString &text);

    // Empty when our dictionary (names, labels, user-missing codes, value labels) says what
    // PSPP says; otherwise the first difference. Labels compare without trailing blanks,
    // which SPSS pads with and ReadStat trims.
    static QString dictionaryMismatch(const Dataset &ours, const PsppDictionary &pspp);
    // Same for the data: every value of every case (rows as PsppOracle::data returns them).
    static QString dataMismatch(const Dataset &ours, const QList<QStringList> &rows);
};

} // namespace anthology::test
