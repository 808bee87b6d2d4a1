#include "CliOutput.h"
#include "CommandLine.h"
#include "Commands.h"

#include "backstories/BackstoryStore.h"
#include "project/ExampleProject.h"
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
    cl.addPositional(u"file"_s, u"The project file to create (*.anthology)."_s);
    cl.addOption(QCommandLineOption(u"example"_s,
                                    u"Fill it with the example backstories written for this project."_s));
    if (int code = cl.parse(args, out); code >= 0)
        return code;
    if (cl.positional().size() != 1)
        return out.usage(u"expected exactly one project file"_s, cl.helpHint());
    const QString path = cl.positional().first();
    auto project = ProjectFile::create(path);
    if (!project)
        return out.fail(project.error());
    int imported = 0;
    if (cl.isSet(u"example"_s)) {
        auto count = ExampleProject::populate(**project);
        if (!count)
            return out.fail(count.error());
        imported = *count;
    }
    if (out.json()) {
        out.printJson(QJsonObject{{u"path"_s, QFileInfo(path).absoluteFilePath()},
                                  {u"schema_version"_s, (*project)->schemaVersion()},
                                  {u"backstories"_s, imported}});
    } else {
        out.out() << "Created " << QFileInfo(path).absoluteFilePath();
        if (imported > 0)
            out.out() << " with " << imported << " example backstories";
        out.out() << Qt::endl;
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
                    {{"init", "Create a project file (--example fills it with example backstories)", init},
                     {"info", "Describe a project file", info}},
                    args, out);
}

} // namespace anthology::cli
