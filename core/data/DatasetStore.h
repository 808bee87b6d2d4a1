#pragma once

#include "data/Dataset.h"
#include "data/DatasetReader.h"
#include "util/Result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace anthology {

class ProjectFile;

// What the project knows about one stored data set, without its values.
struct DatasetInfo
{
    qint64 id = 0;
    QString name;
    QString sourcePath;
    DatasetFormat format = DatasetFormat::Unknown;
    QString fileLabel;
    QString encoding;
    QString weightVariable; // empty when none
    QString keyVariable;    // empty when none
    int wave = 0;           // 0 when unknown
    qsizetype rowCount = 0;
    qsizetype variableCount = 0;
    QDateTime importedAt; // UTC
};

struct DatasetImportOptions
{
    QString name;            // empty: the file's base name
    DatasetReadOptions read; // weight, key and wave (which also picks WEIGHT_W<wave>)
};

// Human survey data kept inside the project file (schema 2): the dictionary per variable and
// each column as one row, so a data set loads back without its original file.
//
// Imports parse the whole file before touching the project and write everything in one
// transaction: a file that is not what it claims, is truncated or cannot be decoded gives an
// Error naming the file, and the project stays exactly as it was.
class DatasetStore
{
public:
    explicit DatasetStore(ProjectFile &project);

    Result<DatasetInfo> importFile(const QString &path, const DatasetImportOptions &options = {});
    // Stores a data set already in memory (a synthetic one, one read elsewhere).
    Result<DatasetInfo> store(const Dataset &dataset, const QString &name, int wave = 0);

    QList<DatasetInfo> list() const;
    // Names compare case-insensitively.
    Result<DatasetInfo> info(const QString &name) const;
    // The data set as imported. With `variables`, only those columns (plus the weight and key)
    // are read, in the stored order: a few questions of a 400-variable wave load in
    // milliseconds. Unknown names are an Error naming the variable.
    Result<Dataset> load(const QString &name, const QStringList &variables = {}) const;
    // The dictionary only (names, labels, value labels, missing codes), without the values.
    Result<QList<Variable>> variables(const QString &name) const;
    Status remove(const QString &name);

private:
    ProjectFile &m_project;
};

} // namespace anthology
