#include "util/CsvWriter.h"

#include <QIODevice>

namespace anthology {

CsvWriter::CsvWriter(QIODevice &device) : m_device(device) {}

QByteArray CsvWriter::field(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    const bool quote =
        utf8.contains(',') || utf8.contains('"') || utf8.contains('\n') || utf8.contains('\r') ||
        (!utf8.isEmpty() &&
         (utf8.front() == ' ' || utf8.back() == ' ' || utf8.front() == '\t' || utf8.back() == '\t'));
    if (!quote)
        return utf8;
    return '"' + utf8.replace("\"", "\"\"") + '"';
}

bool CsvWriter::writeRow(const QStringList &fields)
{
    if (!m_ok)
        return false;
    QByteArray line;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            line += ',';
        line += field(fields[i]);
    }
    line += "\r\n";
    m_ok = m_device.write(line) == line.size();
    return m_ok;
}

} // namespace anthology
