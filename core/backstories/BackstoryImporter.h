#pragma once

#include "backstories/BackstoryFormat.h"
#include "util/Result.h"

#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>

namespace anthology {

class ProjectFile;

struct BackstoryImportProgress
{
    qint64 rows = 0;      // records read so far
    qint64 bytesRead = 0; // of bytesTotal; a sampled or shuffled import reads the input twice
    qint64 bytesTotal = 0;
};

struct BackstoryImportOptions
{
    std::optional<BackstoryFormat> format; // guessed from the path when unset
    // The reference loader's filters. Dropping applies to rows that carry a token count.
    bool dropShort = true;
    qint64 shortTokenLimit = 40; // drop backstories of this many generated tokens or fewer
    qint64 sampleSize = -1;      // keep this many (chosen with `seed`); -1 keeps all
    bool shuffle = false;        // store in a seeded random order instead of file order
    std::uint64_t seed = 0;
    std::function<void(const BackstoryImportProgress &)> progress; // called every few hundred rows
    const std::atomic<bool> *cancel = nullptr;                     // set to stop; nothing is kept
};

struct BackstoryImportReport
{
    qint64 imported = 0;
    qint64 droppedShort = 0;
    qint64 notSampled = 0;
};

// Imports a CSV, JSONL or .txt-folder of backstories into a project in one transaction:
// a bad file (syntax, missing text column, invalid UTF-8, duplicate or existing uid, bad
// number) is rejected with file, line and column and leaves the project as it was.
// Memory stays flat whatever the file size: records stream from the file to SQLite.
class BackstoryImporter
{
public:
    explicit BackstoryImporter(ProjectFile &project);

    Result<BackstoryImportReport> importFile(const QString &path, const BackstoryImportOptions &options = {});

private:
    ProjectFile &m_project;
};

} // namespace anthology
