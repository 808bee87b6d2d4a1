#pragma once

#include "analysis/ModelAnswers.h"
#include "run/ExpectedShares.h"
#include "util/Result.h"

#include <QByteArray>
#include <QHash>

#include <optional>

namespace anthology {

class ProjectFile;

// A run's answers (RunAnswers) and logprob expectations (ExpectedShares), kept between reads for
// as long as the run's items stay as they were. The Results tab asks for the same runs on every
// change of subgroup or question, and reading a large run's final answers costs most of such a
// change (two sorts of every item: 70% of a subgroup switch at 10,000 personas x 20 questions).
// Whether a run changed is read from the project, never assumed: an entry is reused while
// SQLite's data_version says no other connection wrote (on a read-only connection), or while the
// run's item counts by state and its identity (creation time, status) are those it was read at.
// For one connection at a time (another clears it); not thread-safe.
class RunAnswersCache
{
public:
    explicit RunAnswersCache(int capacity = 8);

    Result<ModelAnswers> answers(const ProjectFile &project, qint64 runId);
    Result<QHash<QString, ExpectedDistribution>> expected(const ProjectFile &project, qint64 runId);
    // Reads answered from memory so far (for tests and benchmarks).
    int hits() const { return m_hits; }
    void clear();

private:
    struct Entry
    {
        QByteArray stamp;
        qint64 confirmedAt = -1; // the data_version at which the stamp was last read
        std::optional<ModelAnswers> answers;
        std::optional<QHash<QString, ExpectedDistribution>> expected;
        quint64 lastUse = 0;
    };

    Result<Entry *> current(const ProjectFile &project, qint64 runId);
    Result<QByteArray> stampOf(const ProjectFile &project, qint64 runId) const;
    void evictBeyondCapacity();

    int m_capacity;
    const ProjectFile *m_project = nullptr;
    QHash<qint64, Entry> m_entries;
    quint64 m_uses = 0;
    int m_hits = 0;
};

} // namespace anthology
