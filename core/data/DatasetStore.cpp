#include "data/DatasetStore.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "project/Transaction.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QtEndian>

#include <sqlite3.h>

#include <cmath>
#include <cstring>
#include <limits>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

// JSON has no NaN or infinities; missing ranges such as LOWEST THRU 5 need them.
QJsonValue numberJson(double v)
{
    if (std::isfinite(v))
        return v;
    if (std::isnan(v))
        return u"nan"_s;
    return v > 0 ? u"inf"_s : u"-inf"_s;
}

double numberFromJson(const QJsonValue &v)
{
    if (v.isDouble())
        return v.toDouble();
    const QString s = v.toString();
    if (s == "inf"_L1)
        return std::numeric_limits<double>::infinity();
    if (s == "-inf"_L1)
        return -std::numeric_limits<double>::infinity();
    return std::numeric_limits<double>::quiet_NaN();
}

QByteArray valueLabelsJson(const Variable &v)
{
    if (v.valueLabels.isEmpty())
        return {};
    QJsonArray labels;
    for (const ValueLabel &l : v.valueLabels) {
        QJsonObject o{{u"label"_s, l.label}};
        if (v.isNumeric())
            o.insert(u"value"_s, numberJson(l.value));
        else
            o.insert(u"string"_s, l.stringValue);
        labels.append(o);
    }
    return QJsonDocument(labels).toJson(QJsonDocument::Compact);
}

QByteArray missingJson(const Variable &v)
{
    if (v.missingValues.isEmpty() && v.missingRanges.isEmpty() && v.missingStrings.isEmpty())
        return {};
    QJsonObject o;
    if (!v.missingValues.isEmpty()) {
        QJsonArray values;
        for (double d : v.missingValues)
            values.append(numberJson(d));
        o.insert(u"values"_s, values);
    }
    if (!v.missingRanges.isEmpty()) {
        QJsonArray ranges;
        for (const auto &[lo, hi] : v.missingRanges)
            ranges.append(QJsonArray{numberJson(lo), numberJson(hi)});
        o.insert(u"ranges"_s, ranges);
    }
    if (!v.missingStrings.isEmpty())
        o.insert(u"strings"_s, QJsonArray::fromStringList(v.missingStrings));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void readValueLabels(Variable &v, const QByteArray &json)
{
    if (json.isEmpty())
        return;
    for (const QJsonValue &item : QJsonDocument::fromJson(json).array()) {
        const QJsonObject o = item.toObject();
        ValueLabel l;
        l.label = o.value(u"label"_s).toString();
        if (o.contains(u"string"_s))
            l.stringValue = o.value(u"string"_s).toString();
        else
            l.value = numberFromJson(o.value(u"value"_s));
        v.valueLabels.append(l);
    }
}

void readMissing(Variable &v, const QByteArray &json)
{
    if (json.isEmpty())
        return;
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    for (const QJsonValue &d : o.value(u"values"_s).toArray())
        v.missingValues.append(numberFromJson(d));
    for (const QJsonValue &r : o.value(u"ranges"_s).toArray())
        v.missingRanges.append({numberFromJson(r.toArray().at(0)), numberFromJson(r.toArray().at(1))});
    for (const QJsonValue &s : o.value(u"strings"_s).toArray())
        v.missingStrings.append(s.toString());
}

// Doubles as little-endian bytes, whatever the machine, so a project file moves between them.
QByteArray columnBlob(const std::vector<double> &column)
{
    QByteArray bytes(qsizetype(column.size() * sizeof(double)), Qt::Uninitialized);
    if constexpr (QSysInfo::ByteOrder == QSysInfo::LittleEndian)
        std::memcpy(bytes.data(), column.data(), static_cast<size_t>(bytes.size()));
    else
        qToLittleEndian<double>(column.data(), qsizetype(column.size()), bytes.data());
    return bytes;
}

void blobToColumn(const void *data, qsizetype bytes, std::vector<double> &column)
{
    const size_t n = std::min(column.size(), static_cast<size_t>(bytes) / sizeof(double));
    if constexpr (QSysInfo::ByteOrder == QSysInfo::LittleEndian)
        std::memcpy(column.data(), data, n * sizeof(double));
    else
        qFromLittleEndian<double>(data, qsizetype(n), column.data());
}

// The values table holds BLOBs, which Statement does not bind; a raw statement does.
QByteArray columnBytes(sqlite3_stmt *st, int column)
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(st, column));
    return p ? QByteArray(p, sqlite3_column_bytes(st, column)) : QByteArray();
}

