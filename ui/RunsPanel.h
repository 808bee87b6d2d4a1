#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QTimer;

namespace anthology::ui {

class ProjectSession;
class RunListModel;

// The runs of the open project, as the CLI stores them: a sortable table that refreshes every
// two seconds while visible (so a run driven from a terminal shows its progress live) and the
// selected run's reproducing command, version, seed and resolved config.
class RunsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunsPanel)

public:
    static constexpr int kRefreshIntervalMs = 2000;

    explicit RunsPanel(QWidget *parent = nullptr);
    ~RunsPanel() override;

    // The session to show; nullptr clears the panel. Not owned.
    void setSession(ProjectSession *session);
    void reload();
    void selectRun(qint64 runId);
    qint64 selectedRunId() const; // 0 when none
    RunListModel *model() const { return m_model; }
    QAction *refreshAction() const { return m_refresh; }

Q_SIGNALS:
    void message(const QString &text, bool isError);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void showCurrent();
    void updatePage();

    ProjectSession *m_session = nullptr;
    RunListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QStackedWidget *m_pages;
    QLabel *m_empty;
    QTableView *m_table;
    QLabel *m_title;
    QPlainTextEdit *m_command;
    QPushButton *m_copy;
    QLabel *m_version;
    QLabel *m_seed;
    QLabel *m_endpoint = nullptr; // where the run's requests went (base URL, model id)
    QPlainTextEdit *m_config;
    QAction *m_refresh;
    QTimer *m_timer;
    QString m_lastError;
};

} // namespace anthology::ui
