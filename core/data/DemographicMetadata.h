#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace anthology {

class Dataset;

enum class DemographicRole { Age, Gender, Education, Race, Income, Region, Religion, Party };

// Which variable of a human data set carries each demographic, detected from the names Pew
// uses across ATP waves, with the user's choice taking precedence over detection.
class DemographicMetadata
{
public:
    static DemographicMetadata detect(const Dataset &dataset);

    // Empty when the role has no variable.
    QString variable(DemographicRole role) const { return m_variables.value(role); }
    bool has(DemographicRole role) const { return !variable(role).isEmpty(); }
    // A user override; an empty name clears the role.
    void setVariable(DemographicRole role, const QString &name);
    QList<DemographicRole> missingRoles() const;

    static QList<DemographicRole> allRoles();
    // "age", "gender", "education", "race", "income", "region", "religion", "party".
    static QString roleKey(DemographicRole role);
    // Known ATP names in order of preference.
    static QStringList knownNames(DemographicRole role);

private:
    QHash<DemographicRole, QString> m_variables;
};

} // namespace anthology
