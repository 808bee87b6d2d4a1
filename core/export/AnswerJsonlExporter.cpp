#include "export/AnswerJsonlExporter.h"

#include "export/RunItemCursor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

Error writeError(const QSaveFile &file, const QString &path)
{
    return Error::user(u"cannot write the export: %1"_s.arg(file.errorString())).withFile(path);
}

QJsonValue optionalValue(const std::optional<qint64> &v)
{
    return v ? QJsonValue(double(*v)) : QJsonValue(QJsonValue::Null);
}

// Stored JSON as a value; text that is not JSON (never expected) is kept as a string.
QJsonValue embedded(const QByteArray &json)
{
    if (json.isEmpty())
        return QJsonValue(QJsonValue::Null);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return QString::fromUtf8(json);
    if (doc.isArray())
        return doc.array();
    return doc.object();
}

// The stored request and response are compact JSON written by RequestCodec: spliced into the
// line as they are (parsing and re-serializing them is most of an export's time). Anything else
// (a line break, not an object) goes through embedded().
QByteArray splice(const QByteArray &json)
{
    if (json.isEmpty())
        return "null";
    if (json.startsWith('{') && json.endsWith('}') && !json.contains('\n') && !json.contains('\r'))
        return json;
    const QJsonValue v = embedded(json);
    if (v.isObject())
        return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    if (v.isArray())
        return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
    return QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact).chopped(1).mid(1);
}

} // namespace

Result<qint64> AnswerJsonlExporter::writeAnswers(const ProjectFile &project, qint64 runId,
                                                 const QString &path)
{
    return write(project, runId, path, true);
}

Result<qint64> AnswerJsonlExporter::writeRequests(const ProjectFile &project, qint64 runId,
                                                  const QString &path)
{
    return write(project, runId, path, false);
}

Result<qint64> AnswerJsonlExporter::write(const ProjectFile &project, qint64 runId, const QString &path,
                                          bool answers)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return writeError(file, path);
    RunItemCursor cursor(project, runId, true);
    ExportedItem item;
    qint64 lines = 0;
    while (true) {
        Result<bool> more = cursor.next(item);
        if (!more)
            return more.error();
        if (!*more)
            break;
        QJsonObject o{
            {u"run"_s, double(runId)},
            {u"item"_s, double(item.id)},
            {u"persona"_s, item.persona},
            {u"question"_s, item.question},
            {u"sample"_s, item.sample},
            {u"reask"_s, item.reask},
            {u"state"_s, item.state},
            {u"attempts"_s, item.attempts},
            {u"latency_ms"_s, optionalValue(item.latencyMs)},
            {u"error"_s, item.error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(item.error)},
            {u"from_cache"_s, item.fromCache}};
        if (answers) {
            const std::optional<int> option = item.option();
            o.insert(u"persona_revision"_s, item.personaRevision);
            o.insert(u"position"_s, item.position);
            o.insert(u"base_sample"_s, item.baseSample);
            o.insert(u"raw_answer"_s,
                     item.state == u"done"_s ? QJsonValue(item.rawAnswer) : QJsonValue(QJsonValue::Null));
            o.insert(u"option"_s, option ? QJsonValue(*option) : QJsonValue(QJsonValue::Null));
            o.insert(u"label"_s, option ? QJsonValue(item.parsedAnswer) : QJsonValue(QJsonValue::Null));
            o.insert(u"compliant"_s,
                     item.compliant ? QJsonValue(*item.compliant) : QJsonValue(QJsonValue::Null));
            o.insert(u"prompt_tokens"_s, optionalValue(item.promptTokens));
            o.insert(u"completion_tokens"_s, optionalValue(item.completionTokens));
            o.insert(u"cost"_s, item.cost ? QJsonValue(*item.cost) : QJsonValue(QJsonValue::Null));
            o.insert(u"logprobs"_s, embedded(item.logprobs));
        }
        // Key order as QJsonObject sorts it, then request and response last.
        QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact);
        line.chop(1);
        line += ",\"request\":" + splice(item.request) + ",\"response\":" + splice(item.response) + "}\n";
        if (file.write(line) != line.size())
            return writeError(file, path);
        ++lines;
    }
    if (!file.commit())
        return writeError(file, path);
    return lines;
}

} // namespace anthology
