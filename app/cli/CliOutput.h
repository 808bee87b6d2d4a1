#pragma once

#include "util/Error.h"

#include <QJsonValue>
#include <QStringList>
#include <QTextStream>

namespace anthology::cli {

enum ExitCode { ExitOk = 0, ExitUserError = 1, ExitInternalError = 2 };

// Where a command's results and errors go: plain text for people, JSON (--json) for scripts.
class CliOutput
{
public:
    CliOutput();

    bool json() const { return m_json; }
    void setJson(bool json) { m_json = json; }

    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }

    // Prints the error (as {"error": {...}} under --json) and returns the exit code its kind maps to.
    int fail(const Error &error);
    int usage(const QString &message, const QString &helpHint);
    void printJson(const QJsonValue &value);
    // A plain-text table with columns padded to their widest cell; the last column is not padded.
    void printTable(const QStringList &headers, const QList<QStringList> &rows);

private:
    bool m_json = false;
    QTextStream m_out;
    QTextStream m_err;
};

} // namespace anthology::cli
