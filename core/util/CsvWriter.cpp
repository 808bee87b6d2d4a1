#include "util/CsvWriter.h"

#include <QIODevice>

namespace anthology {

namespace {

template<typename Fields>
QByteArray joinRow(const Fields &fields)
{
    QByteArray line;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            line += ',';
        line += CsvWriter::field(fields[i]);
    }
    return line + "\r\n";
}

} // namespace

CsvWriter::CsvWriter(QIODevice &device) : m_device(device) {}

QByteArray CsvWriter::field(const QString &text)
{
    return field(text.toUtf8());
}

QByteArray CsvWriter::field(const QByteArray &utf8)
{
    const bool quote =
        utf8.contains(',') || utf8.contains('"') || utf8.contains('\n') || utf8.contains('\r') ||
        (!utf8.isEmpty() &&
         (utf8.front() == ' ' || utf8.back() == ' ' || utf8.front() == '\t' || utf8.back() == '\t'));
    if (!quote)
        return utf8;
    return '"' + QByteArray(utf8).replace("\"", "\"\"") + '"';
}

QByteArray CsvWriter::row(const QStringList &fields)
{
    return joinRow(fields);
}

QByteArray CsvWriter::row(const QByteArrayList &utf8Fields)
{
    return joinRow(utf8Fields);
}

bool CsvWriter::writeRow(const QStringList &fields)
{
    if (!m_ok)
        return false;
    const QByteArray line = row(fields);
    m_ok = m_device.write(line) == line.size();
    return m_ok;
}

} // namespace anthology
