#include "project/ProjectFile.h"

#include "project/PragmaInt.h"
#include "project/ProjectMigrations.h"
#include "project/Transaction.h"

#include <QFile>
#include <QFileInfo>
#include <QLockFile>

#include <QDir>
#include <QUrl>

#include <sqlite3.h>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace anthology {

struct ProjectFile::Private
{
    QString path;
    Mode mode = Mode::ReadWrite;
    int schemaVersion = 0;
    sqlite3 *db = nullptr;
    std::unique_ptr<QLockFile> lock;
    int identityLock = -1; // descriptor holding the write lock on the file itself

    ~Private()
    {
        if (db)
            sqlite3_close_v2(db);
#ifdef Q_OS_UNIX
        if (identityLock >= 0)
            ::close(identityLock);
#endif
    }
};

namespace {

Error fileError(const QString &path, const QString &message)
{
    return Error::user(message).withFile(path);
}

quint32 bigEndian32(const char *p)
{
    const auto *u = reinterpret_cast<const unsigned char *>(p);
    return (quint32(u[0]) << 24) | (quint32(u[1]) << 16) | (quint32(u[2]) << 8) | quint32(u[3]);
}

// Reads the 100-byte database header ourselves, so a text file or a truncated database is
// named as such before SQLite is involved.
Status checkHeader(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fileError(path, u"cannot read the project file: "_s + file.errorString());
    const QByteArray header = file.read(100);
    static const QByteArray magic("SQLite format 3\0", 16);
    if (header.size() < 100 || !header.startsWith(magic))
        return fileError(path, u"not an Anthology project: the file is not an SQLite database"_s);
    const auto *u = reinterpret_cast<const unsigned char *>(header.constData());
    qint64 pageSize = (qint64(u[16]) << 8) | u[17];
    if (pageSize == 1)
        pageSize = 65536;
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0)
        return fileError(path, u"the project file is corrupt: invalid page size in its header"_s);
    // With un-checkpointed WAL frames the main file may legitimately lag the header;
    // only a checkpointed file must match it exactly.
    const QFileInfo wal(path + u"-wal"_s);
    if (wal.exists() && wal.size() > 0)
        return {};
    const qint64 size = file.size();
    const quint32 changeCounter = bigEndian32(header.constData() + 24);
    const quint32 validFor = bigEndian32(header.constData() + 92);
    const qint64 pages = bigEndian32(header.constData() + 28);
    if (size % pageSize != 0 || (changeCounter == validFor && pages > 0 && size < pages * pageSize))
        return fileError(path, u"the project file is corrupt: it is shorter than its header says "
                               u"(truncated copy?)"_s);
    return {};
}

// A byte of the project file that SQLite never locks (its locks sit at 0x40000000 and the 510
// bytes after it), so this lock coexists with SQLite's own.
constexpr off_t kWriterLockByte = 0x40000000 + 0x1000;

