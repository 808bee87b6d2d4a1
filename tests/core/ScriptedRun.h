#pragma once

// A survey run written straight into a project, item by item, with the re-ask chains, failures
// and pending items a test needs: for the readers of final answers (RunAnswers, the exports,
// ExpectedShares, `anthology analyze --run`).

#include "project/ProjectFile.h"
#include "project/Transaction.h"
#include "run/RunStore.h"

#include <QList>
#include <QString>

namespace anthology::test {

// One stored row of a chain and what became of it.
struct ScriptedItem
{
    enum class State { Pending, Done, Failed };

    ScriptedItem(const QString &persona, const QString &question, int position, int baseSample, int reask,
                 State state = State::Done, int option = 0, const QByteArray &logprobs = {})
        : persona(persona), question(question), position(position), baseSample(baseSample), reask(reask),
          state(state), option(option), logprobs(logprobs)
    {
    }

    QString persona;
    QString question;
    int position = 0;
    int baseSample = 0;
    int reask = 0;
    State state = State::Done;
    int option = 0;      // Done: the option 1..K; 0 = non-compliant
    QByteArray logprobs; // Done: the stored distribution, empty for none
};

// A new survey run holding `items`; 0 when anything failed (a QVERIFY on it says so).
inline qint64 storeScriptedRun(ProjectFile &project, const QList<ScriptedItem> &items)
{
    RunStore store(project);
    RunInfo info;
    info.name = QStringLiteral("scripted");
    info.config = QStringLiteral("{}");
    info.programVersion = QStringLiteral("test");
    Result<qint64> run = store.createRun(info);
    if (!run)
        return 0;
    QList<ItemResult> results;
    {
        Transaction tx(project.handle());
        for (const ScriptedItem &item : items) {
            PlannedItem planned;
            planned.persona = item.persona;
            planned.question = item.question;
            planned.position = item.position;
            planned.baseSample = item.baseSample;
            planned.reask = item.reask;
            // Unique per (persona, question) as the planner makes it: re-asks after the samples.
            planned.sample = item.reask == 0 ? item.baseSample : 1000 + item.baseSample * 100 + item.reask;
            Result<qint64> id = store.insertItem(*run, planned);
            if (!id)
                return 0;
            if (item.state == ScriptedItem::State::Pending)
                continue;
            ItemResult r;
            r.itemId = *id;
            r.ok = item.state == ScriptedItem::State::Done;
            r.attempts = 1;
            if (r.ok) {
                r.rawAnswer = item.option > 0 ? QString::number(item.option) : QStringLiteral("no idea");
                r.compliant = item.option > 0;
                r.option = item.option - 1;
                r.distribution = item.logprobs;
            } else {
                r.error = QStringLiteral("HTTP 500");
            }
            results.append(r);
        }
        if (!tx.commit())
            return 0;
    }
    if (!store.commit(*run, results))
        return 0;
    return *run;
}

} // namespace anthology::test
