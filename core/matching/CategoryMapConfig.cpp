#include "matching/CategoryMapConfig.h"

#include "data/Dataset.h"
#include "data/QuestionnaireFromDataset.h"

#include <QFile>
#include <QHash>

#include <yaml-cpp/yaml.h>

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

// Reads one file; every Error it makes carries the file, the node's position and its key path.
class Reader
{
public:
    Reader(QString file, const DemographicQuestionnaire *questionnaire)
        : m_file(std::move(file)), m_questionnaire(questionnaire)
    {
    }

    Error at(const YAML::Node &node, const QString &key, const QString &message) const
    {
        const YAML::Mark mark = node.Mark();
        const bool known = mark.line >= 0 && mark.pos >= 0;
        return Error::at(m_file, known ? mark.line + 1 : 0, known ? mark.column + 1 : 0, message)
            .withKey(key);
    }

    Status checkKeys(const YAML::Node &map, const QString &path, const QStringList &allowed) const
    {
        for (auto it = map.begin(); it != map.end(); ++it) {
            const QString key = str(it->first.Scalar());
            if (!allowed.contains(key))
                return at(it->first, path.isEmpty() ? key : path + u'.' + key,
                          u"unknown key '%1'; expected one of: %2"_s.arg(key, allowed.join(u", "_s)));
        }
        return {};
    }

    Result<CategoryMapConfig> read(const YAML::Node &root, int *wave, QList<TraitCategoryMap> *traits) const
    {
        if (!root.IsMap())
            return at(root, {}, u"expected a mapping with 'wave' and 'traits'"_s);
        if (Status s = checkKeys(root, {}, {u"wave"_s, u"traits"_s}); !s)
            return s.error();
        if (const YAML::Node w = root["wave"]) {
            if (!w.IsScalar() || !YAML::convert<int>::decode(w, *wave) || *wave < 0)
                return at(w, u"wave"_s, u"expected a wave number, got '%1'"_s.arg(str(w.Scalar())));
        }
        const YAML::Node t = root["traits"];
        if (!t || !t.IsMap() || t.size() == 0)
            return at(t ? t : root, u"traits"_s,
                      u"expected 'traits': a mapping from trait key to its categories"_s);
        for (auto it = t.begin(); it != t.end(); ++it) {
            auto trait = readTrait(str(it->first.Scalar()), it->second);
            if (!trait)
                return trait.error();
            traits->append(*trait);
        }
        return CategoryMapConfig();
    }

private:
    // The trait's LLM choices without the final "Prefer not to answer", when a questionnaire is given.
    const DemographicQuestion *questionFor(const QString &trait) const
    {
        if (!m_questionnaire)
            return nullptr;
        for (const DemographicQuestion &q : m_questionnaire->traits)
            if (q.key == trait)
                return &q;
        return nullptr;
    }

    Result<TraitCategoryMap> readTrait(const QString &trait, const YAML::Node &node) const
    {
        const QString path = u"traits."_s + trait;
        if (!node.IsMap())
            return at(node, path, u"expected a mapping with 'atp_variable' and 'categories'"_s);
        if (Status s = checkKeys(node, path, {u"atp_variable"_s, u"categories"_s}); !s)
            return s.error();
        TraitCategoryMap out;
        out.map.trait = trait;
        const YAML::Node vars = node["atp_variable"];
        if (vars && vars.IsScalar() && !vars.Scalar().empty()) {
            out.humanVariables.append(str(vars.Scalar()));
        } else if (vars && vars.IsSequence() && vars.size() > 0) {
            for (const YAML::Node &v : vars) {
                if (!v.IsScalar() || v.Scalar().empty())
                    return at(v, path + u".atp_variable"_s, u"expected an ATP variable name"_s);
                out.humanVariables.append(str(v.Scalar()));
            }
        } else {
            return at(vars ? vars : node, path + u".atp_variable"_s,
                      u"expected the ATP variable's name, or a list of names in order of preference"_s);
        }

        const YAML::Node cats = node["categories"];
        if (!cats || !cats.IsSequence() || cats.size() == 0)
            return at(cats ? cats : node, path + u".categories"_s,
                      u"expected a list of categories, each with name, llm and atp"_s);
        const DemographicQuestion *question = questionFor(trait);
        const qsizetype choiceCount = question ? std::max<qsizetype>(question->choices.size() - 1, 0) : -1;
        QHash<int, QString> choiceOwner; // 0-based choice -> category path
        QHash<int, QString> codeOwner;
        int category = 0;
        for (const YAML::Node &c : cats) {
            const QString cpath = path + u".categories[%1]"_s.arg(category);
            if (!c.IsMap())
                return at(c, cpath, u"expected a mapping with name, llm and atp"_s);
            if (Status s = checkKeys(c, cpath, {u"name"_s, u"llm"_s, u"atp"_s}); !s)
                return s.error();
            const YAML::Node name = c["name"];
            if (!name || !name.IsScalar() || name.Scalar().empty())
                return at(name ? name : c, cpath + u".name"_s, u"expected the category's name"_s);
            if (out.categoryNames.contains(str(name.Scalar())))
                return at(name, cpath + u".name"_s,
                          u"category '%1' appears twice in %2"_s.arg(str(name.Scalar()), trait));
            out.categoryNames.append(str(name.Scalar()));

            const YAML::Node llm = c["llm"];
            if (!llm || !llm.IsSequence())
                return at(llm ? llm : c, cpath + u".llm"_s,
                          u"expected a list of the trait's choices (numbers from 1, or labels)"_s);
            for (const YAML::Node &item : llm) {
                auto choice = readChoice(item, cpath + u".llm"_s, trait, question, choiceCount);
                if (!choice)
                    return choice.error();
                if (choiceOwner.contains(*choice))
                    return at(item, cpath + u".llm"_s,
                              u"choice %1 of %2 is already in %3; a choice belongs to one category"_s
                                  .arg(*choice + 1)
                                  .arg(trait, choiceOwner.value(*choice)));
                choiceOwner.insert(*choice, cpath);
                if (out.map.choiceToCategory.size() <= *choice)
                    out.map.choiceToCategory.resize(*choice + 1, -1);
                out.map.choiceToCategory[*choice] = category;
            }

            const YAML::Node atp = c["atp"];
            if (!atp || !atp.IsSequence())
                return at(atp ? atp : c, cpath + u".atp"_s, u"expected a list of the ATP variable's codes"_s);
            for (const YAML::Node &item : atp) {
                int code = 0;
                if (!item.IsScalar() || !YAML::convert<int>::decode(item, code))
                    return at(item, cpath + u".atp"_s,
                              u"expected a whole-number ATP code, got '%1'"_s.arg(str(item.Scalar())));
                if (codeOwner.contains(code))
                    return at(item, cpath + u".atp"_s,
                              u"ATP code %1 is already in %2; a code belongs to one category"_s.arg(code).arg(
                                  codeOwner.value(code)));
                codeOwner.insert(code, cpath);
                out.map.humanCodeToCategory.insert(code, category);
            }
            ++category;
        }
        out.map.categoryCount = category;
        if (choiceCount > 0 && out.map.choiceToCategory.size() < choiceCount)
            out.map.choiceToCategory.resize(choiceCount, -1);
        if (Status s = out.map.validate(); !s)
            return at(node, path, s.error().message);
        return out;
    }

