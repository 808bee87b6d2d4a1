#pragma once

#include "project/Statement.h"
#include "util/Result.h"

#include <QString>

#include <memory>

struct sqlite3;

namespace anthology {

// One `.anthology` project: a single SQLite database in WAL mode with foreign keys on,
// trusted_schema off and extension loading off, versioned by PRAGMA user_version and
// upgraded by the forward migrations in ProjectMigrations.
//
// Single-writer rule: a ReadWrite ProjectFile holds an application lock file next to the
// project ("<file>.lock", QLockFile: pid + host, stale locks of dead processes are taken
// over) for as long as it is open, so a second ReadWrite open, in this process or another,
// fails with a clear message before touching the database. ReadOnly opens take no lock:
// they are the extra reader connections WAL allows next to the writer (GUI views, the
// analysis while a run writes).
//
// Checks on open, all before anything is written: the file is an SQLite database (header
// magic), its size agrees with the header (catches truncation), it carries our
// application_id, its user_version is not newer than this program, its schema parses, and
// PRAGMA quick_check passes. quick_check reads every page (O(file size): 0.5 s for the
// 280 MB of a 100k-backstory project, bench/backstory_import), which breaks the 300 ms open
// budget, so the full quick_check runs on open only up to fullCheckOnOpenLimit bytes (~90 ms
// there); above it the header checks and quick_check(sqlite_schema) remain, and
// checkIntegrity() is there for an explicit (background or CLI) full check. integrity_check
// is slower still (it also cross-checks indexes) and is not run on open at all.
class ProjectFile
{
public:
    enum class Mode { ReadWrite, ReadOnly };

    // "ANTH": lets us tell our files from other SQLite databases.
    static constexpr int applicationId = 0x414E5448;
    static constexpr qint64 fullCheckOnOpenLimit = 16ll * 1024 * 1024;

    // Creates a new project at `path` at the current schema; fails if the file exists.
    static Result<std::unique_ptr<ProjectFile>> create(const QString &path);
    // Opens an existing project; ReadWrite migrates an older schema forward.
    static Result<std::unique_ptr<ProjectFile>> open(const QString &path, Mode mode = Mode::ReadWrite);
    // Deletes a project file this program made, with SQLite's side files (WAL, shared memory,
    // rollback journal): for a half-made project, never for a user's.
    static void removeFiles(const QString &path);

    ~ProjectFile();
    ProjectFile(const ProjectFile &) = delete;
    ProjectFile &operator=(const ProjectFile &) = delete;

    QString path() const;
    Mode mode() const;
    int schemaVersion() const;
    static int currentSchemaVersion();

    // For core services: the raw connection, a prepared statement, a batch of statements.
    sqlite3 *handle() const;
    Statement prepare(QByteArrayView sql) const;
    Status exec(QByteArrayView sql) const;

    // PRAGMA quick_check (or integrity_check when `full`) over the whole file.
    Status checkIntegrity(bool full = false) const;

private:
    struct Private;
    explicit ProjectFile(std::unique_ptr<Private> d);
    static Result<std::unique_ptr<ProjectFile>> openImpl(const QString &path, Mode mode, bool creating);

    std::unique_ptr<Private> d;
};

} // namespace anthology
