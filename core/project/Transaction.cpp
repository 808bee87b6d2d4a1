#include "project/Transaction.h"

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace anthology {

Transaction::Transaction(sqlite3 *db) : m_db(db)
{
    m_nested = sqlite3_get_autocommit(db) == 0;
    m_begin = run(m_nested ? "SAVEPOINT anthology_nested" : "BEGIN IMMEDIATE");
    m_active = m_begin.ok();
}

Transaction::~Transaction()
{
    rollback();
}

Status Transaction::commit()
{
    if (!m_active)
        return Error::internal(u"commit without an open transaction"_s);
    Status s = run(m_nested ? "RELEASE anthology_nested" : "COMMIT");
    if (s.ok())
        m_active = false;
    return s;
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    if (m_nested) {
        (void)run("ROLLBACK TO anthology_nested");
        (void)run("RELEASE anthology_nested");
    } else if (sqlite3_get_autocommit(m_db) == 0) {
        (void)run("ROLLBACK");
    }
}

Status Transaction::run(const char *sql)
{
    char *message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        Error e = Error::internal(QString::fromUtf8(sql) + u" failed: "_s +
                                  QString::fromUtf8(message ? message : sqlite3_errmsg(m_db)));
        sqlite3_free(message);
        return e;
    }
    return {};
}

} // namespace anthology
