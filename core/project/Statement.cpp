#include "project/Statement.h"

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace anthology {

Statement::Statement(sqlite3 *db, QByteArrayView sql) : m_db(db)
{
    const int rc =
        sqlite3_prepare_v3(db, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    if (rc != SQLITE_OK) {
        m_lastCode = sqlite3_extended_errcode(db);
        m_error = Error::internal(u"SQL preparation failed: "_s + QString::fromUtf8(sqlite3_errmsg(db)) +
                                  u" in: "_s + QString::fromUtf8(sql.data(), sql.size()));
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
}

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db), m_stmt(other.m_stmt), m_error(std::move(other.m_error)), m_lastCode(other.m_lastCode)
{
    other.m_stmt = nullptr;
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = other.m_stmt;
        m_error = std::move(other.m_error);
        m_lastCode = other.m_lastCode;
        other.m_stmt = nullptr;
    }
    return *this;
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement &Statement::bind(int index, const QString &text)
{
    if (text.isNull())
        return bindNull(index);
    return bindUtf8(index, text.toUtf8());
}

Statement &Statement::bindUtf8(int index, QByteArrayView utf8)
{
    // An empty but non-null view must stay an empty string, not NULL.
    static const char empty[] = "";
    sqlite3_bind_text64(m_stmt, index, utf8.data() ? utf8.data() : empty, sqlite3_uint64(utf8.size()),
                        SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}

Statement &Statement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}

Statement &Statement::bind(int index, std::optional<qint64> value)
{
    return value ? bind(index, *value) : bindNull(index);
}

Statement &Statement::bind(int index, std::optional<double> value)
{
    return value ? bind(index, *value) : bindNull(index);
}

Statement &Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

Result<bool> Statement::step()
{
    if (!m_stmt)
        return m_error;
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    m_lastCode = sqlite3_extended_errcode(m_db);
    Error e = makeError();
    sqlite3_reset(m_stmt);
    return e;
}

Status Statement::forEachRow(RowFunction onRow)
{
    for (;;) {
        Result<bool> row = step();
        if (!row)
            return row.error();
        if (!*row)
            return {};
        RowFlow flow = RowFlow::Next;
        if (Status st = onRow(*this, flow); !st)
            return st;
        if (flow == RowFlow::Stop)
            return {};
    }
}

Status Statement::exec()
{
    if (Status st = forEachRow([](const Statement &) {}); !st)
        return st;
    sqlite3_reset(m_stmt);
    return {};
}

void Statement::reset()
{
    if (!m_stmt)
        return;
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int Statement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

qint64 Statement::columnInt64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::columnDouble(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

QString Statement::columnText(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!data)
        return {};
    return QString::fromUtf8(data, sqlite3_column_bytes(m_stmt, column));
}

QByteArray Statement::columnUtf8(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!data)
        return {};
    return QByteArray(data, sqlite3_column_bytes(m_stmt, column));
}

std::optional<qint64> Statement::columnOptionalInt64(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return columnInt64(column);
}

std::optional<double> Statement::columnOptionalDouble(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return columnDouble(column);
}

Error Statement::makeError() const
{
    const char *sql = sqlite3_sql(m_stmt);
    return Error::internal(u"SQL statement failed: "_s + QString::fromUtf8(sqlite3_errmsg(m_db)) +
                           u" in: "_s + QString::fromUtf8(sql ? sql : ""));
}

} // namespace anthology
