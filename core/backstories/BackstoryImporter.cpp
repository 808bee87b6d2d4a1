#include "backstories/BackstoryImporter.h"

#include "backstories/BackstoryIndex.h"
#include "backstories/BackstoryRecordSource.h"
#include "backstories/TextPosition.h"
#include "project/ProjectFile.h"
#include "project/Statement.h"
#include "project/Transaction.h"
#include "util/SeededRandom.h"

#include <QHash>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace anthology {

namespace {

constexpr qint64 progressEvery = 256;

Error recordError(const BackstoryRecord &record, const QString &message)
{
    const TextPosition pos = TextPosition::inFile(record.file, record.offset);
    return Error::at(record.file, pos.line, pos.column, message).withKey(u"uid"_s);
}

// Reads every record of one pass, applying the checks that need no database (duplicate
// uids within the file) and the short-backstory filter; `eligible` gets the survivors in
// file order with their running index.
class Pass
{
public:
    Pass(const BackstoryImportOptions &options, qint64 bytesBefore, qint64 bytesTotal)
        : m_options(options), m_bytesBefore(bytesBefore), m_bytesTotal(bytesTotal)
    {
    }

    template <typename Eligible>
    Status run(BackstoryRecordSource &source, BackstoryImportReport &report, Eligible eligible)
    {
        BackstoryRecord record;
        qint64 rows = 0;
        qint64 index = 0;
        for (;;) {
            if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed))
                return Error::user(u"import cancelled: nothing was imported"_s);
            Result<bool> got = source.next(record);
            if (!got)
                return got.error();
            if (!*got)
                break;
            ++rows;
            if (const auto it = m_seen.constFind(record.uid); it != m_seen.cend()) {
                const TextPosition first = TextPosition::inFile(record.file, it.value());
                return recordError(record, u"the uid “%1” appears twice (first on line %2)"_s
                                               .arg(QString::fromUtf8(record.uid))
                                               .arg(first.line));
            }
            m_seen.insert(record.uid, record.offset);
            if (m_options.dropShort && record.tokenCount && *record.tokenCount <= m_options.shortTokenLimit) {
                ++report.droppedShort;
            } else {
                if (Status s = eligible(record, index++); !s)
                    return s;
            }
            if (m_options.progress && rows % progressEvery == 0)
                m_options.progress({rows, m_bytesBefore + source.bytesRead(), m_bytesTotal});
        }
        if (m_options.progress)
            m_options.progress({rows, m_bytesBefore + source.bytesRead(), m_bytesTotal});
        m_count = index;
        return {};
    }

    qint64 eligibleCount() const { return m_count; }

private:
    const BackstoryImportOptions &m_options;
    qint64 m_bytesBefore;
    qint64 m_bytesTotal;
    QHash<QByteArray, qint64> m_seen;
    qint64 m_count = 0;
};

// Where each eligible record goes: its 0-based position among the kept ones, or -1.
QList<qint64> choosePositions(qint64 eligible, const BackstoryImportOptions &options)
{
    const qint64 keep = options.sampleSize < 0 ? eligible : std::min(options.sampleSize, eligible);
    QList<qint64> order(eligible);
    for (qint64 i = 0; i < eligible; ++i)
        order[i] = i;
    SeededRandom random(options.seed);
    random.shuffle(order);
    QList<qint64> position(eligible, -1);
    if (options.shuffle) {
        for (qint64 p = 0; p < keep; ++p)
            position[order[p]] = p;
    } else {
        for (qint64 p = 0; p < keep; ++p)
            position[order[p]] = 0;
        qint64 next = 0;
        for (qint64 i = 0; i < eligible; ++i) {
            if (position[i] == 0)
                position[i] = next++;
        }
    }
    return position;
}

} // namespace

BackstoryImporter::BackstoryImporter(ProjectFile &project) : m_project(project) {}

