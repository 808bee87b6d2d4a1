#pragma once

#include "util/Result.h"

#include <QByteArrayView>
#include <QString>

#include <concepts>
#include <memory>
#include <optional>
#include <type_traits>

struct sqlite3;
struct sqlite3_stmt;

namespace anthology {

// What a forEachRow callback tells the loop after a row: read the next one, or stop here.
enum class RowFlow { Next, Stop };

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
    // A callback of forEachRow: called with the statement on its current row, it returns void
    // (read on), a RowFlow, or a Status whose error ends the loop. It refers to the callable,
    // which must outlive it (a lambda written in the call does).
    class RowFunction
    {
    public:
        template <typename F>
        requires std::invocable<F &, const Statement &>
        RowFunction(F &&f) // NOLINT(google-explicit-constructor): lambdas convert at the call
            : m_callable(const_cast<void *>(static_cast<const void *>(std::addressof(f)))),
              m_call(&call<std::remove_reference_t<F>>)
        {
        }

        Status operator()(const Statement &row, RowFlow &flow) const { return m_call(m_callable, row, flow); }

    private:
        template <typename F> static Status call(void *callable, const Statement &row, RowFlow &flow)
        {
            F &f = *static_cast<F *>(callable);
            using R = std::invoke_result_t<F &, const Statement &>;
            if constexpr (std::is_void_v<R>) {
                f(row);
                return {};
            } else if constexpr (std::is_same_v<R, RowFlow>) {
                flow = f(row);
                return {};
            } else {
                static_assert(std::is_same_v<R, Status>, "a row callback returns void, RowFlow or Status");
                return f(row);
            }
        }

        void *m_callable;
        Status (*m_call)(void *callable, const Statement &row, RowFlow &flow);
    };

    // Steps through the remaining rows, calling `onRow` on each, until the last row, a
    // RowFlow::Stop (the statement stays on that row) or the first error of a step or of
    // `onRow`, which it returns.
    Status forEachRow(RowFunction onRow);
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
