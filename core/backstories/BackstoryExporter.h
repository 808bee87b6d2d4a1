#pragma once

#include "backstories/BackstoryFormat.h"
#include "util/Result.h"

#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>

namespace anthology {

class ProjectFile;

struct BackstoryExportOptions
{
    std::optional<BackstoryFormat> format; // guessed from the path when unset
    QStringList uids;                      // empty: every backstory, in import order
    std::function<void(qint64 done, qint64 total)> progress;
    const std::atomic<bool> *cancel = nullptr;
};

// Writes backstories as CSV (RFC 4180, CRLF rows, header uid, backstory, then full_passage,
// token_count, logprob, model, sampling when any backstory has them, then the attribute
// columns by name), JSONL (one object per line with the same keys) or a folder of
// <uid>.txt files (text only). CSV and JSONL are written to a temporary file and renamed,
// so a failed or cancelled export leaves no partial file. Re-importing an export gives back
// every byte of every text, passage and attribute.
class BackstoryExporter
{
public:
    explicit BackstoryExporter(ProjectFile &project);

    // Returns the number of backstories written.
    Result<qint64> exportFile(const QString &path, const BackstoryExportOptions &options = {});

private:
    ProjectFile &m_project;
};

} // namespace anthology
