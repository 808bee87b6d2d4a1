#include "backstories/CsvBackstorySource.h"

#include "backstories/TextPosition.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <csv.h>

#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

constexpr qint64 blockSize = 1 << 20;

bool isTerminator(char c)
{
    return c == '\r' || c == '\n';
}

bool isSegmentEnd(char c)
{
    static const auto table = [] {
        std::array<bool, 256> t{};
        t[','] = t['\r'] = t['\n'] = true;
        return t;
    }();
    return table[static_cast<unsigned char>(c)];
}

int noSpaces(unsigned char)
{
    // RFC 4180: spaces belong to the field; libcsv would trim them by default.
    return 0;
}

std::optional<qint64> parseInteger(const QByteArray &text)
{
    bool ok = false;
    const qint64 v = text.trimmed().toLongLong(&ok);
    if (ok)
        return v;
    // pandas writes integer columns holding a missing value as floats ("352.0").
    const double d = text.trimmed().toDouble(&ok);
    if (ok && std::isfinite(d) && d == std::floor(d) && std::abs(d) < 9e15)
        return qint64(d);
    return std::nullopt;
}

} // namespace

CsvBackstorySource::CsvBackstorySource(const QString &path) : m_path(path), m_file(path) {}

CsvBackstorySource::~CsvBackstorySource()
{
    if (m_parser)
        csv_free(m_parser.get());
}

Result<std::unique_ptr<BackstoryRecordSource>> CsvBackstorySource::open(const QString &path)
{
    std::unique_ptr<CsvBackstorySource> source(new CsvBackstorySource(path));
    if (!source->m_file.open(QIODevice::ReadOnly))
        return Error::user(u"cannot read the file: "_s + source->m_file.errorString()).withFile(path);
    source->m_bytesTotal = source->m_file.size();
    source->m_parser = std::make_unique<csv_parser>();
    if (csv_init(source->m_parser.get(), CSV_STRICT | CSV_STRICT_FINI) != 0) {
        source->m_parser.reset();
        return Error::internal(u"cannot initialise the CSV parser"_s);
    }
    csv_set_space_func(source->m_parser.get(), noSpaces);
    if (Status s = source->readHeader(); !s)
        return s.error();
    return std::unique_ptr<BackstoryRecordSource>(std::move(source));
}

void CsvBackstorySource::onField(void *data, size_t size, void *self)
{
    auto *me = static_cast<CsvBackstorySource *>(self);
    me->m_current.fields.append(QByteArray(static_cast<const char *>(data), qsizetype(size)));
    me->m_current.offsets.append(me->m_fieldStart);
    me->m_current.quoted.append(me->m_fieldQuoted);
    me->m_fieldStart = me->m_segmentEnd + 1;
    me->m_fieldQuoted = false;
}

void CsvBackstorySource::onRow(int, void *self)
{
    auto *me = static_cast<CsvBackstorySource *>(self);
    me->m_rows.push_back(std::move(me->m_current));
    me->m_current = Row();
    me->m_fieldStart = -1;
}

Status CsvBackstorySource::feed(const QByteArray &block, qsizetype from)
{
    const char *data = block.constData();
    const qsizetype n = block.size();
    const qint64 base = m_bytesRead;
    qsizetype i = from;
    while (i < n) {
        qsizetype j = i;
        while (j < n && !isSegmentEnd(data[j]))
            ++j;
        if (j == n)
            --j;
        if (m_fieldStart < 0 && !isTerminator(data[i]))
            m_fieldStart = base + i;
        if (m_fieldStart == base + i)
            m_fieldQuoted = data[i] == '"';
        m_segmentEnd = base + j;
        const size_t length = size_t(j - i + 1);
        const size_t done = csv_parse(m_parser.get(), data + i, length, onField, onRow, this);
        if (done != length) {
            if (csv_error(m_parser.get()) == CSV_EPARSE)
                return errorAt(base + i + qint64(done),
                               u"a quote inside an unquoted field or text after a closing quote: "
                               u"quote the whole field and double every quote inside it"_s);
            return Error::internal(u"CSV parser: "_s +
                                   QString::fromUtf8(csv_strerror(csv_error(m_parser.get()))))
                .withFile(m_path);
        }
        i = j + 1;
    }
    return {};
}

Result<bool> CsvBackstorySource::readRow(Row &row)
{
    while (m_rows.empty()) {
        if (m_finished)
            return false;
        if (m_file.atEnd()) {
            m_finished = true;
            m_segmentEnd = m_bytesRead;
            if (csv_fini(m_parser.get(), onField, onRow, this) != 0)
                return errorAt(m_fieldStart,
                               u"unterminated quoted field: the quote opened here is never closed"_s);
            continue;
        }
        const QByteArray block = m_file.read(blockSize);
        if (block.isEmpty()) {
            if (m_file.error() != QFileDevice::NoError)
                return Error::user(u"cannot read the file: "_s + m_file.errorString()).withFile(m_path);
            m_finished = true;
            continue;
        }
        qsizetype from = 0;
        if (m_bytesRead == 0 && block.startsWith("\xEF\xBB\xBF"))
            from = 3; // a UTF-8 byte order mark is not part of the first column name
        if (Status s = feed(block, from); !s)
            return s.error();
        m_bytesRead += block.size();
    }
    row = std::move(m_rows.front());
    m_rows.pop_front();
    return true;
}