// A dictionary entry from the first six columns of a dataset_variables row: name, label,
// type, format, value labels, missing codes.
template <typename Text> Variable dictionaryEntry(const Text &text)
{
    Variable v;
    v.name = QString::fromUtf8(text(0));
    v.label = QString::fromUtf8(text(1));
    v.type = text(2) == "string" ? VariableType::String : VariableType::Numeric;
    v.format = QString::fromUtf8(text(3));
    readValueLabels(v, text(4));
    readMissing(v, text(5));
    return v;
}

class RawStatement
{
public:
    RawStatement(sqlite3 *db, const char *sql) : m_db(db)
    {
        if (sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK)
            m_stmt = nullptr;
    }
    ~RawStatement() { sqlite3_finalize(m_stmt); }
    RawStatement(const RawStatement &) = delete;
    RawStatement &operator=(const RawStatement &) = delete;

    sqlite3_stmt *get() const { return m_stmt; }
    Error error() const
    {
        return Error::internal(u"SQL failed: "_s + QString::fromUtf8(sqlite3_errmsg(m_db)));
    }

private:
    sqlite3 *m_db;
    sqlite3_stmt *m_stmt = nullptr;
};

DatasetFormat formatFromName(const QString &name)
{
    for (DatasetFormat f : {DatasetFormat::Sav, DatasetFormat::Zsav, DatasetFormat::Por, DatasetFormat::Dta})
        if (DatasetReader::formatName(f) == name)
            return f;
    return DatasetFormat::Unknown;
}

constexpr char kInfoColumns[] =
    "SELECT d.id, d.name, d.source_path, d.format, d.file_label, d.encoding, d.weight_variable, "
    "d.key_variable, d.wave, d.row_count, d.imported_at, "
    "(SELECT count(*) FROM dataset_variables v WHERE v.dataset_id = d.id) FROM datasets d ";

DatasetInfo infoFromRow(const Statement &st)
{
    DatasetInfo i;
    i.id = st.columnInt64(0);
    i.name = st.columnText(1);
    i.sourcePath = st.columnText(2);
    i.format = formatFromName(st.columnText(3));
    i.fileLabel = st.columnText(4);
    i.encoding = st.columnText(5);
    i.weightVariable = st.columnText(6);
    i.keyVariable = st.columnText(7);
    i.wave = st.columnInt(8);
    i.rowCount = st.columnInt64(9);
    i.importedAt = QDateTime::fromString(st.columnText(10), Qt::ISODateWithMs);
    i.importedAt.setTimeSpec(Qt::UTC);
    i.variableCount = st.columnInt64(11);
    return i;
}

Status checkName(const QString &name)
{
    if (name.trimmed().isEmpty())
        return Error::user(u"a data set needs a name; pass one with --name"_s).withKey(u"name"_s);
    if (name != name.trimmed())
        return Error::user(u"the data set name '%1' starts or ends with a space"_s.arg(name))
            .withKey(u"name"_s);
    return {};
}

} // namespace

DatasetStore::DatasetStore(ProjectFile &project) : m_project(project) {}

Result<DatasetInfo> DatasetStore::importFile(const QString &path, const DatasetImportOptions &options)
{
    const QString name = options.name.isEmpty() ? QFileInfo(path).completeBaseName() : options.name;
    if (Status s = checkName(name); !s)
        return s.error();
    if (info(name).ok())
        return Error::user(
                   u"the project already has a data set named '%1'; choose another --name or remove it "
                   "first"_s.arg(name))
            .withKey(u"name"_s);
    Result<Dataset> dataset = DatasetReader::read(path, options.read);
    if (!dataset)
        return dataset.error();
    if (dataset->rowCount() == 0 || dataset->variableCount() == 0)
        return Error::user(
                   u"the data file holds no data (%1 variables, %2 cases); expected survey responses"_s
                       .arg(dataset->variableCount())
                       .arg(dataset->rowCount()))
            .withFile(path);
    dataset->setSourcePath(QFileInfo(path).absoluteFilePath());
    return store(*dataset, name, options.read.wave);
}

