#pragma once

#include "llm/LlmClient.h"

#include <QHash>
#include <QTest>

namespace anthology::test {

// Collects an LlmClient's outcomes by ticket and notices any ticket answered twice.
struct OutcomeCollector
{
    QHash<quint64, LlmOutcome> outcomes;
    int duplicates = 0;

    explicit OutcomeCollector(LlmClient &client)
    {
        QObject::connect(&client, &LlmClient::finished, &client, [this](const QList<LlmOutcome> &batch) {
            for (const LlmOutcome &o : batch) {
                duplicates += outcomes.contains(o.ticket) ? 1 : 0;
                outcomes.insert(o.ticket, o);
            }
        });
    }
    bool waitFor(int count, int timeoutMs = 60000)
    {
        return QTest::qWaitFor([&] { return outcomes.size() >= count; }, timeoutMs);
    }
    int succeeded() const
    {
        int n = 0;
        for (const LlmOutcome &o : outcomes)
            n += o.ok ? 1 : 0;
        return n;
    }
};

} // namespace anthology::test
