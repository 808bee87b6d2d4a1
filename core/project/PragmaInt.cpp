#include "project/PragmaInt.h"

#include "project/Statement.h"

namespace anthology {

Result<qint64> pragmaInt(sqlite3 *db, const char *pragma)
{
    Statement st(db, pragma);
    if (!st.ok())
        return st.error();
    Result<bool> row = st.step();
    if (!row)
        return row.error();
    return *row ? st.columnInt64(0) : 0;
}

} // namespace anthology
