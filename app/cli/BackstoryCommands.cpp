#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"

#include "backstories/BackstoryExporter.h"
#include "backstories/BackstoryImporter.h"
#include "backstories/BackstoryStore.h"
#include "project/ProjectFile.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;

namespace anthology::cli {

std::optional<BackstoryFormat> backstoryFormatFromName(const QString &name)
{
    if (name == u"csv"_s)
        return BackstoryFormat::Csv;
    if (name == u"jsonl"_s)
        return BackstoryFormat::Jsonl;
    if (name == u"txt"_s)
        return BackstoryFormat::TextFolder;
    return std::nullopt;
}

namespace {

QString plainSnippet(QString snippet)
{
    return snippet.remove(BackstorySummary::highlightStart).remove(BackstorySummary::highlightEnd);
}

QJsonObject summaryJson(const BackstorySummary &s)
{
    QJsonObject o{{u"uid"_s, s.uid},
                  {u"characters"_s, s.charCount},
                  {u"revision"_s, s.revision},
                  {u"preview"_s, s.preview}};
    if (s.tokenCount)
        o.insert(u"tokens"_s, double(*s.tokenCount));
    if (s.tokenCount && s.tokenCountEstimated)
        o.insert(u"tokens_estimated"_s, true);
    if (!s.snippet.isEmpty())
        o.insert(u"snippet"_s, plainSnippet(s.snippet));
    return o;
}

// "~" marks an edited text's estimated count.
QString tokenText(std::optional<qint64> count, bool estimated)
{
    if (!count)
        return u"-"_s;
    return estimated ? u"~"_s + QString::number(*count) : QString::number(*count);
}

void printSummaries(CliOutput &out, const QList<BackstorySummary> &rows, bool snippets)
{
    QList<QStringList> table;
    for (const BackstorySummary &s : rows) {
        const QString text =
            (snippets && !s.snippet.isEmpty() ? plainSnippet(s.snippet) : s.preview).simplified();
        table.append({s.uid, QString::number(s.charCount),
                      tokenText(s.tokenCount, s.tokenCountEstimated), QString::number(s.revision),
                      text.left(80)});
    }
    out.printTable({u"uid"_s, u"chars"_s, u"tokens"_s, u"rev"_s, snippets ? u"match"_s : u"text"_s}, table);
}

// Progress on stderr for people watching a terminal; quiet when stderr is not one.
class TerminalProgress
{
public:
    explicit TerminalProgress(CliOutput &out, QString verb) : m_out(out), m_verb(std::move(verb))
    {
        m_timer.start();
    }
    void operator()(qint64 done, qint64 total)
    {
        if (m_timer.elapsed() < m_lastMs + 250 || m_out.json())
            return;
        m_lastMs = m_timer.elapsed();
        QString line = m_verb;
        if (total > 0) {
            const double fraction = double(done) / double(total);
            line += u" %1%"_s.arg(fraction * 100.0, 0, 'f', 1);
            if (fraction > 0.01) {
                const double eta = m_timer.elapsed() / 1000.0 * (1.0 - fraction) / fraction;
                line += u", about %1 s left"_s.arg(eta, 0, 'f', 0);
            }
        }
        m_out.err() << '\r' << line << "   ";
        m_out.err().flush();
        m_shown = true;
    }
    void finish()
    {
        if (m_shown) {
            m_out.err() << '\r' << QString(60, u' ') << '\r';
            m_out.err().flush();
        }
    }

private:
    CliOutput &m_out;
    QString m_verb;
    QElapsedTimer m_timer;
    qint64 m_lastMs = -1000;
    bool m_shown = false;
};

int importCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"backstories import"_s,
                   u"Import backstories from CSV, JSONL or a folder of .txt files, in one transaction: "
                   "a bad file is rejected whole, with its line and column."_s);
    cl.addPositional(u"source"_s, u"A .csv or .jsonl file, or a folder of .txt files."_s);
    cl.addOption(projectOption());
    cl.addOption(
        QCommandLineOption(u"format"_s, u"csv, jsonl or txt (default: from the name)."_s, u"format"_s));
    cl.addOption(QCommandLineOption(u"min-tokens"_s,
                                    u"Drop backstories of this many generated tokens or fewer (default 40; "
                                    "0 keeps all)."_s,
                                    u"n"_s, u"40"_s));
    cl.addOption(QCommandLineOption(u"sample"_s, u"Keep a seeded random sample of N backstories."_s, u"n"_s));
    cl.addOption(QCommandLineOption(u"shuffle"_s, u"Shuffle the order (seeded)."_s));
    cl.addOption(QCommandLineOption(u"seed"_s, u"Seed for --sample and --shuffle (default 42)."_s, u"seed"_s,
                                    u"42"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (cl.positional().size() != 1)
        return out.usage(u"expected one source file or folder"_s, cl.helpHint());
    auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
    if (!project)
        return out.fail(project.error());

    BackstoryImportOptions options;
    bool ok = true;
    options.shortTokenLimit = cl.value(u"min-tokens"_s).toLongLong(&ok);
    if (!ok || options.shortTokenLimit < 0)
        return out.usage(u"--min-tokens expects a whole number >= 0"_s, cl.helpHint());
    options.dropShort = options.shortTokenLimit > 0;
    if (cl.isSet(u"sample"_s)) {
        options.sampleSize = cl.value(u"sample"_s).toLongLong(&ok);
        if (!ok || options.sampleSize <= 0)
            return out.usage(u"--sample expects a whole number > 0"_s, cl.helpHint());
    }
    options.shuffle = cl.isSet(u"shuffle"_s);
    options.seed = cl.value(u"seed"_s).toULongLong(&ok);
    if (!ok)
        return out.usage(u"--seed expects a whole number"_s, cl.helpHint());
    if (cl.isSet(u"format"_s)) {
        auto format = backstoryFormatFromName(cl.value(u"format"_s));
        if (!format)
            return out.usage(u"--format expects csv, jsonl or txt"_s, cl.helpHint());
        options.format = *format;
    }
    TerminalProgress progress(out, u"Importing"_s);
    options.progress = [&progress](const BackstoryImportProgress &p) { progress(p.bytesRead, p.bytesTotal); };

    auto report = BackstoryImporter(**project).importFile(cl.positional().first(), options);
    progress.finish();
    if (!report)
        return out.fail(report.error());
    if (out.json()) {
        out.printJson(QJsonObject{{u"imported"_s, double(report->imported)},
                                  {u"dropped_short"_s, double(report->droppedShort)},
                                  {u"not_sampled"_s, double(report->notSampled)}});
    } else {
        out.out() << "Imported " << report->imported << " backstories";
        if (report->droppedShort > 0)
            out.out() << "; dropped " << report->droppedShort << " of " << options.shortTokenLimit
                      << " generated tokens or fewer";
        if (report->notSampled > 0)
            out.out() << "; left out " << report->notSampled << " by sampling";
        out.out() << Qt::endl;
    }
    return ExitOk;
}

int exportCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"backstories export"_s, u"Export backstories as CSV, JSONL or a folder of .txt files."_s);
    cl.addPositional(u"target"_s, u"A .csv or .jsonl file, or a folder for .txt files."_s);
    cl.addOption(projectOption());
    cl.addOption(
        QCommandLineOption(u"format"_s, u"csv, jsonl or txt (default: from the name)."_s, u"format"_s));
    cl.addOption(QCommandLineOption(u"uid"_s, u"Export only this uid (repeatable)."_s, u"uid"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (cl.positional().size() != 1)
        return out.usage(u"expected one target file or folder"_s, cl.helpHint());
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return out.fail(project.error());
    BackstoryExportOptions options;
    options.uids = cl.parser().values(u"uid"_s);
    if (cl.isSet(u"format"_s)) {
        auto format = backstoryFormatFromName(cl.value(u"format"_s));
        if (!format)
            return out.usage(u"--format expects csv, jsonl or txt"_s, cl.helpHint());
        options.format = *format;
    }
    TerminalProgress progress(out, u"Exporting"_s);
    options.progress = [&progress](qint64 done, qint64 total) { progress(done, total); };
    auto written = BackstoryExporter(**project).exportFile(cl.positional().first(), options);
    progress.finish();
    if (!written)
        return out.fail(written.error());
    if (out.json())
        out.printJson(QJsonObject{{u"exported"_s, double(*written)}, {u"target"_s, cl.positional().first()}});
    else
        out.out() << "Exported " << *written << " backstories to " << cl.positional().first() << Qt::endl;
    return ExitOk;
}

int listCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"backstories list"_s, u"List backstories, a page at a time."_s);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(u"offset"_s, u"Skip this many (default 0)."_s, u"n"_s, u"0"_s));
    cl.addOption(QCommandLineOption(u"limit"_s, u"Show at most this many (default 50)."_s, u"n"_s, u"50"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    bool okOffset = false, okLimit = false;
    const int offset = cl.value(u"offset"_s).toInt(&okOffset);
    const int limit = cl.value(u"limit"_s).toInt(&okLimit);
    if (!okOffset || !okLimit || offset < 0 || limit <= 0)
        return out.usage(u"--offset and --limit expect whole numbers (limit > 0)"_s, cl.helpHint());
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return out.fail(project.error());
    BackstoryStore store(**project);
    const auto rows = store.page(offset, limit, BackstorySort::Id);
    if (out.json()) {
        QJsonArray items;
        for (const auto &s : rows)
            items.append(summaryJson(s));
        out.printJson(QJsonObject{{u"total"_s, store.count()}, {u"offset"_s, offset}, {u"items"_s, items}});
    } else {
        printSummaries(out, rows, false);
        out.out() << "(" << rows.size() << " of " << store.count() << " shown from offset " << offset << ")"
                  << Qt::endl;
    }
    return ExitOk;
}

int searchCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"backstories search"_s,
                   u"Full-text search, as the workbench's search box reads it: every word must occur, "
                   "\"a phrase\" matches those words in a row, prefix* any word starting so. --raw takes "
                   "SQLite FTS5 syntax instead."_s);
    cl.addPositional(u"query"_s, u"Words, \"a phrase\" (quote it for the shell), or prefix*."_s,
                     u"query..."_s);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(u"limit"_s, u"Show at most this many (default 20)."_s, u"n"_s, u"20"_s));
    cl.addOption(
        QCommandLineOption(u"raw"_s, u"Pass the query to FTS5 as written (AND, OR, NEAR, \"...\")."_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (cl.positional().isEmpty())
        return out.usage(u"expected a query"_s, cl.helpHint());
    bool ok = false;
    const int limit = cl.value(u"limit"_s).toInt(&ok);
    if (!ok || limit <= 0)
        return out.usage(u"--limit expects a whole number > 0"_s, cl.helpHint());
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return out.fail(project.error());
    BackstoryStore store(**project);
    const QString query = cl.positional().join(u' ');
    const auto syntax = cl.isSet(u"raw"_s) ? SearchSyntax::Fts5 : SearchSyntax::Simple;
    auto page = store.searchPage(query, limit, syntax);
    if (!page)
        return out.fail(page.error());
    if (out.json()) {
        QJsonArray items;
        for (const auto &s : std::as_const(page->hits))
            items.append(summaryJson(s));
        out.printJson(QJsonObject{{u"query"_s, query}, {u"total"_s, page->total}, {u"items"_s, items}});
    } else {
        printSummaries(out, page->hits, true);
        out.out() << "(" << page->hits.size() << " of " << page->total << " matches shown)" << Qt::endl;
    }
    return ExitOk;
}

QJsonObject backstoryJson(const Backstory &b)
{
    QJsonObject o{{u"uid"_s, b.uid},     {u"backstory"_s, b.text},    {u"revision"_s, b.revision},
                  {u"model"_s, b.model}, {u"sampling"_s, b.sampling}, {u"attributes"_s, b.attributes}};
    if (b.fullPassage)
        o.insert(u"full_passage"_s, *b.fullPassage);
    if (b.tokenCount)
        o.insert(u"num_tokens"_s, double(*b.tokenCount));
    if (b.tokenCount && b.tokenCountEstimated)
        o.insert(u"num_tokens_estimated"_s, true);
    if (b.logprob)
        o.insert(u"logprob"_s, *b.logprob);
    return o;
}

int showCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"backstories show"_s,
                   u"Print one backstory, an earlier revision of it, or its history."_s);
    cl.addPositional(u"uid"_s, u"The backstory's uid."_s);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(u"revision"_s, u"Print this earlier revision's text."_s, u"n"_s));
    cl.addOption(QCommandLineOption(u"history"_s, u"List the revisions instead of the text."_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (cl.positional().size() != 1)
        return out.usage(u"expected one uid"_s, cl.helpHint());
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return out.fail(project.error());
    BackstoryStore store(**project);
    const QString uid = cl.positional().first();
    const auto backstory = store.get(uid);
    if (!backstory)
        return out.fail(Error::user(u"no backstory with uid '"_s + uid + u"'"_s));
    if (cl.isSet(u"history"_s)) {
        const auto history = store.history(uid);
        if (out.json()) {
            QJsonArray items;
            for (const auto &r : history)
                items.append(QJsonObject{
                    {u"revision"_s, r.revision},
                    {u"edited_at"_s, r.editedAt.isValid() ? r.editedAt.toString(Qt::ISODate) : QString()},
                    {u"current"_s, r.current},
                    {u"characters"_s, r.charCount}});
            out.printJson(QJsonObject{{u"uid"_s, uid}, {u"revisions"_s, items}});
        } else {
            QList<QStringList> rows;
            for (const auto &r : history)
                rows.append(
                    {QString::number(r.revision),
                     r.editedAt.isValid() ? r.editedAt.toLocalTime().toString(Qt::ISODate) : u"imported"_s,
                     QString::number(r.charCount), r.current ? u"current"_s : QString()});
            out.printTable({u"revision"_s, u"edited"_s, u"chars"_s, u""_s}, rows);
        }
        return ExitOk;
    }
    if (cl.isSet(u"revision"_s)) {
        bool ok = false;
        const int revision = cl.value(u"revision"_s).toInt(&ok);
        if (!ok)
            return out.usage(u"--revision expects a whole number"_s, cl.helpHint());
        auto text = store.textAtRevision(uid, revision);
        if (!text)
            return out.fail(text.error());
        if (!*text)
            return out.fail(
                Error::user(u"backstory '"_s + uid + u"' has no revision "_s + QString::number(revision)));
        if (out.json())
            out.printJson(QJsonObject{{u"uid"_s, uid}, {u"revision"_s, revision}, {u"backstory"_s, **text}});
        else
            out.out() << **text << Qt::endl;
        return ExitOk;
    }
    if (out.json())
        out.printJson(backstoryJson(*backstory));
    else
        out.out() << backstory->text << Qt::endl;
    return ExitOk;
}

int editCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"backstories edit"_s,
                   u"Replace a backstory's text with a new revision (the old text stays in its history), "
                   "or undo the last edit."_s);
    cl.addPositional(u"uid"_s, u"The backstory's uid."_s);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(u"text"_s, u"The new text."_s, u"text"_s));
    cl.addOption(QCommandLineOption(
        u"file"_s, u"Read the new text from this file ('-' for standard input)."_s, u"file"_s));
    cl.addOption(QCommandLineOption(u"undo"_s, u"Restore the text before the last edit."_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (cl.positional().size() != 1)
        return out.usage(u"expected one uid"_s, cl.helpHint());
    const int modes = int(cl.isSet(u"text"_s)) + int(cl.isSet(u"file"_s)) + int(cl.isSet(u"undo"_s));
    if (modes != 1)
        return out.usage(u"give exactly one of --text, --file or --undo"_s, cl.helpHint());
    auto project = openProject(cl, ProjectFile::Mode::ReadWrite);
    if (!project)
        return out.fail(project.error());
    BackstoryStore store(**project);
    const QString uid = cl.positional().first();
    Result<int> revision = Error::internal(u"unreachable"_s);
    if (cl.isSet(u"undo"_s)) {
        revision = store.undo(uid);
    } else {
        QString text = cl.value(u"text"_s);
        if (cl.isSet(u"file"_s)) {
            const QString path = cl.value(u"file"_s);
            QFile file;
            const bool opened = path == u"-"_s ? file.open(stdin, QIODevice::ReadOnly)
                                               : (file.setFileName(path), file.open(QIODevice::ReadOnly));
            if (!opened)
                return out.fail(Error::user(u"cannot read "_s + path + u": "_s + file.errorString()));
            text = QString::fromUtf8(file.readAll());
        }
        revision = store.edit(uid, text);
    }
    if (!revision)
        return out.fail(revision.error());
    if (out.json())
        out.printJson(QJsonObject{{u"uid"_s, uid}, {u"revision"_s, *revision}});
    else
        out.out() << uid << " is now at revision " << *revision << Qt::endl;
    return ExitOk;
}

} // namespace

int runBackstories(const QStringList &args, CliOutput &out)
{
    return dispatch(
        "backstories",
        {{"import", "Import CSV, JSONL or a folder of .txt files (one transaction)", importCommand},
         {"export", "Export CSV, JSONL or a folder of .txt files", exportCommand},
         {"list", "List backstories a page at a time", listCommand},
         {"search", "Full-text search", searchCommand},
         {"show", "Print a backstory, an earlier revision, or its history", showCommand},
         {"edit", "Edit a backstory's text (kept as a new revision) or undo the last edit", editCommand}},
        args, out);
}

} // namespace anthology::cli
