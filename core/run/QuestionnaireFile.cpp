#include "run/QuestionnaireFile.h"

#include <QFile>

#include <yaml-cpp/yaml.h>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

QString text(const YAML::Node &node)
{
    return QString::fromStdString(node.as<std::string>());
}

Error at(const QString &file, const YAML::Node &node, const QString &message)
{
    const YAML::Mark mark = node.Mark();
    return Error::at(file, mark.line >= 0 ? mark.line + 1 : 0, mark.column >= 0 ? mark.column + 1 : 0,
                     message);
}

} // namespace

Result<Questionnaire> QuestionnaireFile::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::user(u"cannot read the questionnaire: %1"_s.arg(file.errorString())).withFile(path);
    return parse(file.readAll(), path);
}

Result<Questionnaire> QuestionnaireFile::parse(const QByteArray &yaml, const QString &fileName)
{
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        if (!root.IsMap())
            return Error::at(fileName, 1, 1, u"expected a mapping with 'questions'"_s);
        Questionnaire q;
        if (root["wave"])
            q.wave = root["wave"].as<int>();
        const YAML::Node questions = root["questions"];
        if (!questions || !questions.IsMap() || questions.size() == 0)
            return Error::at(fileName, 1, 1,
                             u"expected 'questions': a mapping of question id to its text and choices"_s)
                .withKey(u"questions"_s);
        for (const auto &entry : questions) {
            Question question;
            question.id = text(entry.first);
            const YAML::Node body = entry.second["question_body"];
            const YAML::Node choices = entry.second["choices"];
            if (!body || !body.IsScalar())
                return at(fileName, entry.second, u"expected 'question_body' text"_s).withKey(question.id);
            if (!choices || !choices.IsSequence() || choices.size() < 2)
                return at(fileName, entry.second, u"expected 'choices': a list of at least two options"_s)
                    .withKey(question.id);
            question.body = text(body);
            for (const auto &c : choices)
                question.choices.append(text(c));
            if (const YAML::Node allow = entry.second["allow_randomization"])
                question.allowRandomization = allow.as<bool>();
            if (const YAML::Node patterns = entry.second["randomization_pattern"]) {
                for (const auto &p : patterns) {
                    QList<int> pattern;
                    for (const auto &i : p)
                        pattern.append(i.as<int>());
                    question.randomizationPatterns.append(pattern);
                }
            }
            q.questions.append(question);
        }
        return q;
    } catch (const YAML::Exception &e) {
        return Error::at(fileName, e.mark.line >= 0 ? e.mark.line + 1 : 0,
                         e.mark.column >= 0 ? e.mark.column + 1 : 0, QString::fromStdString(e.msg));
    }
}

} // namespace anthology