Result<BackstoryImportReport> BackstoryImporter::importFile(const QString &path,
                                                            const BackstoryImportOptions &options)
{
    if (m_project.mode() == ProjectFile::Mode::ReadOnly)
        return Error::user(u"the project is open read-only"_s).withFile(m_project.path());
    const std::optional<BackstoryFormat> format =
        options.format ? options.format : backstoryFormatForPath(path);
    if (!format)
        return Error::user(u"cannot tell the backstory format: expected a .csv or .jsonl file or a folder of "
                           u".txt files"_s)
            .withFile(path);

    Result<std::unique_ptr<BackstoryRecordSource>> source = BackstoryRecordSource::open(path, *format);
    if (!source)
        return source.error();
    const bool twoPasses = options.sampleSize >= 0 || options.shuffle;
    const qint64 size = (*source)->bytesTotal();
    BackstoryImportReport report;

    QList<qint64> positions;
    if (twoPasses) {
        BackstoryImportReport counting;
        Pass pass(options, 0, 2 * size);
        if (Status s = pass.run(**source, counting, [](const BackstoryRecord &, qint64) { return Status(); });
            !s)
            return s.error();
        positions = choosePositions(pass.eligibleCount(), options);
        source = BackstoryRecordSource::open(path, *format);
        if (!source)
            return source.error();
    }

    Transaction tx(m_project.handle());
    if (!tx.status())
        return tx.status().error();
    // A project made before the index had its prefix indexes gets them now, when the user
    // waits for the index anyway (see BackstoryIndex).
    Result<bool> prefixed = BackstoryIndex::hasPrefixes(m_project);
    if (!prefixed)
        return prefixed.error();
    if (!*prefixed) {
        if (Status s = BackstoryIndex::addPrefixes(m_project); !s)
            return s.error();
    }
    Statement maxId = m_project.prepare("SELECT coalesce(max(id), 0) FROM backstories");
    if (Result<bool> row = maxId.step(); !row)
        return row.error();
    const qint64 baseId = maxId.columnInt64(0) + 1;
    Statement insert =
        m_project.prepare("INSERT INTO backstories(id, uid, text, full_passage, token_count, logprob, "
                          "model, sampling, attributes, passage_prefix) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    Statement index = m_project.prepare("INSERT INTO backstory_fts(rowid, text) VALUES (?1, ?2)");
    if (!insert.ok())
        return insert.error();
    if (!index.ok())
        return index.error();

    auto store = [&](const BackstoryRecord &record, qint64 eligibleIndex) -> Status {
        qint64 position = eligibleIndex;
        if (twoPasses) {
            position = positions.value(eligibleIndex, -1);
            if (position < 0) {
                ++report.notSampled;
                return {};
            }
        }
        const qint64 id = baseId + position;
        insert.bind(1, id).bindUtf8(2, record.uid).bindUtf8(3, record.text);
        insert.bindNull(4).bindNull(10);
        if (record.fullPassage && record.fullPassage->endsWith(record.text))
            insert.bindUtf8(10, QByteArrayView(*record.fullPassage).chopped(record.text.size()));
        else if (record.fullPassage)
            insert.bindUtf8(4, *record.fullPassage);
        insert.bind(5, record.tokenCount).bind(6, record.logprob);
        for (int column = 7;
             const QByteArray *value : {&record.model, &record.sampling, &record.attributes}) {
            if (value->isNull())
                insert.bindNull(column);
            else
                insert.bindUtf8(column, *value);
            ++column;
        }
        if (Status s = insert.exec(); !s) {
            if (insert.lastErrorCode() == SQLITE_CONSTRAINT_UNIQUE)
                return recordError(record, u"a backstory with the uid “%1” is already in the project"_s.arg(
                                               QString::fromUtf8(record.uid)));
            return s;
        }
        if (Status s = index.bind(1, id).bindUtf8(2, record.text).exec(); !s)
            return s;
        ++report.imported;
        return {};
    };

    Pass pass(options, twoPasses ? size : 0, twoPasses ? 2 * size : size);
    BackstoryImportReport storing;
    if (Status s = pass.run(**source, storing, store); !s)
        return s.error();
    report.droppedShort = storing.droppedShort;
    if (Status s = tx.commit(); !s)
        return s.error();
    return report;
}

} // namespace anthology
