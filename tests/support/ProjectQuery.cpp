#include "ProjectQuery.h"

#include "project/ProjectFile.h"
#include "project/Statement.h"

namespace anthology::test {

qint64 projectScalar(const QString &path, const QByteArray &sql, qint64 param)
{
    auto p = ProjectFile::open(path, ProjectFile::Mode::ReadOnly);
    if (!p)
        return -1;
    Statement s = (*p)->prepare(sql);
    if (sql.contains("?1"))
        s.bind(1, param);
    Result<bool> row = s.step();
    return row && *row ? s.columnInt64(0) : -1;
}

} // namespace anthology::test
