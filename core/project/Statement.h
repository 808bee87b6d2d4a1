#pragma once

#include "util/Result.h"

#include <QByteArrayView>
#include <QString>

#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace anthology {

// A prepared SQLite statement owned for its lifetime: bind by 1-based index, step, read
// columns by 0-based index. Moves, never copies. Text travels as UTF-8 both ways.
class Statement
{
public:
    // Prepares `sql` on `db`; check ok() / error() before use.
    Statement(sqlite3 *db, QByteArrayView sql);
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    ~Statement();

    bool ok() const { return m_stmt != nullptr; }
    const Error &error() const { return m_error; }

    Statement &bind(int index, const QString &text);
    Statement &bindUtf8(int index, QByteArrayView utf8); // copied by SQLite
    Statement &bind(int index, qint64 value);
    Statement &bind(int index, int value) { return bind(index, qint64(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, std::optional<qint64> value);
    Statement &bind(int index, std::optional<double> value);
    Statement &bindNull(int index);

    // Advances: true with a row to read, false when done; an Error on failure.
    Result<bool> step();
    // Steps to completion (for statements that return no rows) and resets.
    Status exec();
    void reset(); // also clears bindings

    int columnCount() const;
    bool isNull(int column) const;
    qint64 columnInt64(int column) const;
    int columnInt(int column) const { return int(columnInt64(column)); }
    double columnDouble(int column) const;
    QString columnText(int column) const;
    QByteArray columnUtf8(int column) const;
    std::optional<qint64> columnOptionalInt64(int column) const;
    std::optional<double> columnOptionalDouble(int column) const;

    // SQLite's extended result code of the last failed step (e.g. a constraint violation).
    int lastErrorCode() const { return m_lastCode; }

private:
    Error makeError() const;

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    Error m_error;
    int m_lastCode = 0;
};

} // namespace anthology