Result<DatasetInfo> DatasetStore::store(const Dataset &dataset, const QString &name, int wave)
{
    if (Status s = checkName(name); !s)
        return s.error();
    sqlite3 *db = m_project.handle();
    Transaction tx(db);
    if (!tx.status())
        return tx.status().error();

    Statement insertSet =
        m_project.prepare("INSERT INTO datasets (name, source_path, format, file_label, encoding, "
                          "weight_variable, key_variable, "
                          "wave, row_count, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insertSet.ok())
        return insertSet.error();
    const auto orNull = [](const QString &s) { return s.isEmpty() ? QString() : s; };
    insertSet.bind(1, name)
        .bind(2, dataset.sourcePath())
        .bind(3, DatasetReader::formatName(dataset.format()))
        .bind(4, orNull(dataset.fileLabel()))
        .bind(5, orNull(dataset.encoding()))
        .bind(6, orNull(dataset.weightVariable()))
        .bind(7, orNull(dataset.keyVariable()))
        .bind(8, wave > 0 ? wave : dataset.wave())
        .bind(9, qint64(dataset.rowCount()))
        .bind(10, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    if (Status s = insertSet.exec(); !s) {
        if ((insertSet.lastErrorCode() & 0xff) == SQLITE_CONSTRAINT)
            return Error::user(u"the project already has a data set named '%1'"_s.arg(name))
                .withKey(u"name"_s);
        return s.error();
    }
    const qint64 datasetId = sqlite3_last_insert_rowid(db);

    Statement insertVar = m_project.prepare("INSERT INTO dataset_variables (dataset_id, position, name, "
                                            "label, type, format, value_labels, missing) "
                                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insertVar.ok())
        return insertVar.error();
    RawStatement insertValues(db, "INSERT INTO dataset_values (variable_id, numeric_values, string_values) "
                                  "VALUES (?, ?, ?)");
    if (!insertValues.get())
        return insertValues.error();

    for (qsizetype c = 0; c < dataset.variableCount(); ++c) {
        const Variable &v = dataset.variable(c);
        const QByteArray labels = valueLabelsJson(v);
        const QByteArray missing = missingJson(v);
        insertVar.bind(1, datasetId)
            .bind(2, qint64(c))
            .bind(3, v.name)
            .bind(4, v.label)
            .bind(5, v.isNumeric() ? u"numeric"_s : u"string"_s)
            .bind(6, v.format);
        labels.isEmpty() ? insertVar.bindNull(7) : insertVar.bindUtf8(7, labels);
        missing.isEmpty() ? insertVar.bindNull(8) : insertVar.bindUtf8(8, missing);
        if (Status s = insertVar.exec(); !s)
            return s.error();
        insertVar.reset();

        sqlite3_stmt *st = insertValues.get();
        sqlite3_bind_int64(st, 1, sqlite3_last_insert_rowid(db));
        QByteArray payload;
        if (v.isNumeric()) {
            payload = columnBlob(dataset.numericColumn(c));
            sqlite3_bind_blob64(st, 2, payload.constData(), sqlite3_uint64(payload.size()), SQLITE_STATIC);
            sqlite3_bind_null(st, 3);
        } else {
            payload = QJsonDocument(QJsonArray::fromStringList(dataset.stringColumn(c)))
                          .toJson(QJsonDocument::Compact);
            sqlite3_bind_null(st, 2);
            sqlite3_bind_text64(st, 3, payload.constData(), sqlite3_uint64(payload.size()), SQLITE_STATIC,
                                SQLITE_UTF8);
        }
        const int rc = sqlite3_step(st);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (rc != SQLITE_DONE)
            return insertValues.error();
    }
    if (Status s = tx.commit(); !s)
        return s.error();
    return info(name);
}

QList<DatasetInfo> DatasetStore::list() const
{
    QList<DatasetInfo> out;
    Statement st = m_project.prepare(QByteArray(QByteArray(kInfoColumns) + "ORDER BY d.name COLLATE NOCASE"));
    // No error channel here: a failed step ends the list where it failed.
    (void)st.forEachRow([&](const Statement &row) { out.append(infoFromRow(row)); });
    return out;
}

Result<DatasetInfo> DatasetStore::info(const QString &name) const
{
    Statement st =
        m_project.prepare(QByteArray(QByteArray(kInfoColumns) + "WHERE d.name = ? COLLATE NOCASE"));
    if (!st.ok())
        return st.error();
    st.bind(1, name);
    Result<bool> row = st.step();
    if (!row)
        return row.error();
    if (!*row) {
        QStringList names;
        for (const DatasetInfo &i : list())
            names.append(i.name);
        return Error::user(u"the project has no data set named '%1' (it has: %2)"_s.arg(
                               name, names.isEmpty() ? u"none; import one with 'anthology data import'"_s
                                                     : names.join(u", "_s)))
            .withKey(name);
    }
    return infoFromRow(st);
}

Result<Dataset> DatasetStore::load(const QString &name, const QStringList &variables) const
{
    Result<DatasetInfo> meta = info(name);
    if (!meta)
        return meta.error();

    QSet<QString> wanted;
    for (const QString &v : variables)
        wanted.insert(v.toUpper());
    if (!wanted.isEmpty()) {
        if (!meta->weightVariable.isEmpty())
            wanted.insert(meta->weightVariable.toUpper());
        if (!meta->keyVariable.isEmpty())
            wanted.insert(meta->keyVariable.toUpper());
    }

    RawStatement st(
        m_project.handle(),
        "SELECT v.name, v.label, v.type, v.format, v.value_labels, v.missing, x.numeric_values, "
        "x.string_values FROM dataset_variables v LEFT JOIN dataset_values x ON x.variable_id = v.id "
        "WHERE v.dataset_id = ? ORDER BY v.position");
    if (!st.get())
        return st.error();
    sqlite3_bind_int64(st.get(), 1, meta->id);

    const auto text = [&](int column) { return columnBytes(st.get(), column); };
    Dataset ds;
    ds.setRowCount(meta->rowCount);
    QSet<QString> found;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
        const QString name = QString::fromUtf8(text(0)).toUpper();
        if (!wanted.isEmpty() && !wanted.contains(name))
            continue;
        found.insert(name);
        Variable v = dictionaryEntry(text);
        const bool numeric = v.isNumeric();
        const qsizetype c = ds.addVariable(std::move(v));
        if (numeric) {
            const void *blob = sqlite3_column_blob(st.get(), 6);
            blobToColumn(blob, sqlite3_column_bytes(st.get(), 6), ds.numericColumnRef(c));
        } else {
            const QJsonArray values = QJsonDocument::fromJson(text(7)).array();
            QStringList &column = ds.stringColumnRef(c);
            for (qsizetype r = 0; r < column.size() && r < values.size(); ++r)
                column[r] = values.at(r).toString();
        }
    }
    if (rc != SQLITE_DONE)
        return st.error();
    for (const QString &v : variables)
        if (!found.contains(v.toUpper()))
            return Error::user(u"data set '%1' has no variable named %2"_s.arg(meta->name, v)).withKey(v);

    ds.setSourcePath(meta->sourcePath);
    ds.setFormat(meta->format);
    ds.setFileLabel(meta->fileLabel);
    ds.setEncoding(meta->encoding);
    if (Status s = ds.setWeightVariable(meta->weightVariable); !s)
        return s.error();
    if (Status s = ds.setKeyVariable(meta->keyVariable); !s)
        return s.error();
    return ds;
}

Result<QList<Variable>> DatasetStore::variables(const QString &name) const
{
    Result<DatasetInfo> meta = info(name);
    if (!meta)
        return meta.error();
    RawStatement st(m_project.handle(), "SELECT name, label, type, format, value_labels, missing "
                                        "FROM dataset_variables WHERE dataset_id = ? ORDER BY position");
    if (!st.get())
        return st.error();
    sqlite3_bind_int64(st.get(), 1, meta->id);
    const auto text = [&](int column) { return columnBytes(st.get(), column); };
    QList<Variable> out;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
        out.append(dictionaryEntry(text));
    }
    if (rc != SQLITE_DONE)
        return st.error();
    return out;
}

Status DatasetStore::remove(const QString &name)
{
    Result<DatasetInfo> meta = info(name);
    if (!meta)
        return meta.error();
    Transaction tx(m_project.handle());
    if (!tx.status())
        return tx.status();
    Statement st = m_project.prepare("DELETE FROM datasets WHERE id = ?");
    if (!st.ok())
        return st.error();
    st.bind(1, meta->id);
    if (Status s = st.exec(); !s)
        return s;
    return tx.commit();
}

} // namespace anthology
