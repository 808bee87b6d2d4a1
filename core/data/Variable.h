#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

namespace anthology {

enum class VariableType { Numeric, String };

// One labelled code. Numeric variables use `value`, string variables `stringValue`.
struct ValueLabel
{
    double value = 0.0;
    QString stringValue;
    QString label;
};

// The dictionary entry of one survey variable, as SPSS/Stata describe it.
struct Variable
{
    QString name;
    QString label;
    VariableType type = VariableType::Numeric;
    QString format;                // e.g. F8.0, A20; informational
    QList<ValueLabel> valueLabels; // in file order
    // SPSS user-missing codes: discrete values and inclusive ranges (numeric), or strings.
    QList<double> missingValues;
    QList<std::pair<double, double>> missingRanges;
    QStringList missingStrings;

    bool isNumeric() const { return type == VariableType::Numeric; }
    bool hasValueLabels() const { return !valueLabels.isEmpty(); }
    // The label of a numeric code, or an empty string when the code has none.
    QString labelFor(double value) const;
    QString labelFor(const QString &value) const;
    // True when `value` is one of the declared user-missing codes (system missing is NaN, not this).
    bool isUserMissing(double value) const;
    bool isUserMissing(const QString &value) const;
};

} // namespace anthology
