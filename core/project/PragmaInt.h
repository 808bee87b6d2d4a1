#pragma once

#include "util/Result.h"

struct sqlite3;

namespace anthology {

// The integer a PRAGMA (or any one-value query) returns on `db`; 0 when it returns no row.
Result<qint64> pragmaInt(sqlite3 *db, const char *pragma);

} // namespace anthology
