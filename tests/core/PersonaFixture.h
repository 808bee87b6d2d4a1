#pragma once

// Shared fixtures of the matching and persona-set tests: the default demographic
// questionnaire, a synthetic wave, and "demographics" runs written through RunStore as
// SESSION2's contract describes them.

#include "config/ConfigLoader.h"
#include "config/ConfigSchema.h"
#include "data/DatasetStore.h"
#include "data/SyntheticAtpGenerator.h"
#include "project/ProjectFile.h"
#include "project/Transaction.h"
#include "run/RunStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace anthology::test {

inline DemographicQuestionnaire defaultDemographics()
{
    const Result<ResolvedConfig> config = ConfigLoader().load(QStringLiteral("demographics_config"));
    if (!config)
        return {};
    const Result<SurveyConfig> survey = ConfigSchema::survey(*config);
    return survey ? survey->demographics : DemographicQuestionnaire{};
}

// A persona's distribution over a trait's choices plus the non-compliant bucket: most mass on a
// choice that depends on the persona and the trait, so personas differ.
inline QList<double> personaDistribution(int persona, const DemographicQuestion &trait)
{
    const bool preferNot = trait.choices.constLast() == QStringLiteral("Prefer not to answer");
    const int substantive = int(trait.choices.size()) - (preferNot ? 1 : 0);
    const int favourite = int((persona * 7 + qHash(trait.key) % 5) % substantive);
    QList<double> p(trait.choices.size() + 1, 0.0);
    for (int i = 0; i < substantive; ++i)
        p[i] = 0.3 / substantive;
    p[favourite] += 0.6;
    if (preferNot)
        p[substantive] = 0.05;
    p[p.size() - 1] += preferNot ? 0.05 : 0.1;
    return p;
}

inline QByteArray distributionJson(const DemographicQuestion &trait, const QList<double> &p)
{
    QJsonArray counts, probabilities;
    for (double v : p) {
        counts.append(qRound(v * 40));
        probabilities.append(v);
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("trait"), trait.key},
                                     {QStringLiteral("choices"), QJsonArray::fromStringList(trait.choices)},
                                     {QStringLiteral("counts"), counts},
                                     {QStringLiteral("probabilities"), probabilities},
                                     {QStringLiteral("source"), QStringLiteral("sampling")}})
        .toJson(QJsonDocument::Compact);
}

// A run row of `kind` written by a test rather than the engine.
inline Result<qint64> createTestRun(RunStore &store, const QString &name, const QString &kind)
{
    RunInfo info;
    info.name = name;
    info.kind = kind;
    info.config = QStringLiteral("{}");
    info.programVersion = QStringLiteral("test");
    return store.createRun(info);
}

// A completed "demographics" run: one done item per (persona, trait, sample 0) with its
// distribution; `leavePending` items (persona index, trait key) stay pending.
inline Result<qint64> writeDemographicsRun(ProjectFile &project, const QString &name,
                                           const QList<QPair<QString, int>> &personas,
                                           const DemographicQuestionnaire &questionnaire,
                                           const QList<QPair<int, QString>> &leavePending = {})
{
    RunStore store(project);
    Result<qint64> runId = createTestRun(store, name, QStringLiteral("demographics"));
    if (!runId)
        return runId;
    QList<ItemResult> results;
    {
        Transaction tx(project.handle());
        for (int i = 0; i < personas.size(); ++i) {
            for (const DemographicQuestion &trait : questionnaire.traits) {
                PlannedItem item;
                item.persona = personas[i].first;
                item.personaRevision = personas[i].second;
                item.question = trait.key;
                Result<qint64> id = store.insertItem(*runId, item);
                if (!id)
                    return id.error();
                if (leavePending.contains(QPair<int, QString>(i, trait.key)))
                    continue;
                ItemResult r;
                r.itemId = *id;
                r.ok = true;
                r.compliant = true;
                r.rawAnswer = QStringLiteral("(A)");
                r.distribution = distributionJson(trait, personaDistribution(i, trait));
                results.append(r);
            }
        }
        if (Status st = tx.commit(); !st)
            return st.error();
    }
    if (Status st = store.commit(*runId, results); !st)
        return st.error();
    return runId;
}

// A synthetic ATP-like wave stored in the project under `name`.
inline Result<DatasetInfo> storeSyntheticWave(ProjectFile &project, const QString &name, int respondents,
                                              int wave = 99, int items = 3)
{
    SyntheticAtpOptions options;
    options.respondents = respondents;
    options.wave = wave;
    options.items = items;
    options.seed = 7;
    return DatasetStore(project).store(SyntheticAtpGenerator(options).generate(), name, wave);
}

} // namespace anthology::test
