#pragma once

#include <QString>
#include <QTemporaryDir>

namespace anthology::test {

// A scratch directory that lives as long as the test; path() names a project file inside it.
class TempProject
{
public:
    TempProject();
    bool isValid() const { return m_dir.isValid(); }
    QString dir() const { return m_dir.path(); }
    QString path(const QString &fileName = QStringLiteral("test.anthology")) const;
    // Writes `bytes` to a file in the directory and returns its path.
    QString writeFile(const QString &fileName, const QByteArray &bytes) const;

private:
    QTemporaryDir m_dir;
};

} // namespace anthology::test
