#pragma once

#include <QByteArrayList>
#include <QStringList>

class QIODevice;

namespace anthology {

// The one CSV dialect of every file the program writes, RFC 4180: fields holding a comma, a
// quote, CR or LF (or leading or trailing blanks, which some readers trim) are quoted with inner
// quotes doubled; rows end in CRLF; text is UTF-8. Embedded newlines stay inside their quoted
// field, so a reader that follows the RFC (Python's csv, R, pandas, PSPP) gets every byte back.
class CsvWriter
{
public:
    explicit CsvWriter(QIODevice &device);

    // False once any write failed (the device's errorString() says why).
    bool writeRow(const QStringList &fields);
    bool ok() const { return m_ok; }

    static QByteArray field(const QString &text);
    static QByteArray field(const QByteArray &utf8);
    // One row, each field as field() writes it, with its line end.
    static QByteArray row(const QStringList &fields);
    static QByteArray row(const QByteArrayList &utf8Fields);

private:
    QIODevice &m_device;
    bool m_ok = true;
};

} // namespace anthology
