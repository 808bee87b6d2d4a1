#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"

#include "backstories/BackstoryStore.h"
#include "example/ExampleProjectBuilder.h"
#include "project/ProjectFile.h"

#include <QFileInfo>
#include <QJsonObject>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace anthology::cli {

namespace {

int init(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"project init"_s, u"Create a new, empty project file."_s);
    cl.addPositional(u"file"_s, u"The project file to create (*.anthology); or --project, or $ANTHOLOGY_PROJECT."_s,
                     u"[file]"_s);
    cl.addOption(projectOption());
    cl.addOption(QCommandLineOption(
        u"example"_s,
        u"Fill it with an example of everything: the 12 example backstories, a synthetic ATP-like data set "
        "(SYNTHETIC_W92), their demographic survey and match, and a small study (runs demo-scripted/...) whose "
        "answers come from a scripted demo model, not an LLM, through the real run engine."_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (cl.positional().size() > 1 || (cl.positional().size() == 1 && cl.isSet(u"project"_s)))
        return out.usage(u"expected one project file, as an argument or with --project"_s, cl.helpHint());
    const QString path = cl.positional().isEmpty() ? projectPath(cl) : cl.positional().first();
    if (path.isEmpty())
        return out.usage(u"no project file given"_s, cl.helpHint());
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (cl.isSet(u"example"_s)) {
        Result<ExampleProjectReport> example = ExampleProjectBuilder::create(path);
        if (!example)
            return out.fail(example.error());
        QJsonObject runs;
        for (const auto &[label, runId] : example->studyRuns)
            runs.insert(label, double(runId));
        if (out.json()) {
            out.printJson(QJsonObject{{u"path"_s, absolute},
                                      {u"schema_version"_s, ProjectFile::currentSchemaVersion()},
                                      {u"backstories"_s, example->backstories},
                                      {u"dataset"_s, example->dataset},
                                      {u"respondents"_s, example->respondents},
                                      {u"demographics_run"_s, double(example->demographicsRun)},
                                      {u"study_runs"_s, runs},
                                      {u"demo_requests"_s, example->requests}});
        } else {
            QStringList ids;
            for (const auto &[label, runId] : example->studyRuns)
                ids.append(QString::number(runId));
            out.out() << "Created " << absolute << " with " << example->backstories << " example backstories, "
                      << "the synthetic data set " << example->dataset << " (" << example->respondents
                      << " respondents) and a study of scripted demo answers (not an LLM's): runs "
                      << ids.join(u',') << Qt::endl
                      << "See it with: anthology analyze --project " << path << " --dataset " << example->dataset
                      << " --runs " << ids.join(u',') << Qt::endl;
        }
        return ExitOk;
    }
    auto project = ProjectFile::create(path);
    if (!project)
        return out.fail(project.error());
    if (out.json()) {
        out.printJson(QJsonObject{{u"path"_s, absolute},
                                  {u"schema_version"_s, (*project)->schemaVersion()},
                                  {u"backstories"_s, 0}});
    } else {
        out.out() << "Created " << absolute << Qt::endl;
    }
    return ExitOk;
}

int info(const QStringList &args, CliOutput &out)
{
    CommandLine cl(u"project info"_s, u"Describe a project file."_s);
    cl.addPositional(u"file"_s, u"The project file (default: --project or $ANTHOLOGY_PROJECT)."_s,
                     u"[file]"_s);
    cl.addOption(projectOption());
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    const QString path = cl.positional().isEmpty() ? projectPath(cl) : cl.positional().first();
    if (path.isEmpty())
        return out.usage(u"no project file given"_s, cl.helpHint());
    auto project = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
    if (!project)
        return out.fail(project.error());
    BackstoryStore store(**project);
    const QFileInfo fi(path);
    const int count = store.count();
    if (out.json()) {
        out.printJson(QJsonObject{{u"path"_s, fi.absoluteFilePath()},
                                  {u"size_bytes"_s, double(fi.size())},
                                  {u"schema_version"_s, (*project)->schemaVersion()},
                                  {u"program_schema_version"_s, ProjectFile::currentSchemaVersion()},
                                  {u"backstories"_s, count}});
    } else {
        out.printTable({u"property"_s, u"value"_s},
                       {{u"path"_s, fi.absoluteFilePath()},
                        {u"size"_s, QLocale::c().formattedDataSize(fi.size())},
                        {u"schema version"_s, QString::number((*project)->schemaVersion())},
                        {u"backstories"_s, QString::number(count)}});
    }
    return ExitOk;
}

} // namespace

int runProject(const QStringList &args, CliOutput &out)
{
    return dispatch("project",
                    {{"init", "Create a project file (--example: an example with backstories, data and a demo study)", init},
                     {"info", "Describe a project file", info}},
                    args, out);
}

} // namespace anthology::cli
