#pragma once

#include <QByteArray>
#include <QStringView>

namespace anthology {

// Writes compact JSON byte for byte as QJsonDocument::toJson(Compact) writes the same values,
// without building a QJsonObject first (on the run engine's path that building cost more than
// the rest of an item's work). The caller writes object keys in sorted order, as QJsonObject
// keeps them. Strings are UTF-8 with Qt's escapes (an unpaired surrogate as a \u escape of the
// code unit, as Qt writes it).
class CompactJsonWriter
{
public:
    explicit CompactJsonWriter(qsizetype reserve = 256) { m_out.reserve(reserve); }

    CompactJsonWriter &beginObject();
    CompactJsonWriter &endObject();
    CompactJsonWriter &beginArray();
    CompactJsonWriter &endArray();
    CompactJsonWriter &key(const char *latin1Key);
    CompactJsonWriter &string(QStringView s);
    CompactJsonWriter &integer(qint64 v);
    // As a QJsonValue(double): an integral value within 2^53 prints as an integer, NaN and
    // infinities as null, anything else in the shortest form that reads back the same.
    CompactJsonWriter &number(double v);
    CompactJsonWriter &boolean(bool v);
    CompactJsonWriter &null();

    QByteArray take() { return std::move(m_out); }

private:
    void separate();
    char *extend(qsizetype bytes); // `bytes` more at the end, to be written
    void grow(qsizetype size);
    void raw(const char *bytes, qsizetype size);
    void shortest(double v);

    QByteArray m_out;
    bool m_first = true; // no value yet in the innermost container
    bool m_afterKey = false;
};

} // namespace anthology