    // 0-based choice index from a number (1-based) or a label.
    Result<int> readChoice(const YAML::Node &item, const QString &path, const QString &trait,
                           const DemographicQuestion *question, qsizetype choiceCount) const
    {
        if (!item.IsScalar())
            return at(item, path, u"expected a choice number or label"_s);
        int number = 0;
        const bool quoted = item.Tag() == "!";
        if (!quoted && YAML::convert<int>::decode(item, number)) {
            if (number < 1)
                return at(item, path, u"expected a choice number from 1, got %1"_s.arg(number));
            if (choiceCount >= 0 && number > choiceCount)
                return at(item, path,
                          u"%1 has %2 choices (before 'Prefer not to answer'); got choice %3"_s.arg(trait)
                              .arg(choiceCount)
                              .arg(number));
            return number - 1;
        }
        const QString label = str(item.Scalar());
        if (!question)
            return at(item, path,
                      m_questionnaire
                          ? u"the demographic questionnaire has no trait %1, so the label '%2' cannot be "
                            "resolved; use choice numbers"_s.arg(trait, label)
                          : u"the label '%1' needs the demographic questionnaire to resolve; use choice "
                            "numbers from 1"_s.arg(label));
        for (qsizetype i = 0; i < choiceCount; ++i)
            if (question->choices.at(i).compare(label, Qt::CaseInsensitive) == 0)
                return int(i);
        return at(item, path,
                  u"%1 has no choice '%2'; its choices are: %3"_s.arg(
                      trait, label, question->choices.first(choiceCount).join(u"; "_s)));
    }

    QString m_file;
    const DemographicQuestionnaire *m_questionnaire;
};

} // namespace

Result<QString> TraitCategoryMap::variableIn(const Dataset &dataset) const
{
    for (const QString &name : humanVariables) {
        const qsizetype i = dataset.indexOf(name);
        if (i >= 0)
            return dataset.variable(i).name;
    }
    return Error::user(u"the data set has none of the variables for %1 (%2); edit atp_variable in the "
                       "category map"_s.arg(map.trait, humanVariables.join(u", "_s)))
        .withKey(map.trait);
}

Status TraitCategoryMap::checkCodes(const Variable &variable) const
{
    for (const ValueLabel &l : variable.valueLabels) {
        if (QuestionnaireFromDataset::isNonSubstantive(l.value, l.label) || variable.isUserMissing(l.value))
            continue;
        if (l.value != std::floor(l.value) || !map.humanCodeToCategory.contains(int(l.value)))
            return Error::user(u"%1 code %2 (%3) has no category in the map for %4"_s.arg(variable.name)
                                   .arg(l.value)
                                   .arg(l.label, map.trait))
                .withKey(map.trait);
    }
    return {};
}

const TraitCategoryMap *CategoryMapConfig::find(const QString &trait) const
{
    for (const TraitCategoryMap &t : m_traits)
        if (t.map.trait == trait)
            return &t;
    return nullptr;
}

Result<CategoryMapConfig> CategoryMapConfig::load(const QString &path,
                                                  const DemographicQuestionnaire *questionnaire)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::user(u"cannot read the category map: "_s + file.errorString()).withFile(path);
    return parse(file.readAll(), path, questionnaire);
}

Result<CategoryMapConfig> CategoryMapConfig::parse(const QByteArray &yaml, const QString &displayName,
                                                   const DemographicQuestionnaire *questionnaire)
{
    Reader reader(displayName, questionnaire);
    CategoryMapConfig config;
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        auto read = reader.read(root, &config.m_wave, &config.m_traits);
        if (!read)
            return read.error();
    } catch (const YAML::Exception &e) {
        const bool known = e.mark.line >= 0 && e.mark.pos >= 0;
        return Error::at(displayName, known ? e.mark.line + 1 : 0, known ? e.mark.column + 1 : 0,
                         u"not valid YAML: "_s + str(e.msg));
    }
    return config;
}

} // namespace anthology