Error CsvBackstorySource::errorAt(qint64 offset, const QString &message) const
{
    const TextPosition pos = TextPosition::inFile(m_path, std::max<qint64>(offset, 0));
    return Error::at(m_path, pos.line, pos.column, message);
}

Error CsvBackstorySource::fieldError(const Row &row, qsizetype field, const QString &message) const
{
    Error e = errorAt(row.offsets[field], message);
    if (field < m_names.size())
        e.withKey(m_names[field]);
    return e;
}

Status CsvBackstorySource::readHeader()
{
    Row header;
    Result<bool> got = readRow(header);
    if (!got)
        return got.error();
    if (!*got)
        return Error::at(m_path, 1, 1, u"the file is empty: expected a header row naming the columns"_s);
    for (qsizetype i = 0; i < header.fields.size(); ++i) {
        if (const qsizetype bad = firstInvalidUtf8(header.fields[i]); bad >= 0)
            return errorAt(header.offsets[i] + (header.quoted[i] ? 1 : 0) + bad, u"invalid UTF-8"_s);
        const QString name = QString::fromUtf8(header.fields[i]);
        if (m_names.contains(name))
            return fieldError(header, i, u"the column “%1” appears twice in the header"_s.arg(name));
        m_names.append(name);
    }
    m_fields = backstoryFieldsFor(m_names);
    if (!m_fields.contains(BackstoryField::Backstory) && !m_fields.contains(BackstoryField::FullPassage))
        return Error::at(
            m_path, 1, 1,
            u"no text column: expected a column named “backstory” or “full_passage” (found: %1)"_s.arg(
                m_names.join(u", "_s)));
    return {};
}

Result<bool> CsvBackstorySource::next(BackstoryRecord &record)
{
    Row row;
    Result<bool> got = readRow(row);
    if (!got || !*got)
        return got;
    return convert(row, record);
}

Result<bool> CsvBackstorySource::convert(const Row &row, BackstoryRecord &record)
{
    ++m_rowNumber;
    if (row.fields.size() != m_names.size())
        return errorAt(
            row.offsets.value(0),
            u"expected %1 fields as in the header, found %2"_s.arg(m_names.size()).arg(row.fields.size()));
    record = BackstoryRecord();
    record.file = m_path;
    record.offset = row.offsets.value(0);
    QJsonObject attributes;
    std::optional<QByteArray> backstory;
    for (qsizetype i = 0; i < row.fields.size(); ++i) {
        const QByteArray &value = row.fields[i];
        if (const qsizetype bad = firstInvalidUtf8(value); bad >= 0) {
            // Inside a quoted field every quote before `bad` was doubled in the file.
            qint64 at = row.offsets[i] + bad;
            if (row.quoted[i])
                at += 1 + value.left(bad).count('"');
            return errorAt(at, value[bad] == 0 ? u"NUL character in text"_s : u"invalid UTF-8"_s);
        }
        switch (m_fields[i]) {
        case BackstoryField::Uid:
            if (value.isEmpty())
                return fieldError(row, i, u"empty uid: every backstory needs one"_s);
            record.uid = value;
            record.offset = row.offsets[i];
            break;
        case BackstoryField::Backstory:
            backstory = value;
            break;
        case BackstoryField::FullPassage:
            if (!value.isEmpty())
                record.fullPassage = value;
            break;
        case BackstoryField::TokenCount:
            if (!value.trimmed().isEmpty()) {
                record.tokenCount = parseInteger(value);
                if (!record.tokenCount)
                    return fieldError(row, i,
                                      u"expected a whole number of tokens, found “%1”"_s.arg(
                                          QString::fromUtf8(value.left(40))));
            }
            break;
        case BackstoryField::Logprob:
            if (!value.trimmed().isEmpty()) {
                bool ok = false;
                const double v = value.trimmed().toDouble(&ok);
                if (!ok || !std::isfinite(v))
                    return fieldError(row, i,
                                      u"expected a finite number (summed logprob), found “%1”"_s.arg(
                                          QString::fromUtf8(value.left(40))));
                record.logprob = v;
            }
            break;
        case BackstoryField::Model:
            if (!value.isEmpty())
                record.model = value;
            break;
        case BackstoryField::Sampling:
            if (!value.trimmed().isEmpty()) {
                QJsonParseError error;
                const QJsonDocument doc = QJsonDocument::fromJson(value, &error);
                if (error.error != QJsonParseError::NoError || !doc.isObject())
                    return fieldError(row, i, u"expected the sampling parameters as a JSON object"_s);
                record.sampling = doc.toJson(QJsonDocument::Compact);
            }
            break;
        case BackstoryField::Attribute:
            attributes.insert(m_names[i], QString::fromUtf8(value));
            break;
        }
    }
    if (backstory) {
        record.text = *backstory;
    } else {
        record.text = record.fullPassage.value_or(QByteArray(""));
        record.fullPassage.reset();
    }
    if (record.uid.isNull())
        record.uid = QFileInfo(m_path).completeBaseName().toUtf8() + '-' + QByteArray::number(m_rowNumber);
    if (!attributes.isEmpty())
        record.attributes = QJsonDocument(attributes).toJson(QJsonDocument::Compact);
    return true;
}

} // namespace anthology
