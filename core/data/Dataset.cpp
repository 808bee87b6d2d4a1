#include "data/Dataset.h"

#include <QRegularExpression>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace anthology {

qsizetype Dataset::indexOf(const QString &name) const
{
    return m_index.value(name.toUpper(), -1);
}

QStringList Dataset::variableNames() const
{
    QStringList names;
    names.reserve(m_variables.size());
    for (const Variable &v : m_variables)
        names.append(v.name);
    return names;
}

const std::vector<double> &Dataset::numericColumn(const QString &name) const
{
    static const std::vector<double> empty;
    const qsizetype i = indexOf(name);
    return i < 0 ? empty : m_numeric.at(i);
}

qsizetype Dataset::addVariable(Variable variable)
{
    const qsizetype index = m_variables.size();
    // Duplicate names happen in malformed files; the first one stays reachable by name.
    if (!m_index.contains(variable.name.toUpper()))
        m_index.insert(variable.name.toUpper(), index);
    if (variable.isNumeric()) {
        m_numeric.append(
            std::vector<double>(static_cast<size_t>(m_rowCount), std::numeric_limits<double>::quiet_NaN()));
        m_strings.append(QStringList());
    } else {
        m_numeric.append(std::vector<double>());
        QStringList column;
        column.resize(m_rowCount);
        m_strings.append(column);
    }
    m_variables.append(std::move(variable));
    return index;
}

void Dataset::setRowCount(qsizetype rows)
{
    m_rowCount = rows;
    for (qsizetype i = 0; i < m_variables.size(); ++i) {
        if (m_variables.at(i).isNumeric())
            m_numeric[i].resize(static_cast<size_t>(rows), std::numeric_limits<double>::quiet_NaN());
        else
            m_strings[i].resize(rows);
    }
}

Status Dataset::setWeightVariable(const QString &name)
{
    if (name.isEmpty()) {
        m_weightVariable.clear();
        return {};
    }
    const qsizetype i = indexOf(name);
    if (i < 0)
        return Error::user(u"no weight variable named %1 in the data set"_s.arg(name)).withKey(name);
    if (!m_variables.at(i).isNumeric())
        return Error::user(u"weight variable %1 is a string variable; a weight must be numeric"_s.arg(name))
            .withKey(name);
    m_weightVariable = m_variables.at(i).name;
    return {};
}

Status Dataset::setKeyVariable(const QString &name)
{
    if (name.isEmpty()) {
        m_keyVariable.clear();
        return {};
    }
    const qsizetype i = indexOf(name);
    if (i < 0)
        return Error::user(u"no respondent key variable named %1 in the data set"_s.arg(name)).withKey(name);
    m_keyVariable = m_variables.at(i).name;
    return {};
}

int Dataset::wave() const
{
    static const QRegularExpression suffix(u"_W(\\d+)$"_s, QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = suffix.match(m_weightVariable);
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

std::vector<double> Dataset::weights() const
{
    const qsizetype i = indexOf(m_weightVariable);
    if (m_weightVariable.isEmpty() || i < 0)
        return std::vector<double>(static_cast<size_t>(m_rowCount), 1.0);
    return m_numeric.at(i);
}

QString Dataset::defaultWeightName(const QStringList &names, int wave)
{
    if (wave > 0) {
        const QString wanted = u"WEIGHT_W%1"_s.arg(wave);
        for (const QString &n : names)
            if (n.compare(wanted, Qt::CaseInsensitive) == 0)
                return n;
        return {};
    }
    static const QRegularExpression main(u"^WEIGHT_W\\d+$"_s, QRegularExpression::CaseInsensitiveOption);
    for (const QString &n : names)
        if (main.match(n).hasMatch())
            return n;
    return {};
}

} // namespace anthology
