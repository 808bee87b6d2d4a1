#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"
#include "StudyArguments.h"

#include "backstories/BackstoryExporter.h"
#include "export/AnswerCsvExporter.h"
#include "export/AnswerJsonlExporter.h"
#include "export/AnswerSavExporter.h"
#include "project/ProjectFile.h"
#include "run/RunStore.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace anthology::cli {

namespace {

QCommandLineOption outputOption()
{
    return QCommandLineOption(u"output"_s, u"The file to write (a folder for backstories as txt)."_s,
                              u"file"_s);
}

QCommandLineOption formatOption(const QString &choices)
{
    return QCommandLineOption(u"format"_s, choices + u" (default: from the output's extension)."_s,
                              u"format"_s);
}

// --format, else the output's extension, lower-cased.
QString formatOf(const CommandLine &cl)
{
    if (cl.isSet(u"format"_s))
        return cl.value(u"format"_s).toLower();
    const QString suffix = QFileInfo(cl.value(u"output"_s)).suffix().toLower();
    return suffix == u"ndjson"_s ? u"jsonl"_s : suffix;
}

Result<qint64> runOption(const CommandLine &cl)
{
    if (!cl.isSet(u"run"_s))
        return Error::user(u"--run is required (see 'anthology run list')"_s);
    bool ok = false;
    const qint64 id = cl.value(u"run"_s).toLongLong(&ok);
    if (!ok || id <= 0)
        return Error::user(
            u"--run expects a run id (a whole number > 0), got '%1'"_s.arg(cl.value(u"run"_s)));
    return id;
}

int report(CliOutput &out, const QString &what, qint64 count, const QString &path, qint64 runId = 0)
{
    if (out.json()) {
        QJsonObject o{{u"exported"_s, what}, {u"rows"_s, double(count)}, {u"output"_s, path}};
        if (runId > 0)
            o.insert(u"run"_s, double(runId));
        out.printJson(o);
    } else {
        out.out() << "Wrote " << count << ' ' << what << (runId > 0 ? u" of run %1"_s.arg(runId) : QString())
                  << " to " << path << Qt::endl;
    }
    return ExitOk;
}

// The run named by --run, opened read-only, after checking it exists.
Result<std::unique_ptr<ProjectFile>> openRun(const CommandLine &cl, qint64 runId)
{
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return project.error();
    if (Result<RunInfo> info = RunStore(**project).run(runId); !info)
        return info.error();
    return project;
}

int answersCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"export answers"_s,
                   u"Export a run's answers: CSV long form (one row per item, every sample and re-ask), "
                   "CSV wide form (--wide: one row per persona and sample, one column per question holding "
                   "the option code, 99 = non-compliant, empty = not asked), SPSS .sav (one case per "
                   "persona, value labels from the questionnaire, 99 user-missing = non-compliant) or JSONL "
                   "(one object per item with its request and response)."_s);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(u"run"_s, u"The run id."_s, u"id"_s));
    cl.addOption(formatOption(u"csv, sav or jsonl"_s));
    cl.addOption(outputOption());
    cl.addOption(QCommandLineOption(u"wide"_s, u"CSV: one row per persona and sample."_s));
    cl.addOption(QCommandLineOption(
        u"sample"_s, u"Wide CSV and .sav: only this sample (.sav default 0; wide default all)."_s, u"n"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (!cl.positional().isEmpty())
        return out.usage(u"unexpected argument '%1'"_s.arg(cl.positional().first()), cl.helpHint());
    Result<qint64> runId = runOption(cl);
    if (!runId)
        return out.usage(runId.error().message, cl.helpHint());
    if (!cl.isSet(u"output"_s))
        return out.usage(u"--output is required"_s, cl.helpHint());
    const QString format = formatOf(cl);
    if (format != u"csv"_s && format != u"sav"_s && format != u"jsonl"_s)
        return out.usage(u"--format expects csv, sav or jsonl"_s, cl.helpHint());
    if (cl.isSet(u"wide"_s) && format != u"csv"_s)
        return out.usage(u"--wide applies to --format csv"_s, cl.helpHint());
    AnswerExportOptions options;
    if (cl.isSet(u"sample"_s)) {
        bool ok = false;
        options.sample = cl.value(u"sample"_s).toInt(&ok);
        if (!ok || *options.sample < 0)
            return out.usage(u"--sample expects a whole number >= 0"_s, cl.helpHint());
    }
    auto project = openRun(cl, *runId);
    if (!project)
        return out.fail(project.error());
    const QString path = cl.value(u"output"_s);
    Result<qint64> rows = format == u"sav"_s     ? AnswerSavExporter::write(**project, *runId, path, options)
                          : format == u"jsonl"_s ? AnswerJsonlExporter::writeAnswers(**project, *runId, path)
                          : cl.isSet(u"wide"_s)
                              ? AnswerCsvExporter::writeWide(**project, *runId, path, options)
                              : AnswerCsvExporter::writeLong(**project, *runId, path);
    if (!rows)
        return out.fail(rows.error());
    return report(out, format == u"sav"_s || cl.isSet(u"wide"_s) ? u"rows"_s : u"items"_s, *rows, path,
                  *runId);
}

int requestsCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"export requests"_s,
                   u"Export a run's request log as JSONL: one object per item with the request sent (stored "
                   "without credentials) and the response received."_s);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(u"run"_s, u"The run id."_s, u"id"_s));
    cl.addOption(formatOption(u"jsonl"_s));
    cl.addOption(outputOption());
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    Result<qint64> runId = runOption(cl);
    if (!runId)
        return out.usage(runId.error().message, cl.helpHint());
    if (!cl.isSet(u"output"_s))
        return out.usage(u"--output is required"_s, cl.helpHint());
    if (cl.isSet(u"format"_s) && formatOf(cl) != u"jsonl"_s)
        return out.usage(u"requests export as jsonl only"_s, cl.helpHint());
    auto project = openRun(cl, *runId);
    if (!project)
        return out.fail(project.error());
    Result<qint64> rows = AnswerJsonlExporter::writeRequests(**project, *runId, cl.value(u"output"_s));
    if (!rows)
        return out.fail(rows.error());
    return report(out, u"requests"_s, *rows, cl.value(u"output"_s), *runId);
}

int backstoriesCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"export backstories"_s,
                   u"Export backstories as CSV, JSONL or a folder of .txt files (the same files as "
                   "'anthology backstories export')."_s);
    cl.addOption(projectOption());
    cl.addOption(formatOption(u"csv, jsonl or txt"_s));
    cl.addOption(outputOption());
    cl.addOption(QCommandLineOption(u"uid"_s, u"Export only this uid (repeatable)."_s, u"uid"_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (!cl.isSet(u"output"_s))
        return out.usage(u"--output is required"_s, cl.helpHint());
    BackstoryExportOptions options;
    options.uids = cl.parser().values(u"uid"_s);
    if (cl.isSet(u"format"_s)) {
        options.format = backstoryFormatFromName(cl.value(u"format"_s).toLower());
        if (!options.format)
            return out.usage(u"--format expects csv, jsonl or txt"_s, cl.helpHint());
    }
    auto project = openProject(cl, ProjectFile::Mode::ReadOnly);
    if (!project)
        return out.fail(project.error());
    Result<qint64> written = BackstoryExporter(**project).exportFile(cl.value(u"output"_s), options);
    if (!written)
        return out.fail(written.error());
    return report(out, u"backstories"_s, *written, cl.value(u"output"_s));
}

int studyCommand(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"export study"_s,
                   u"Write the study table: runs sorted by average EMD (or TV) against a data set's humans, "
                   "with bootstrap intervals, correlation-structure distances (Frobenius, CBS), Cronbach's "
                   "alpha, compliance and the human split-half lower bound as a row; overall and per "
                   "subgroup. The numbers are those of 'anthology analyze' on each run."_s);
    cl.addOption(projectOption());
    addStudyOptions(cl, true);
    cl.addOption(formatOption(u"csv, json or txt"_s));
    cl.addOption(outputOption());
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (!cl.isSet(u"output"_s))
        return out.usage(u"--output is required"_s, cl.helpHint());
    const QString format = formatOf(cl);
    if (format != u"csv"_s && format != u"json"_s && format != u"txt"_s)
        return out.usage(u"--format expects csv, json or txt"_s, cl.helpHint());
    if (!cl.isSet(u"runs"_s) || !cl.isSet(u"dataset"_s))
        return out.usage(u"--runs and --dataset are required"_s, cl.helpHint());
    Result<StudyResult> study = computeStudy(cl);
    if (!study)
        return out.fail(study.error());
    const QByteArray bytes = format == u"csv"_s    ? StudyReport::csv(*study)
                             : format == u"json"_s ? QJsonDocument(StudyReport::json(*study)).toJson()
                                                   : StudyReport::text(*study).toUtf8();
    QSaveFile file(cl.value(u"output"_s));
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return out.fail(Error::user(u"cannot write the study table: %1"_s.arg(file.errorString()))
                            .withFile(cl.value(u"output"_s)));
    qint64 rows = study->overall.rows.size();
    for (const StudyTable &t : study->subgroups)
        rows += t.rows.size();
    return report(out, u"study rows"_s, rows, cl.value(u"output"_s));
}

} // namespace

int runExport(const QStringList &args, CliOutput &out)
{
    return dispatch(
        "export",
        {{"answers", "A run's answers as CSV (long or wide), SPSS .sav or JSONL", answersCommand},
         {"requests", "A run's requests and responses as JSONL", requestsCommand},
         {"backstories", "Backstories as CSV, JSONL or .txt files", backstoriesCommand},
         {"study", "Runs compared with human data, sorted by distance (CSV, JSON, text)", studyCommand}},
        args, out);
}

} // namespace anthology::cli
