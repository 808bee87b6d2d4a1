#pragma once

#include <QByteArray>
#include <QString>

namespace anthology::test {

// The first column of the first row of `sql` on the project file at `path`, opened read-only
// for this one query (so a test can look while the program under test holds the file);
// ?1, when the query has it, is bound to `param`. -1 when the file or the row is missing.
qint64 projectScalar(const QString &path, const QByteArray &sql, qint64 param = 0);

} // namespace anthology::test
