#include "pipeline/RespondentTraits.h"

#include "data/Dataset.h"
#include "data/QuestionnaireFromDataset.h"
#include "matching/CategoryMapConfig.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

QString keyText(double v)
{
    if (std::isnan(v))
        return {};
    return v == std::floor(v) && std::fabs(v) < 1e15 ? QString::number(qint64(v))
                                                     : QString::number(v, 'g', 17);
}

} // namespace

Result<QStringList> RespondentTraits::resolveTraits(const CategoryMapConfig &map, const QStringList &words)
{
    QStringList known;
    for (const TraitCategoryMap &t : map.traits())
        known.append(t.map.trait);
    QStringList out;
    for (const QString &raw : words) {
        const QString word = raw.trimmed();
        QString found;
        if (known.contains(word)) {
            found = word;
        } else {
            const QString alias = word == u"party"_s ? u"political"_s : word;
            for (const QString &k : std::as_const(known))
                if (k.startsWith(alias + u'_')) {
                    found = k;
                    break;
                }
        }
        if (found.isEmpty())
            return Error::user(
                       u"unknown trait '%1' (the category map has %2)"_s.arg(word, known.join(u", "_s)))
                .withKey(u"traits"_s);
        if (!out.contains(found))
            out.append(found);
    }
    return out;
}

Result<RespondentTraits> RespondentTraits::build(const Dataset &dataset, const CategoryMapConfig &map,
                                                 const DemographicQuestionnaire &questionnaire,
                                                 const QStringList &traits)
{
    RespondentTraits out;
    out.m_rows = dataset.rowCount();
    out.m_weights = dataset.weights();
    for (qsizetype r = 0; r < out.m_rows; ++r)
        out.m_keys.append(humanKeyOf(dataset, r));

    for (const QString &trait : traits) {
        const TraitCategoryMap *tm = map.find(trait);
        if (!tm)
            return Error::user(u"unknown trait '%1': the category map has no such trait"_s.arg(trait))
                .withKey(u"traits"_s);
        const DemographicQuestion *question = nullptr;
        for (const DemographicQuestion &q : questionnaire.traits)
            if (q.key == trait)
                question = &q;
        if (!question)
            return Error::user(
                       u"unknown trait '%1': the demographic questionnaire has no such question"_s.arg(trait))
                .withKey(u"traits"_s);
        Result<QString> variable = tm->variableIn(dataset);
        if (!variable)
            return variable.error();
        const qsizetype index = dataset.indexOf(*variable);
        const Variable &v = dataset.variable(index);
        if (!v.isNumeric())
            return Error::user(u"variable %1 (trait %2) is not numeric"_s.arg(v.name, trait)).withKey(trait);

        DemographicQuestion q = *question;
        q.choices.clear();
        QList<int> codes = tm->map.humanCodeToCategory.keys();
        std::sort(codes.begin(), codes.end());
        QMap<int, QString> labels;
        for (const ValueLabel &l : v.valueLabels)
            if (l.value == std::floor(l.value))
                labels.insert(int(l.value), l.label);
        for (int c : std::as_const(codes)) {
            QString label = labels.value(c);
            if (label.isEmpty()) {
                const int category = tm->map.humanCodeToCategory.value(c);
                label = tm->categoryNames.value(category, QString::number(c));
            }
            q.choices.append(label);
        }
        out.m_traits.append(trait);
        out.m_variables.append(v.name);
        out.m_maps.append(tm);
        out.m_questions.append(q);
        out.m_choiceCodes.append(codes);
        out.m_codes.append(dataset.numericColumn(index));
        out.m_labels.append(labels);
    }
    return out;
}

QString RespondentTraits::humanKeyOf(const Dataset &dataset, qsizetype row)
{
    QString key;
    if (!dataset.keyVariable().isEmpty()) {
        const qsizetype k = dataset.indexOf(dataset.keyVariable());
        key = dataset.variable(k).isNumeric() ? keyText(dataset.numericColumn(k)[size_t(row)])
                                              : dataset.stringColumn(k).value(row).trimmed();
    }
    return key.isEmpty() ? u"row%1"_s.arg(row + 1) : key;
}

QString RespondentTraits::humanKey(qsizetype row) const
{
    return m_keys.value(row);
}

double RespondentTraits::weight(qsizetype row) const
{
    return row < qsizetype(m_weights.size()) ? m_weights[size_t(row)] : 1.0;
}

int RespondentTraits::code(qsizetype row, int t) const
{
    const double v = m_codes.at(t)[size_t(row)];
    return std::isnan(v) || v != std::floor(v) ? -1 : int(v);
}

QMap<QString, HumanTrait> RespondentTraits::humanTraits(qsizetype row) const
{
    QMap<QString, HumanTrait> out;
    for (int t = 0; t < m_traits.size(); ++t) {
        const int c = code(row, t);
        out.insert(m_traits[t], HumanTrait{m_variables[t], c, c < 0 ? QString() : m_labels[t].value(c)});
    }
    return out;
}

QList<TraitAnswer> RespondentTraits::answers(qsizetype row) const
{
    QList<TraitAnswer> out;
    for (int t = 0; t < m_traits.size(); ++t)
        out.append(TraitAnswer{m_questions[t], int(m_choiceCodes[t].indexOf(code(row, t)))});
    return out;
}

} // namespace anthology
