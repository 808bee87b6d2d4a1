#pragma once

#include "util/Result.h"

namespace anthology {

class ProjectFile;

// The example project that the quick start opens: the dozen backstories written for this
// project (resources/example), compiled into the program so it needs no install path.
class ExampleProject
{
public:
    static QString backstoriesPath(); // a Qt resource path
    // Imports the example backstories; returns how many were imported.
    static Result<int> populate(ProjectFile &project);
};

} // namespace anthology
