#include "run/PlanItemWriter.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"

namespace anthology {

namespace {

constexpr int columnsPerRow = 10; // every column but run_id, bound once as the last parameter

QByteArray insertSql(int rows)
{
    const QByteArray runId = "?" + QByteArray::number(rows * columnsPerRow + 1);
    QByteArray sql = "INSERT INTO items (id, run_id, persona, persona_revision, question, position, sample, "
                     "base_sample, reask, depends_on, request) VALUES ";
    for (int r = 0; r < rows; ++r) {
        const int b = r * columnsPerRow;
        sql += (r ? ",(?" : "(?") + QByteArray::number(b + 1) + ',' + runId;
        for (int c = 2; c <= columnsPerRow; ++c)
            sql += ",?" + QByteArray::number(b + c);
        sql += ')';
    }
    return sql;
}

} // namespace

PlanItemWriter::PlanItemWriter(ProjectFile &project, qint64 runId)
    : m_project(project), m_runId(runId), m_rows(size_t(rowsPerStatement))
{
}

PlanItemWriter::~PlanItemWriter()
{
    restoreChecks();
}

void PlanItemWriter::restoreChecks()
{
    if (m_checksOff) {
        (void)m_project.exec("PRAGMA ignore_check_constraints = OFF");
        m_checksOff = false;
    }
}

Result<qint64> PlanItemWriter::add(const PlannedItem &item)
{
    if (m_lastId < 0) {
        Statement last = m_project.prepare("SELECT coalesce(max(id), 0) FROM items");
        Result<bool> row = last.step();
        if (!row)
            return row.error();
        m_lastId = last.columnInt64(0);
        // The rows take items.state's default, 'pending', which its CHECK admits; compiled
        // without the check, the INSERT skips the list's ephemeral table (a fifth of the
        // plan's CPU even once per batch). Only when the connection checks: a caller that
        // turned checks off keeps them off.
        Statement checks = m_project.prepare("PRAGMA ignore_check_constraints");
        if (Result<bool> on = checks.step(); on && *on && checks.columnInt(0) == 0)
            m_checksOff = m_project.exec("PRAGMA ignore_check_constraints = ON").ok();
    }
    if (item.persona != m_persona) {
        m_persona = item.persona;
        m_personaUtf8 = item.persona.toUtf8();
    }
    if (item.question != m_question) {
        m_question = item.question;
        m_questionUtf8 = item.question.toUtf8();
    }
    Row &row = m_rows[size_t(m_buffered++)];
    row.id = ++m_lastId;
    row.item = item;
    row.persona = m_personaUtf8;
    row.question = m_questionUtf8;
    if (m_buffered == rowsPerStatement) {
        if (Status st = flush(); !st)
            return st.error();
    }
    return row.id;
}

Status PlanItemWriter::finish()
{
    Status st = flush();
    restoreChecks();
    return st;
}

Status PlanItemWriter::flush()
{
    if (m_buffered == 0)
        return {};
    // The full batch reuses one prepared statement; the last, shorter one is prepared once.
    std::unique_ptr<Statement> tail;
    if (m_buffered == rowsPerStatement && !m_full)
        m_full = std::make_unique<Statement>(m_project.prepare(insertSql(rowsPerStatement)));
    else if (m_buffered < rowsPerStatement)
        tail = std::make_unique<Statement>(m_project.prepare(insertSql(m_buffered)));
    Statement &s = tail ? *tail : *m_full;
    for (int r = 0; r < m_buffered; ++r) {
        const Row &row = m_rows[size_t(r)];
        const int b = r * columnsPerRow;
        const PlannedItem &item = row.item;
        s.bind(b + 1, row.id)
            .bindUtf8(b + 2, row.persona)
            .bind(b + 3, item.personaRevision)
            .bindUtf8(b + 4, row.question)
            .bind(b + 5, item.position)
            .bind(b + 6, item.sample)
            .bind(b + 7, item.baseSample)
            .bind(b + 8, item.reask)
            .bind(b + 9, item.dependsOn);
        if (item.request.isEmpty())
            s.bindNull(b + 10);
        else
            s.bindUtf8(b + 10, item.request);
    }
    s.bind(m_buffered * columnsPerRow + 1, m_runId);
    m_buffered = 0;
    return s.exec();
}

} // namespace anthology
