#pragma once

#include "util/Result.h"

struct sqlite3;

namespace anthology {

// RAII write transaction: BEGIN IMMEDIATE at the outermost level, a SAVEPOINT when nested,
// so a service can call another service inside its own transaction. Rolls back unless
// commit() succeeded.
class Transaction
{
public:
    explicit Transaction(sqlite3 *db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    // Whether BEGIN (or SAVEPOINT) succeeded; check before writing.
    const Status &status() const { return m_begin; }
    Status commit();
    void rollback();

private:
    Status run(const char *sql);

    sqlite3 *m_db;
    Status m_begin;
    bool m_nested = false;
    bool m_active = false;
};

} // namespace anthology
