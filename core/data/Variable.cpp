#include "data/Variable.h"

#include <QRegularExpression>

namespace anthology {

QString Variable::labelFor(double value) const
{
    for (const ValueLabel &l : valueLabels)
        if (l.value == value)
            return l.label;
    return {};
}

QString Variable::labelFor(const QString &value) const
{
    for (const ValueLabel &l : valueLabels)
        if (l.stringValue == value)
            return l.label;
    return {};
}

bool Variable::isUserMissing(double value) const
{
    for (double m : missingValues)
        if (m == value)
            return true;
    for (const auto &[lo, hi] : missingRanges)
        if (value >= lo && value <= hi)
            return true;
    return false;
}

bool Variable::isUserMissing(const QString &value) const
{
    // SPSS pads short strings with blanks; a missing code matches regardless of trailing padding.
    static const QRegularExpression trailing(QStringLiteral("\\s+$"));
    const QString trimmed = QString(value).remove(trailing);
    for (const QString &m : missingStrings)
        if (QString(m).remove(trailing) == trimmed)
            return true;
    return false;
}

} // namespace anthology
