#pragma once

#include <QString>

namespace anthology {

// A step's run, found by (kind, name) or planned anew.
struct StepRun
{
    qint64 runId = 0;
    bool resumed = false; // an earlier run of that kind and name (finished or not; an
                          // incomplete one has its failed items pending again)
    QString status;       // its stored status ("planned" when new)
};

} // namespace anthology