// The single-writer lock on the file itself, not its name: a symlink or a hard link to the same
// project reaches the same inode and so the same lock. An open-file-description lock (Linux),
// so it belongs to this ProjectFile alone: SQLite closing its own descriptors cannot drop it,
// and a second ReadWrite open in this very process conflicts too.
Result<int> lockIdentity(const QString &path)
{
#if defined(Q_OS_LINUX) && defined(F_OFD_SETLK)
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return fileError(
            path, u"cannot open the project for writing: %1"_s.arg(QString::fromLocal8Bit(strerror(errno))));
    struct flock lock = {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = kWriterLockByte;
    lock.l_len = 1;
    if (::fcntl(fd, F_OFD_SETLK, &lock) != 0) {
        const int error = errno;
        ::close(fd);
        if (error == EACCES || error == EAGAIN)
            return fileError(path,
                             u"the project is already open for writing by another process, under this "
                             u"name or another (a link to the same file); close it there or open this one "
                             u"read-only"_s);
        return fileError(
            path, u"cannot lock the project for writing: %1"_s.arg(QString::fromLocal8Bit(strerror(error))));
    }
    return fd;
#else
    Q_UNUSED(path);
    return -1; // elsewhere the lock file next to the project is the only guard
#endif
}

// Whether `path` can be written. The permission bits are honoured even for root (as rm and
// editors do): a project someone made read-only is not written behind their back.
bool writable(const QString &path)
{
#ifdef Q_OS_UNIX
    struct stat st = {};
    const QByteArray native = QFile::encodeName(path);
    if (::stat(native.constData(), &st) != 0)
        return false;
    return (st.st_mode & 0222) != 0 && ::access(native.constData(), W_OK) == 0;
#else
    return QFileInfo(path).isWritable();
#endif
}

// Writing a project needs the file and its folder (SQLite keeps -wal and -shm files beside it,
// and the lock file lives there): say which one is read-only and what to do.
Status checkWritable(const QString &path)
{
    const QString file = QFileInfo(path).absoluteFilePath();
    const QString folder = QFileInfo(file).absolutePath();
    if (!writable(file))
        return fileError(path, u"the project file is read-only, so it cannot be changed: make it writable "
                               u"(chmod u+w '%1') or work on a copy; reading it (project info, search, run "
                               u"status, exports) works as it is"_s.arg(file));
    if (!writable(folder))
        return fileError(path,
                         u"the folder '%1' is read-only, and writing a project needs its folder (SQLite "
                         u"keeps -wal and -shm files beside it): make the folder writable or copy the "
                         u"project to a writable folder; reading it works as it is"_s.arg(folder));
    return {};
}

void configure(sqlite3 *db)
{
    // Opening a file from someone else must not run code from it: schema-defined
    // functions are distrusted, extensions cannot be loaded, and defensive mode blocks
    // writes that could corrupt the file deliberately.
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
}

Status runIntegrityCheck(sqlite3 *db, const QString &path, const char *pragma)
{
    Statement st(db, pragma);
    if (!st.ok())
        return fileError(path, u"the project file is corrupt: "_s + st.error().message);
    Result<bool> row = st.step();
    if (!row)
        return fileError(path, u"the project file is corrupt: "_s + row.error().message);
    if (*row && st.columnText(0) != u"ok"_s)
        return fileError(path, u"the project file is corrupt: "_s + st.columnText(0));
    return {};
}

QString userFacingSqliteError(sqlite3 *db)
{
    const int code = sqlite3_errcode(db);
    if (code == SQLITE_NOTADB)
        return u"the project file is corrupt or not an SQLite database ("_s +
               QString::fromUtf8(sqlite3_errmsg(db)) + u")"_s;
    if (code == SQLITE_CORRUPT)
        return u"the project file is corrupt ("_s + QString::fromUtf8(sqlite3_errmsg(db)) + u")"_s;
    return QString::fromUtf8(sqlite3_errmsg(db));
}

Status migrate(sqlite3 *db, const QString &path, int from)
{
    const QList<ProjectMigration> &migrations = projectMigrations();
    Transaction tx(db);
    if (!tx.status())
        return tx.status();
    for (qsizetype i = from; i < migrations.size(); ++i) {
        char *message = nullptr;
        if (sqlite3_exec(db, migrations[i].sql, nullptr, nullptr, &message) != SQLITE_OK) {
            Error e = Error::internal(u"upgrading the project to schema %1 (%2) failed: %3"_s.arg(i + 1).arg(
                                          QString::fromUtf8(migrations[i].description),
                                          QString::fromUtf8(message ? message : "")))
                          .withFile(path);
            sqlite3_free(message);
            return e;
        }
    }
    const QByteArray setVersion = "PRAGMA user_version = " + QByteArray::number(migrations.size());
    if (sqlite3_exec(db, setVersion.constData(), nullptr, nullptr, nullptr) != SQLITE_OK)
        return Error::internal(QString::fromUtf8(sqlite3_errmsg(db))).withFile(path);
    return tx.commit();
}

} // namespace

