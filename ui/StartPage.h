#pragma once

#include <QWidget>

class QAction;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace anthology::ui {

class RecentFiles;

// What the window shows while no project is open: create one, open one, open the example, or
// pick up a recent project; the New and Open buttons are the File menu's own actions.
class StartPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StartPage)

public:
    StartPage(QAction *newProject, QAction *openProject, RecentFiles *recent, QWidget *parent = nullptr);

Q_SIGNALS:
    void exampleRequested();
    void recentRequested(const QString &path);

private:
    void rebuildRecent();

    RecentFiles *m_recent;
    QListWidget *m_recentList;
    QPushButton *m_example;
};

} // namespace anthology::ui
