#include "example/ExampleProject.h"

#include "backstories/BackstoryImporter.h"

using namespace Qt::StringLiterals;

namespace anthology {

QString ExampleProject::backstoriesPath()
{
    return u":/anthology/example/backstories.jsonl"_s;
}

Result<int> ExampleProject::populate(ProjectFile &project)
{
    BackstoryImportOptions options;
    options.format = BackstoryFormat::Jsonl;
    options.dropShort = false; // hand-written stories are short: keep them all
    auto report = BackstoryImporter(project).importFile(backstoriesPath(), options);
    if (!report)
        return report.error();
    return report->imported;
}

} // namespace anthology
