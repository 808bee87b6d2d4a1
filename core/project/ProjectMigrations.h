#pragma once

#include <QList>

namespace anthology {

// One forward step of the project schema. Migration i (0-based) takes a file from
// user_version i to i + 1; its SQL runs inside the upgrade transaction.
struct ProjectMigration
{
    const char *description;
    const char *sql;
};

// The ordered list of every migration ever shipped. To add tables (runs, items, datasets),
// append a migration: never edit or reorder a shipped one, files in the field depend on it.
const QList<ProjectMigration> &projectMigrations();

} // namespace anthology
