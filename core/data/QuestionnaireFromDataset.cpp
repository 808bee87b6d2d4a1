#include "data/QuestionnaireFromDataset.h"

#include "data/Dataset.h"

#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

QString QuestionnaireFromDataset::stripNamePrefix(const QString &name, const QString &label)
{
    // Pew labels read "NAME. Question text"; NAME may be given with or without the wave suffix.
    static const QRegularExpression prefix(u"^\\s*([A-Za-z][A-Za-z0-9_.$@#]*?)\\s*[.:]\\s+"_s);
    const QRegularExpressionMatch m = prefix.match(label);
    if (m.hasMatch()) {
        static const QRegularExpression wave(u"_W\\d+$"_s, QRegularExpression::CaseInsensitiveOption);
        const QString token = m.captured(1);
        const QString base = QString(name).remove(wave);
        if (token.compare(name, Qt::CaseInsensitive) == 0 || token.compare(base, Qt::CaseInsensitive) == 0)
            return label.mid(m.capturedEnd()).trimmed();
    }
    return label.trimmed();
}

bool QuestionnaireFromDataset::isNonSubstantive(double code, const QString &label)
{
    if (code >= 90.0)
        return true;
    static const QRegularExpression words(
        u"^\\s*(refused|don'?t know|don\u2019t know|dk|no answer|skipped|dk/refused|dk/ref)\\b"_s,
        QRegularExpression::CaseInsensitiveOption);
    return words.match(label).hasMatch();
}

int QuestionnaireFromDataset::waveFromName(const QString &name)
{
    static const QRegularExpression suffix(u"_W(\\d+)$"_s, QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = suffix.match(name);
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

Result<Question> QuestionnaireFromDataset::question(const Variable &variable)
{
    if (!variable.isNumeric())
        return Error::user(
                   u"variable %1 is a string variable; a question needs numeric codes with value labels"_s
                       .arg(variable.name))
            .withKey(variable.name);
    QList<ValueLabel> substantive;
    for (const ValueLabel &l : variable.valueLabels)
        if (!isNonSubstantive(l.value, l.label))
            substantive.append(l);
    if (substantive.isEmpty())
        return Error::user(
                   u"variable %1 has no value labels for its answer codes; expected labels for codes 1..K"_s
                       .arg(variable.name))
            .withKey(variable.name);
    std::sort(substantive.begin(), substantive.end(),
              [](const ValueLabel &a, const ValueLabel &b) { return a.value < b.value; });
    Question q;
    q.id = variable.name;
    q.body = stripNamePrefix(variable.name, variable.label);
    if (q.body.isEmpty())
        return Error::user(
                   u"variable %1 has no variable label to use as the question text"_s.arg(variable.name))
            .withKey(variable.name);
    for (qsizetype i = 0; i < substantive.size(); ++i) {
        const double expected = double(i + 1);
        if (substantive.at(i).value != expected)
            return Error::
                user(u"variable %1: answer codes must run 1..K without gaps, but code %2 has no value label "
                     "(the next labelled code is %3)"_s.arg(variable.name)
                         .arg(i + 1)
                         .arg(substantive.at(i).value))
                    .withKey(variable.name);
        q.choices.append(substantive.at(i).label.trimmed());
    }
    return q;
}

Result<Questionnaire> QuestionnaireFromDataset::build(const Dataset &dataset,
                                                      const QStringList &variableNames)
{
    Questionnaire questionnaire;
    questionnaire.wave = waveFromName(dataset.weightVariable());
    questionnaire.humanDataPath = dataset.sourcePath();
    for (const QString &name : variableNames) {
        const qsizetype i = dataset.indexOf(name);
        if (i < 0)
            return Error::user(u"no variable named %1 in the data set"_s.arg(name))
                .withKey(name)
                .withFile(dataset.sourcePath());
        Result<Question> q = question(dataset.variable(i));
        if (!q)
            return Error(q.error()).withFile(dataset.sourcePath());
        if (questionnaire.wave == 0)
            questionnaire.wave = waveFromName(name);
        questionnaire.questions.append(std::move(q).value());
    }
    return questionnaire;
}

Result<QString> QuestionnaireFromDataset::toYaml(const Questionnaire &questionnaire)
{
    YAML::Emitter out;
    out.SetIndent(2);
    out << YAML::BeginMap;
    out << YAML::Key << "wave" << YAML::Value << questionnaire.wave;
    if (!questionnaire.humanDataPath.isEmpty())
        out << YAML::Key << "human_data_path" << YAML::Value << questionnaire.humanDataPath.toStdString();
    if (!questionnaire.demographicsMetadataPath.isEmpty())
        out << YAML::Key << "demographics_metadata_path" << YAML::Value
            << questionnaire.demographicsMetadataPath.toStdString();
    out << YAML::Key << "questions" << YAML::Value << YAML::BeginMap;
    for (const Question &q : questionnaire.questions) {
        out << YAML::Key << q.id.toStdString() << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "question_body" << YAML::Value << q.body.toStdString();
        out << YAML::Key << "choices" << YAML::Value << YAML::BeginSeq;
        for (const QString &c : q.choices)
            out << c.toStdString();
        out << YAML::EndSeq;
        out << YAML::Key << "allow_randomization" << YAML::Value << q.allowRandomization;
        out << YAML::Key << "randomization_pattern" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const QList<int> &pattern : q.randomizationPatterns) {
            out << YAML::Flow << YAML::BeginSeq;
            for (int p : pattern)
                out << p;
            out << YAML::EndSeq;
        }
        out << YAML::EndSeq;
        out << YAML::EndMap;
    }
    out << YAML::EndMap << YAML::EndMap;
    if (!out.good())
        return Error::internal(
            u"cannot emit the questionnaire as YAML: %1"_s.arg(QString::fromStdString(out.GetLastError())));
    return QString(QString::fromUtf8(out.c_str()) + u'\n');
}

} // namespace anthology
