#pragma once

#include <QObject>
#include <QStringList>

namespace anthology::ui {

// The most recently opened project files, newest first, kept in QSettings.
class RecentFiles final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecentFiles)

public:
    static constexpr int kMaximum = 10;

    explicit RecentFiles(QObject *parent = nullptr);

    QStringList files() const { return m_files; }
    void add(const QString &path);
    void remove(const QString &path);
    void clear();

Q_SIGNALS:
    void changed();

private:
    void save();
    QStringList m_files;
};

} // namespace anthology::ui
