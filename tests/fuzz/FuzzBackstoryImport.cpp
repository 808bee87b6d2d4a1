// Feeds arbitrary bytes through the real backstory import path into a real project file.
// The first byte picks the format (even: CSV, odd: JSONL); the rest is the file content.
// Every input must either import or fail with an Error naming the file; an import that
// succeeds must leave a project whose full-text index agrees with its table.
//
//   build-fuzz/tests/fuzz/FuzzBackstoryImport -max_total_time=60 corpus/

#include "backstories/BackstoryImporter.h"
#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdint>
#include <cstdlib>

using namespace anthology;
using namespace Qt::StringLiterals;

namespace {

struct Workspace
{
    QTemporaryDir dir;
    std::unique_ptr<ProjectFile> project;
};

Workspace &workspace()
{
    static Workspace *w = [] {
        auto *ws = new Workspace;
        auto p = ProjectFile::create(QDir(ws->dir.path()).filePath(u"fuzz.anthology"_s));
        if (!p)
            std::abort();
        ws->project = std::move(*p);
        return ws;
    }();
    return *w;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    Workspace &ws = workspace();
    const bool jsonl = data[0] & 1;
    const QString path = QDir(ws.dir.path()).filePath(jsonl ? u"input.jsonl"_s : u"input.csv"_s);
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            std::abort();
        file.write(reinterpret_cast<const char *>(data) + 1, qint64(size - 1));
    }
    BackstoryStore store(*ws.project);
    const int before = store.count();
    BackstoryImportOptions options;
    options.dropShort = (data[0] & 2) != 0;
    options.shuffle = (data[0] & 4) != 0;
    BackstoryImporter importer(*ws.project);
    auto report = importer.importFile(path, options);
    if (!report) {
        if (report.error().file.isEmpty() || store.count() != before)
            std::abort(); // a rejected file must be named and leave the project unchanged
    } else {
        if (store.count() != before + report->imported)
            std::abort();
        if (!ws.project->exec("INSERT INTO backstory_fts(backstory_fts) VALUES ('integrity-check')").ok())
            std::abort();
        // Keep the project small so every run stays fast.
        ws.project->exec(
            "DELETE FROM backstories; INSERT INTO backstory_fts(backstory_fts) VALUES ('delete-all')");
    }
    return 0;
}
