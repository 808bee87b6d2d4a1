#pragma once

#include "data/Variable.h"
#include "util/Result.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace anthology {

enum class DatasetFormat { Unknown, Sav, Zsav, Por, Dta };

// Human survey data held column by column: numeric columns as doubles (NaN = system missing,
// user-missing codes kept as their raw values), string columns as QStrings. One column per
// variable, all of rowCount() length.
class Dataset
{
public:
    qsizetype rowCount() const { return m_rowCount; }
    qsizetype variableCount() const { return m_variables.size(); }

    const QList<Variable> &variables() const { return m_variables; }
    const Variable &variable(qsizetype index) const { return m_variables.at(index); }
    // -1 when absent. Names compare case-insensitively, as SPSS does.
    qsizetype indexOf(const QString &name) const;
    bool contains(const QString &name) const { return indexOf(name) >= 0; }
    QStringList variableNames() const;

    // Empty for string variables (and vice versa).
    const std::vector<double> &numericColumn(qsizetype index) const { return m_numeric.at(index); }
    const QStringList &stringColumn(qsizetype index) const { return m_strings.at(index); }
    // Convenience by name; an empty column when the name is unknown.
    const std::vector<double> &numericColumn(const QString &name) const;

    // Building: add a variable (its column is filled with missing up to rowCount()),
    // then fill columns through the mutable accessors.
    qsizetype addVariable(Variable variable);
    void setRowCount(qsizetype rows);
    std::vector<double> &numericColumnRef(qsizetype index) { return m_numeric[index]; }
    QStringList &stringColumnRef(qsizetype index) { return m_strings[index]; }
    Variable &variableRef(qsizetype index) { return m_variables[index]; }

    QString sourcePath() const { return m_sourcePath; }
    void setSourcePath(const QString &path) { m_sourcePath = path; }
    DatasetFormat format() const { return m_format; }
    void setFormat(DatasetFormat format) { m_format = format; }
    QString fileLabel() const { return m_fileLabel; }
    void setFileLabel(const QString &label) { m_fileLabel = label; }
    QString encoding() const { return m_encoding; }
    void setEncoding(const QString &encoding) { m_encoding = encoding; }

    // The survey weight; empty when none. setWeightVariable checks it exists and is numeric.
    QString weightVariable() const { return m_weightVariable; }
    Status setWeightVariable(const QString &name);
    // The respondent key (QKEY in ATP files); empty when none.
    QString keyVariable() const { return m_keyVariable; }
    Status setKeyVariable(const QString &name);
    // The wave number taken from the weight name (WEIGHT_W34 -> 34); 0 when unknown.
    int wave() const;

    // Per-row weights: the weight column, or all 1.0 without a weight variable.
    std::vector<double> weights() const;

    // The first variable named exactly WEIGHT_W<n> (Pew's main weight), or empty.
    static QString defaultWeightName(const QStringList &names, int wave = 0);

private:
    QList<Variable> m_variables;
    QList<std::vector<double>> m_numeric;
    QList<QStringList> m_strings;
    QHash<QString, qsizetype> m_index; // upper-cased name -> index
    qsizetype m_rowCount = 0;
    QString m_sourcePath;
    DatasetFormat m_format = DatasetFormat::Unknown;
    QString m_fileLabel;
    QString m_encoding;
    QString m_weightVariable;
    QString m_keyVariable;
};

} // namespace anthology
