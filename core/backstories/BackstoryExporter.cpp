#include "backstories/BackstoryExporter.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "util/CsvWriter.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

struct Columns
{
    bool fullPassage = false;
    bool tokenCount = false;
    bool logprob = false;
    bool model = false;
    bool sampling = false;
    QStringList attributes;
};

// token_count is what the model generated. An edited text has only an estimate of it
// (TokenEstimate), which goes out as the attribute token_count_estimated instead, so that a
// file read back in never passes an estimate off as the model's count.
#define TOKEN_COUNT "CASE WHEN token_count_estimated THEN NULL ELSE token_count END"
#define ATTRIBUTES                                                                                             \
    "CASE WHEN token_count_estimated THEN json_set(coalesce(attributes, '{}'), '$.token_count_estimated', "   \
    "token_count) ELSE attributes END"

// The rows to write: every backstory, or the chosen uids in the order given.
class Rows
{
public:
    Rows(ProjectFile &project, const QStringList &uids)
        : m_uids(uids), m_all(project.prepare("SELECT uid, text, coalesce(passage_prefix || text, "
                                              "full_passage), " TOKEN_COUNT ", logprob, model, "
                                              "sampling, " ATTRIBUTES " FROM backstories ORDER BY id")),
          m_one(project.prepare("SELECT uid, text, coalesce(passage_prefix || text, full_passage), "
                                TOKEN_COUNT ", logprob, model, sampling, "
                                ATTRIBUTES " FROM backstories WHERE uid = ?1"))
    {
    }

    Result<bool> next()
    {
        if (m_uids.isEmpty())
            return m_all.step();
        if (m_index >= m_uids.size())
            return false;
        m_one.reset();
        m_one.bind(1, m_uids[m_index++]);
        Result<bool> row = m_one.step();
        if (row && !*row)
            return Error::user(u"no backstory with uid “%1” in this project"_s.arg(m_uids[m_index - 1]));
        return row;
    }
    const Statement &row() const { return m_uids.isEmpty() ? m_all : m_one; }

private:
    QStringList m_uids;
    qsizetype m_index = 0;
    Statement m_all;
    Statement m_one;
};

Result<Columns> presentColumns(ProjectFile &project)
{
    Columns c;
    Statement st = project.prepare("SELECT count(coalesce(passage_prefix, full_passage)), "
                                   "count(" TOKEN_COUNT "), count(logprob), count(model), "
                                   "count(sampling) FROM backstories");
    if (Result<bool> row = st.step(); !row)
        return row.error();
    c.fullPassage = st.columnInt64(0) > 0;
    c.tokenCount = st.columnInt64(1) > 0;
    c.logprob = st.columnInt64(2) > 0;
    c.model = st.columnInt64(3) > 0;
    c.sampling = st.columnInt64(4) > 0;
    Statement keys =
        project.prepare("SELECT DISTINCT j.key FROM backstories, json_each(" ATTRIBUTES ") AS j "
                        "WHERE " ATTRIBUTES " IS NOT NULL ORDER BY 1");
    Status read = keys.forEachRow([&](const Statement &row) { c.attributes.append(row.columnText(0)); });
    if (!read)
        return read.error();
    return c;
}

QByteArray numberText(double v)
{
    return QByteArray::number(v, 'g', QLocale::FloatingPointShortest);
}

QByteArray attributeText(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String:
        return v.toString().toUtf8();
    case QJsonValue::Double:
        return numberText(v.toDouble());
    case QJsonValue::Bool:
        return v.toBool() ? "true" : "false";
    case QJsonValue::Array:
        return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
    case QJsonValue::Object:
        return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    default:
        return {};
    }
}

QByteArray csvRow(const Statement &st, const Columns &c)
{
    QByteArrayList fields{st.columnUtf8(0), st.columnUtf8(1)};
    if (c.fullPassage)
        fields.append(st.columnUtf8(2));
    if (c.tokenCount)
        fields.append(st.isNull(3) ? QByteArray() : QByteArray::number(st.columnInt64(3)));
    if (c.logprob)
        fields.append(st.isNull(4) ? QByteArray() : numberText(st.columnDouble(4)));
    if (c.model)
        fields.append(st.columnUtf8(5));
    if (c.sampling)
        fields.append(st.columnUtf8(6));
    if (!c.attributes.isEmpty()) {
        const QJsonObject attributes = QJsonDocument::fromJson(st.columnUtf8(7)).object();
        for (const QString &key : c.attributes)
            fields.append(attributeText(attributes.value(key)));
    }
    return CsvWriter::row(fields);
}

