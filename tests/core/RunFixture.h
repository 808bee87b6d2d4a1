#pragma once

// Shared fixtures of the run tests: a project with N personas and a small questionnaire in
// our own wording.

#include "TempProject.h"

#include "backstories/BackstoryImporter.h"
#include "project/ProjectFile.h"
#include "run/SurveyPlan.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <memory>

namespace anthology::test {

inline QString personaUid(int i)
{
    return QStringLiteral("persona-%1").arg(i, 4, 10, QLatin1Char('0'));
}

inline QString personaText(int i)
{
    return QStringLiteral("Question: Tell me about yourself.\nAnswer: I grew up in town number %1 and I like "
                          "gardening, long walks and quiet evenings.")
        .arg(i);
}

// A new project at `path` with `personas` backstories.
inline std::unique_ptr<ProjectFile> projectWithPersonas(const TempProject &dir, const QString &fileName,
                                                        int personas)
{
    QByteArray jsonl;
    for (int i = 0; i < personas; ++i)
        jsonl += QJsonDocument(QJsonObject{{QStringLiteral("uid"), personaUid(i)},
                                           {QStringLiteral("backstory"), personaText(i)}})
                     .toJson(QJsonDocument::Compact) +
                 '\n';
    const QString source = dir.writeFile(fileName + QStringLiteral(".jsonl"), jsonl);
    auto project = ProjectFile::create(dir.path(fileName));
    if (!project)
        return nullptr;
    BackstoryImportOptions options;
    options.dropShort = false;
    if (!BackstoryImporter(**project).importFile(source, options))
        return nullptr;
    return std::move(*project);
}

inline Questionnaire questionnaire(int questions, int choices = 5)
{
    static const QStringList labels{QStringLiteral("Every day"),   QStringLiteral("A few times a week"),
                                    QStringLiteral("Once a week"), QStringLiteral("Rarely"),
                                    QStringLiteral("Never"),       QStringLiteral("Not sure")};
    Questionnaire q;
    q.wave = 99;
    for (int i = 0; i < questions; ++i) {
        Question question;
        question.id = QStringLiteral("HOBBY%1_W99").arg(i + 1);
        question.body = QStringLiteral("How often do you spend time on hobby number %1?").arg(i + 1);
        question.choices = labels.mid(0, choices);
        q.questions.append(question);
    }
    return q;
}

inline SurveyPlan surveyPlan(const QUrl &baseUrl, int questions, bool inSeries, int samples = 1,
                             int choices = 5)
{
    SurveyPlan plan;
    plan.name = QStringLiteral("test survey");
    plan.questionnaire = questionnaire(questions, choices);
    plan.options.inSeries = inSeries;
    plan.options.seed = 7;
    plan.llm.apiProvider = baseUrl.toString();
    plan.llm.modelName = QStringLiteral("fake-model");
    plan.llm.maxTokens = 16;
    plan.samples = samples;
    return plan;
}

} // namespace anthology::test
