#pragma once

// A new project holding one imported data set, for the tests of services over stored human data.

#include "TempProject.h"

#include "data/DatasetStore.h"
#include "project/ProjectFile.h"

#include <memory>

namespace anthology::test {

// The project dir.path() with `file` imported as `name`, weighted by `weight`; nullptr with
// `error` set when the project or the import failed.
inline std::unique_ptr<ProjectFile> projectWithDataset(const TempProject &dir, const QString &file,
                                                       const QString &name, const QString &weight,
                                                       QString *error)
{
    auto project = ProjectFile::create(dir.path());
    if (!project) {
        *error = project.error().toString();
        return nullptr;
    }
    DatasetImportOptions options;
    options.name = name;
    options.read.weightVariable = weight;
    auto info = DatasetStore(**project).importFile(file, options);
    if (!info) {
        *error = info.error().toString();
        return nullptr;
    }
    return std::move(*project);
}

} // namespace anthology::test