QByteArray jsonLine(const Statement &st)
{
    QJsonObject o = QJsonDocument::fromJson(st.columnUtf8(7)).object();
    o.insert(u"uid"_s, st.columnText(0));
    o.insert(u"backstory"_s, st.columnText(1));
    if (!st.isNull(2))
        o.insert(u"full_passage"_s, st.columnText(2));
    if (!st.isNull(3))
        o.insert(u"token_count"_s, st.columnInt64(3));
    if (!st.isNull(4))
        o.insert(u"logprob"_s, st.columnDouble(4));
    if (!st.isNull(5))
        o.insert(u"model"_s, st.columnText(5));
    if (!st.isNull(6))
        o.insert(u"sampling"_s, QJsonDocument::fromJson(st.columnUtf8(6)).object());
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

Status checkFileName(const QString &uid)
{
    if (uid.isEmpty() || uid.startsWith(u'.') || uid.contains(u'/') || uid.contains(u'\\') ||
        uid.contains(QChar(0)))
        return Error::user(u"the uid “%1” cannot be used as a file name"_s.arg(uid)).withKey(u"uid"_s);
    return {};
}

} // namespace

BackstoryExporter::BackstoryExporter(ProjectFile &project) : m_project(project) {}

Result<qint64> BackstoryExporter::exportFile(const QString &path, const BackstoryExportOptions &options)
{
    const std::optional<BackstoryFormat> format =
        options.format ? options.format : backstoryFormatForPath(path);
    if (!format)
        return Error::user(u"cannot tell the export format: expected a .csv or .jsonl file or a folder"_s)
            .withFile(path);
    qint64 total = options.uids.size();
    if (options.uids.isEmpty()) {
        Statement count = m_project.prepare("SELECT count(*) FROM backstories");
        if (Result<bool> row = count.step(); !row)
            return row.error();
        total = count.columnInt64(0);
    }

    auto cancelled = [&] { return options.cancel && options.cancel->load(std::memory_order_relaxed); };
    Rows rows(m_project, options.uids);
    qint64 written = 0;

    if (*format == BackstoryFormat::TextFolder) {
        // Check every name before writing the first file.
        Rows names(m_project, options.uids);
        for (;;) {
            Result<bool> row = names.next();
            if (!row)
                return row.error();
            if (!*row)
                break;
            if (Status s = checkFileName(names.row().columnText(0)); !s)
                return s.error();
        }
        if (!QDir().mkpath(path))
            return Error::user(u"cannot create the folder"_s).withFile(path);
        const QDir dir(path);
        for (;;) {
            if (cancelled())
                return Error::user(u"export cancelled"_s).withFile(path);
            Result<bool> row = rows.next();
            if (!row)
                return row.error();
            if (!*row)
                break;
            QSaveFile file(dir.filePath(rows.row().columnText(0) + u".txt"_s));
            if (!file.open(QIODevice::WriteOnly) || file.write(rows.row().columnUtf8(1)) < 0 ||
                !file.commit())
                return Error::user(u"cannot write the file: "_s + file.errorString())
                    .withFile(file.fileName());
            if (++written % 256 == 0 && options.progress)
                options.progress(written, total);
        }
        if (options.progress)
            options.progress(written, total);
        return written;
    }

    Result<Columns> columns = presentColumns(m_project);
    if (!columns)
        return columns.error();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::user(u"cannot write the file: "_s + file.errorString()).withFile(path);
    if (*format == BackstoryFormat::Csv) {
        QStringList header{u"uid"_s, u"backstory"_s};
        if (columns->fullPassage)
            header.append(u"full_passage"_s);
        if (columns->tokenCount)
            header.append(u"token_count"_s);
        if (columns->logprob)
            header.append(u"logprob"_s);
        if (columns->model)
            header.append(u"model"_s);
        if (columns->sampling)
            header.append(u"sampling"_s);
        header.append(columns->attributes);
        file.write(CsvWriter::row(header));
    }
    for (;;) {
        if (cancelled()) {
            file.cancelWriting();
            return Error::user(u"export cancelled"_s).withFile(path);
        }
        Result<bool> row = rows.next();
        if (!row) {
            file.cancelWriting();
            return row.error();
        }
        if (!*row)
            break;
        file.write(*format == BackstoryFormat::Csv ? csvRow(rows.row(), *columns) : jsonLine(rows.row()));
        if (++written % 256 == 0 && options.progress)
            options.progress(written, total);
    }
    if (!file.commit())
        return Error::user(u"cannot write the file: "_s + file.errorString()).withFile(path);
    if (options.progress)
        options.progress(written, total);
    return written;
}

} // namespace anthology
