#pragma once

// A synthetic study for the Results tests and bench: a synthetic ATP-like wave, one persona per
// respondent row (its backstory names the respondent's qkey, so subgroups follow the human), and
// survey runs written through RunStore with answers chosen by a rule, so the bars are known.

#include "core/PersonaFixture.h"

#include "backstories/BackstoryImporter.h"
#include "data/Dataset.h"
#include "data/DatasetStore.h"
#include "data/SyntheticAtpGenerator.h"
#include "pipeline/RespondentTraits.h"
#include "project/ProjectFile.h"
#include "project/Transaction.h"
#include "run/RunStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <functional>

namespace anthology::test {

struct SyntheticStudy
{
    QString path;
    QString dataset = QStringLiteral("W99");
    QStringList questions;
    QList<int> optionCounts; // K per question
    QList<qint64> runIds;
};

// The option (1..K) persona p gives to question q in a run, or 0 for a non-compliant answer.
using AnswerRule = std::function<int(int persona, int question, int optionCount)>;
// The stored logprob probabilities (one per option) of that answer, or empty for none.
using DistributionRule = std::function<QList<double>(int persona, int question, int optionCount)>;

inline QString studyPersona(int i)
{
    return QStringLiteral("p%1").arg(i, 5, 10, QLatin1Char('0'));
}

inline Result<qint64> writeSurveyRun(ProjectFile &project, const QString &name, const SyntheticStudy &study,
                                     int personas, const AnswerRule &answer, const DistributionRule &distribution = {})
{
    RunStore store(project);
    Result<qint64> runId = createTestRun(store, name, QStringLiteral("survey"));
    if (!runId)
        return runId;
    QList<ItemResult> results;
    {
        Transaction tx(project.handle());
        for (int p = 0; p < personas; ++p)
            for (int q = 0; q < study.questions.size(); ++q) {
                PlannedItem item;
                item.persona = studyPersona(p);
                item.question = study.questions[q];
                item.position = q;
                Result<qint64> id = store.insertItem(*runId, item);
                if (!id)
                    return id.error();
                const int option = answer(p, q, study.optionCounts[q]);
                ItemResult r;
                r.itemId = *id;
                r.ok = true;
                r.compliant = option > 0;
                r.option = option > 0 ? option - 1 : -1;
                r.rawAnswer = option > 0 ? QStringLiteral("(%1)").arg(QChar(u'A' + option - 1)) : QStringLiteral("?");
                if (distribution) {
                    const QList<double> probabilities = distribution(p, q, study.optionCounts[q]);
                    if (!probabilities.isEmpty()) {
                        QJsonArray a;
                        for (double v : probabilities)
                            a.append(v);
                        r.distribution = QJsonDocument(QJsonObject{{QStringLiteral("position"), 0},
                                                                   {QStringLiteral("probabilities"), a}})
                                             .toJson(QJsonDocument::Compact);
                    }
                }
                results.append(r);
            }
        if (Status st = tx.commit(); !st)
            return st.error();
    }
    if (Status st = store.commit(*runId, results); !st)
        return st.error();
    return runId;
}

// The project with the wave (`respondents` rows, `items` questions) and one persona per row.
inline Result<SyntheticStudy> syntheticStudy(const QString &path, int respondents, int items)
{
    SyntheticStudy study;
    study.path = path;
    SyntheticAtpOptions options;
    options.respondents = respondents;
    options.items = items;
    options.wave = 99;
    options.seed = 11;
    const SyntheticAtpGenerator generator(options);
    const Dataset dataset = generator.generate();
    study.questions = generator.itemNames();
    for (const QString &q : study.questions) {
        int k = 0;
        for (const ValueLabel &l : dataset.variable(dataset.indexOf(q)).valueLabels)
            if (l.value >= 1 && l.value < 90)
                ++k;
        study.optionCounts.append(k);
    }
    auto project = ProjectFile::create(path);
    if (!project)
        return project.error();
    if (Result<DatasetInfo> stored = DatasetStore(**project).store(dataset, study.dataset, 99); !stored)
        return stored.error();
    QByteArray jsonl;
    for (int i = 0; i < respondents; ++i)
        jsonl += QJsonDocument(QJsonObject{{QStringLiteral("uid"), studyPersona(i)},
                                           {QStringLiteral("qkey"), RespondentTraits::humanKeyOf(dataset, i)},
                                           {QStringLiteral("backstory"),
                                            QStringLiteral("Question: Tell me about yourself.\nAnswer: I am "
                                                           "respondent number %1 of a synthetic wave.")
                                                .arg(i)}})
                     .toJson(QJsonDocument::Compact) +
                 '\n';
    const QString source = path + QStringLiteral(".jsonl");
    QFile file(source);
    if (!file.open(QIODevice::WriteOnly) || file.write(jsonl) != jsonl.size())
        return Error::user(QStringLiteral("cannot write %1").arg(source));
    file.close();
    BackstoryImportOptions importOptions;
    importOptions.dropShort = false;
    if (auto imported = BackstoryImporter(**project).importFile(source, importOptions); !imported)
        return imported.error();
    return study;
}

} // namespace anthology::test
