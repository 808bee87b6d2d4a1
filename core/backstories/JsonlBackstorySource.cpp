#include "backstories/JsonlBackstorySource.h"

#include "backstories/TextPosition.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology {

JsonlBackstorySource::JsonlBackstorySource(const QString &path) : m_path(path), m_file(path) {}

Result<std::unique_ptr<BackstoryRecordSource>> JsonlBackstorySource::open(const QString &path)
{
    std::unique_ptr<JsonlBackstorySource> source(new JsonlBackstorySource(path));
    if (!source->m_file.open(QIODevice::ReadOnly))
        return Error::user(u"cannot read the file: "_s + source->m_file.errorString()).withFile(path);
    source->m_bytesTotal = source->m_file.size();
    return std::unique_ptr<BackstoryRecordSource>(std::move(source));
}

Error JsonlBackstorySource::errorAt(const QByteArray &line, qsizetype byte, const QString &message) const
{
    return Error::at(m_path, m_line, TextPosition::inBytes(line, byte).column, message);
}

Error JsonlBackstorySource::keyError(const QByteArray &line, const QString &key, const QString &message) const
{
    const QByteArray quoted = '"' + key.toUtf8() + '"';
    const qsizetype at = line.indexOf(quoted);
    Error e = errorAt(line, std::max<qsizetype>(at, 0), message);
    e.withKey(key);
    return e;
}

Result<bool> JsonlBackstorySource::next(BackstoryRecord &record)
{
    for (;;) {
        if (m_file.atEnd())
            return false;
        QByteArray line = m_file.readLine();
        if (line.isEmpty() && m_file.error() != QFileDevice::NoError)
            return Error::user(u"cannot read the file: "_s + m_file.errorString()).withFile(m_path);
        m_lineOffset = m_bytesRead;
        m_bytesRead += line.size();
        ++m_line;
        if (line.endsWith('\n'))
            line.chop(1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (m_line == 1 && line.startsWith("\xEF\xBB\xBF"))
            line.remove(0, 3);
        if (line.trimmed().isEmpty())
            continue;
        if (const qsizetype bad = firstInvalidUtf8(line); bad >= 0)
            return errorAt(line, bad, line[bad] == 0 ? u"NUL character in text"_s : u"invalid UTF-8"_s);
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        if (parseError.error != QJsonParseError::NoError)
            // Qt reports the offset just past the character that broke the syntax.
            return errorAt(line, std::max(parseError.offset - 1, 0),
                           u"JSON syntax error: "_s + parseError.errorString());
        if (!doc.isObject())
            return errorAt(line, 0, u"expected one JSON object per line"_s);
        const QJsonObject object = doc.object();
        const QStringList keys = object.keys();
        const QList<BackstoryField> fields = backstoryFieldsFor(keys);

        record = BackstoryRecord();
        record.file = m_path;
        record.offset = m_lineOffset;
        QJsonObject attributes;
        std::optional<QByteArray> backstory;
        for (qsizetype i = 0; i < keys.size(); ++i) {
            const QString &key = keys[i];
            const QJsonValue value = object.value(key);
            const bool absent = value.isNull();
            switch (fields[i]) {
            case BackstoryField::Uid:
                if (value.isString() && !value.toString().isEmpty())
                    record.uid = value.toString().toUtf8();
                else if (value.isDouble() && value.toDouble() == std::floor(value.toDouble()))
                    record.uid = QByteArray::number(value.toInteger());
                else
                    return keyError(line, key, u"expected a non-empty string uid"_s);
                break;
            case BackstoryField::Backstory:
            case BackstoryField::FullPassage:
                if (absent)
                    break;
                if (!value.isString())
                    return keyError(line, key, u"expected the text as a string"_s);
                if (fields[i] == BackstoryField::Backstory)
                    backstory = value.toString().toUtf8();
                else if (!value.toString().isEmpty())
                    record.fullPassage = value.toString().toUtf8();
                break;
            case BackstoryField::TokenCount:
                if (absent)
                    break;
                if (!value.isDouble() || value.toDouble() != std::floor(value.toDouble()))
                    return keyError(line, key, u"expected a whole number of tokens"_s);
                record.tokenCount = value.toInteger();
                break;
            case BackstoryField::Logprob:
                if (absent)
                    break;
                if (!value.isDouble())
                    return keyError(line, key, u"expected a number (summed logprob)"_s);
                record.logprob = value.toDouble();
                break;
            case BackstoryField::Model:
                if (absent)
                    break;
                if (!value.isString())
                    return keyError(line, key, u"expected the model name as a string"_s);
                if (!value.toString().isEmpty())
                    record.model = value.toString().toUtf8();
                break;
            case BackstoryField::Sampling:
                if (absent)
                    break;
                if (!value.isObject())
                    return keyError(line, key, u"expected the sampling parameters as a JSON object"_s);
                record.sampling = QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
                break;
            case BackstoryField::Attribute:
                attributes.insert(key, value);
                break;
            }
        }
        if (backstory) {
            record.text = *backstory;
        } else if (record.fullPassage) {
            record.text = *record.fullPassage;
            record.fullPassage.reset();
        } else {
            return errorAt(line, 0, u"no text: expected a “backstory” or “full_passage” string"_s);
        }
        if (record.uid.isNull())
            record.uid = QFileInfo(m_path).completeBaseName().toUtf8() + '-' + QByteArray::number(m_line);
        if (!attributes.isEmpty())
            record.attributes = QJsonDocument(attributes).toJson(QJsonDocument::Compact);
        return true;
    }
}

} // namespace anthology
