#include "TempProject.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace anthology::test {

TempProject::TempProject() = default;

QString TempProject::path(const QString &fileName) const
{
    return QDir(m_dir.path()).filePath(fileName);
}

QString TempProject::writeFile(const QString &fileName, const QByteArray &bytes) const
{
    const QString filePath = path(fileName);
    QDir().mkpath(QFileInfo(filePath).absolutePath());
    QFile file(filePath);
    if (file.open(QIODevice::WriteOnly))
        file.write(bytes);
    return filePath;
}

} // namespace anthology::test
