#include "CliOutput.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace anthology::cli {

CliOutput::CliOutput() : m_out(stdout), m_err(stderr) {}

int CliOutput::fail(const Error &error)
{
    if (m_json) {
        QJsonObject e{{u"message"_s, error.message},
                      {u"kind"_s, error.kind == Error::Kind::User ? u"user"_s : u"internal"_s}};
        if (!error.file.isEmpty())
            e.insert(u"file"_s, error.file);
        if (error.line > 0)
            e.insert(u"line"_s, error.line);
        if (error.column > 0)
            e.insert(u"column"_s, error.column);
        if (!error.key.isEmpty())
            e.insert(u"key"_s, error.key);
        printJson(QJsonObject{{u"error"_s, e}});
    } else {
        m_out.flush();
        m_err << "anthology: error: " << error.toString() << Qt::endl;
    }
    return error.kind == Error::Kind::User ? ExitUserError : ExitInternalError;
}

int CliOutput::usage(const QString &message, const QString &helpHint)
{
    return fail(Error::user(message + u" (see: "_s + helpHint + u")"_s));
}

void CliOutput::printJson(const QJsonValue &value)
{
    QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    m_out << QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    m_out.flush();
}

void CliOutput::printTable(const QStringList &headers, const QList<QStringList> &rows)
{
    QList<qsizetype> widths(headers.size());
    for (qsizetype c = 0; c < headers.size(); ++c)
        widths[c] = headers[c].size();
    for (const QStringList &row : rows)
        for (qsizetype c = 0; c < row.size() && c < widths.size(); ++c)
            widths[c] = std::max(widths[c], row[c].size());
    auto printRow = [&](const QStringList &row) {
        QString line;
        for (qsizetype c = 0; c < row.size(); ++c) {
            line += c + 1 < row.size() ? row[c].leftJustified(widths[c] + 2) : row[c];
        }
        m_out << line << '\n';
    };
    printRow(headers);
    for (const QStringList &row : rows)
        printRow(row);
    m_out.flush();
}

} // namespace anthology::cli