ProjectFile::ProjectFile(std::unique_ptr<Private> d) : d(std::move(d)) {}

ProjectFile::~ProjectFile() = default;

int ProjectFile::currentSchemaVersion()
{
    return int(projectMigrations().size());
}

Result<std::unique_ptr<ProjectFile>> ProjectFile::create(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        if (QFileInfo::exists(path))
            return fileError(path, u"cannot create the project: the file already exists"_s);
        return fileError(path, u"cannot create the project: "_s + file.errorString());
    }
    file.close();
    auto result = openImpl(path, Mode::ReadWrite, true);
    if (!result)
        removeFiles(path);
    return result;
}

void ProjectFile::removeFiles(const QString &path)
{
    for (const QString &suffix : {QString(), u"-wal"_s, u"-shm"_s, u"-journal"_s})
        QFile::remove(path + suffix);
}

Result<std::unique_ptr<ProjectFile>> ProjectFile::open(const QString &path, Mode mode)
{
    const QFileInfo info(path);
    if (!info.exists())
        return fileError(path, u"cannot open the project: the file does not exist"_s);
    if (!info.isFile())
        return fileError(path, u"cannot open the project: not a regular file"_s);
    return openImpl(path, mode, false);
}

Result<std::unique_ptr<ProjectFile>> ProjectFile::openImpl(const QString &path, Mode mode, bool creating)
{
    if (!creating) {
        if (Status header = checkHeader(path); !header)
            return header.error();
    }

    auto d = std::make_unique<Private>();
    d->path = path;
    d->mode = mode;

    if (mode == Mode::ReadWrite && !creating) {
        if (Status st = checkWritable(path); !st)
            return st.error();
    }
    if (mode == Mode::ReadWrite) {
        d->lock = std::make_unique<QLockFile>(path + u".lock"_s);
        d->lock->setStaleLockTime(0); // stale only when its process is gone, never by age
        if (!d->lock->tryLock(0)) {
            qint64 pid = 0;
            QString host, app;
            if (d->lock->error() == QLockFile::LockFailedError && d->lock->getLockInfo(&pid, &host, &app))
                return fileError(path, u"the project is already open for writing by %1 (process %2 on %3); "
                                       u"close it there or open this one read-only"_s
                                           .arg(app.isEmpty() ? u"another program"_s : app)
                                           .arg(pid)
                                           .arg(host));
            return fileError(path, u"cannot lock the project for writing (%1.lock): check that its folder "
                                   u"is writable"_s.arg(path));
        }
        Result<int> identity = lockIdentity(path);
        if (!identity)
            return identity.error();
        d->identityLock = *identity;
    }

    int flags = (mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    QByteArray name = path.toUtf8();
    // Reading from a folder we cannot write: SQLite cannot create the -shm file a WAL reader
    // needs, so with no writer possible (and no -wal to replay) the file is read as immutable.
    const QString folder = QFileInfo(path).absolutePath();
    if (mode == Mode::ReadOnly && !creating && ::access(QFile::encodeName(folder).constData(), W_OK) != 0 &&
        !QFileInfo::exists(path + u"-shm"_s) && QFileInfo(path + u"-wal"_s).size() == 0) {
        name = QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toEncoded() + "?immutable=1";
        flags |= SQLITE_OPEN_URI;
    }
    if (sqlite3_open_v2(name.constData(), &d->db, flags, nullptr) != SQLITE_OK)
        return fileError(path, u"cannot open the project: "_s + userFacingSqliteError(d->db));
    configure(d->db);

    // Everything below only reads until the checks pass.
    Result<qint64> appId = pragmaInt(d->db, "PRAGMA application_id");
    if (!appId)
        return fileError(path, userFacingSqliteError(d->db));
    Result<qint64> version = pragmaInt(d->db, "PRAGMA user_version");
    if (!version)
        return fileError(path, userFacingSqliteError(d->db));
    if (!creating) {
        if (*appId != applicationId)
            return fileError(path, u"not an Anthology project: an SQLite database of another program"_s);
        if (*version > currentSchemaVersion())
            return fileError(path,
                             u"the project was written by a newer Anthology Workbench (schema %1; "
                             u"this program knows up to %2): update the program to open it"_s.arg(*version)
                                 .arg(currentSchemaVersion()));
        if (*version < currentSchemaVersion() && mode == Mode::ReadOnly)
            return fileError(path, u"the project uses the older schema %1 and must be upgraded: open it "
                                   u"read-write once"_s.arg(*version));
        if (Result<qint64> n = pragmaInt(d->db, "SELECT count(*) FROM sqlite_schema"); !n)
            return fileError(path, u"the project file is corrupt: "_s + userFacingSqliteError(d->db));
        const qint64 size = QFileInfo(path).size() + QFileInfo(path + u"-wal"_s).size();
        Status check = size <= fullCheckOnOpenLimit
                           ? runIntegrityCheck(d->db, path, "PRAGMA quick_check(1)")
                           : runIntegrityCheck(d->db, path, "PRAGMA quick_check(sqlite_schema)");
        if (!check)
            return check.error();
    }

    if (mode == Mode::ReadWrite) {
        const char *setup = creating ? "PRAGMA application_id = 1095652424; PRAGMA journal_mode = WAL;"
                                     : "PRAGMA journal_mode = WAL;";
        if (sqlite3_exec(d->db, setup, nullptr, nullptr, nullptr) != SQLITE_OK)
            return fileError(path,
                             u"cannot prepare the project for writing: "_s + userFacingSqliteError(d->db));
    }
    // synchronous=NORMAL is durable across application crashes in WAL mode (only a power
    // loss can drop the last commits) and saves an fsync per transaction.
    // journal_size_limit: one large transaction (a 1M-item plan writes 120 MB, 630 MB with
    // every prompt) would otherwise leave a WAL file that large beside the project for good;
    // the next write after a checkpoint cuts it back to 32 MiB.
    sqlite3_exec(d->db,
                 mode == Mode::ReadWrite
                     ? "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; "
                       "PRAGMA temp_store = MEMORY; PRAGMA journal_size_limit = 33554432;"
                     : "PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384; PRAGMA query_only = ON;",
                 nullptr, nullptr, nullptr);

    if (mode == Mode::ReadWrite && *version < currentSchemaVersion()) {
        if (Status s = migrate(d->db, path, int(*version)); !s)
            return s.error();
    }
    d->schemaVersion = currentSchemaVersion();
    return std::unique_ptr<ProjectFile>(new ProjectFile(std::move(d)));
}

QString ProjectFile::path() const
{
    return d->path;
}

ProjectFile::Mode ProjectFile::mode() const
{
    return d->mode;
}

int ProjectFile::schemaVersion() const
{
    return d->schemaVersion;
}

sqlite3 *ProjectFile::handle() const
{
    return d->db;
}

Statement ProjectFile::prepare(QByteArrayView sql) const
{
    return Statement(d->db, sql);
}

Status ProjectFile::exec(QByteArrayView sql) const
{
    const QByteArray text = sql.toByteArray();
    char *message = nullptr;
    if (sqlite3_exec(d->db, text.constData(), nullptr, nullptr, &message) != SQLITE_OK) {
        Error e = Error::internal(QString::fromUtf8(message ? message : sqlite3_errmsg(d->db)));
        sqlite3_free(message);
        return e.withFile(d->path);
    }
    return {};
}

Status ProjectFile::checkIntegrity(bool full) const
{
    return runIntegrityCheck(d->db, d->path, full ? "PRAGMA integrity_check(1)" : "PRAGMA quick_check(1)");
}

} // namespace anthology
