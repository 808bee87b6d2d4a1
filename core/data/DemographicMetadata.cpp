#include "data/DemographicMetadata.h"

#include "data/Dataset.h"

using namespace Qt::StringLiterals;

namespace anthology {

QList<DemographicRole> DemographicMetadata::allRoles()
{
    return {DemographicRole::Age,      DemographicRole::Gender, DemographicRole::Education,
            DemographicRole::Race,     DemographicRole::Income, DemographicRole::Region,
            DemographicRole::Religion, DemographicRole::Party};
}

QString DemographicMetadata::roleKey(DemographicRole role)
{
    switch (role) {
    case DemographicRole::Age:
        return u"age"_s;
    case DemographicRole::Gender:
        return u"gender"_s;
    case DemographicRole::Education:
        return u"education"_s;
    case DemographicRole::Race:
        return u"race"_s;
    case DemographicRole::Income:
        return u"income"_s;
    case DemographicRole::Region:
        return u"region"_s;
    case DemographicRole::Religion:
        return u"religion"_s;
    case DemographicRole::Party:
        return u"party"_s;
    }
    return {};
}

QStringList DemographicMetadata::knownNames(DemographicRole role)
{
    // Pew renames its profile variables between waves; the newer names come first.
    switch (role) {
    case DemographicRole::Age:
        return {u"F_AGECAT"_s, u"F_AGECAT_FINAL"_s, u"F_AGECAT_TYPOLOGY"_s, u"F_AGE"_s};
    case DemographicRole::Gender:
        return {u"F_GENDER"_s, u"F_SEX_FINAL"_s, u"F_SEX"_s};
    case DemographicRole::Education:
        return {u"F_EDUCCAT2"_s, u"F_EDUCCAT2_FINAL"_s, u"F_EDUCCAT"_s, u"F_EDUCCAT_FINAL"_s, u"F_EDUC"_s};
    case DemographicRole::Race:
        return {u"F_RACETHNMOD"_s, u"F_RACETHN"_s, u"F_RACETHN_RECRUITMENT"_s, u"F_RACECMB"_s,
                u"F_RACECMB_RECRUITMENT"_s};
    case DemographicRole::Income:
        return {u"F_INC_SDT1"_s, u"F_INCOME_FINAL"_s, u"F_INCOME"_s, u"F_INCOME_RECODE_FINAL"_s,
                u"F_INC_TIER2"_s};
    case DemographicRole::Region:
        return {u"F_CREGION"_s, u"F_CREGION_FINAL"_s, u"F_REGION"_s};
    case DemographicRole::Religion:
        return {u"F_RELIG"_s, u"F_RELIG_FINAL"_s, u"F_RELIGCAT1"_s};
    case DemographicRole::Party:
        return {u"F_PARTY_FINAL"_s, u"F_PARTYSUM_FINAL"_s, u"F_PARTYSUMIDEO_FINAL"_s, u"F_PARTY"_s};
    }
    return {};
}

DemographicMetadata DemographicMetadata::detect(const Dataset &dataset)
{
    DemographicMetadata metadata;
    for (DemographicRole role : allRoles()) {
        for (const QString &name : knownNames(role)) {
            const qsizetype i = dataset.indexOf(name);
            if (i >= 0) {
                metadata.m_variables.insert(role, dataset.variable(i).name);
                break;
            }
        }
    }
    return metadata;
}

void DemographicMetadata::setVariable(DemographicRole role, const QString &name)
{
    if (name.isEmpty())
        m_variables.remove(role);
    else
        m_variables.insert(role, name);
}

QList<DemographicRole> DemographicMetadata::missingRoles() const
{
    QList<DemographicRole> missing;
    for (DemographicRole role : allRoles())
        if (!has(role))
            missing.append(role);
    return missing;
}

} // namespace anthology
