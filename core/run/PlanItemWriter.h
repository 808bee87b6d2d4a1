#pragma once

#include "run/RunStore.h"
#include "util/Result.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <vector>

namespace anthology {

class ProjectFile;
class Statement;

// Writes a plan's items, many rows per INSERT, with ids given here in rowid order. SQLite runs
// a statement's setup once per execution, not per row: items.state's CHECK list alone builds
// an ephemeral table on every execution, which cost as much as the row's four b-tree inserts,
// so a 1M-item plan took twice as long one row at a time.
// The writer compiles its INSERT with CHECK constraints off (the rows' state is the default the
// CHECK admits) and turns them back on in finish() or when destroyed.
// Use inside the caller's write transaction, opened before the first add(): the ids continue
// from the table's largest id as SQLite's own would, and nothing else may insert meanwhile.
// The rows exist once finish() succeeds; a failed add() or finish() leaves the transaction to
// roll back, so a plan is all or nothing.
class PlanItemWriter
{
public:
    PlanItemWriter(ProjectFile &project, qint64 runId);
    ~PlanItemWriter();
    PlanItemWriter(const PlanItemWriter &) = delete;
    PlanItemWriter &operator=(const PlanItemWriter &) = delete;

    // The id the item gets (its row is written with its batch).
    Result<qint64> add(const PlannedItem &item);
    // Writes the rows still buffered.
    Status finish();

    static constexpr int rowsPerStatement = 256;

private:
    struct Row
    {
        qint64 id = 0;
        PlannedItem item;
        QByteArray persona; // the item's persona and question in UTF-8
        QByteArray question;
    };

    Status flush();
    void restoreChecks();

    ProjectFile &m_project;
    qint64 m_runId;
    qint64 m_lastId = -1;     // -1 until the first add() reads the table's largest id
    bool m_checksOff = false; // CHECK constraints off on the connection until finish()
    std::vector<Row> m_rows;
    int m_buffered = 0;
    // The UTF-8 of the last persona and question seen: a plan repeats each many times.
    QString m_persona;
    QByteArray m_personaUtf8;
    QString m_question;
    QByteArray m_questionUtf8;
    std::unique_ptr<Statement> m_full; // rowsPerStatement rows, prepared once
};

} // namespace anthology
