#pragma once

#include "RunListModel.h"

#include <QStringList>
#include <QWidget>

#include <optional>

class QAction;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QTabWidget;
class QTimer;

namespace anthology::ui {

class ProjectSession;
class RunListReader;
class RunMonitorPanel;

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
    // Re-reads the runs now, on this thread (F5, Refresh, a change made here).
    void reload();
    // The same read on the reader's thread; the timer's refresh while the tab is shown.
    void reloadInBackground();
    void selectRun(qint64 runId);
    qint64 selectedRunId() const; // 0 when none
    RunListModel *model() const { return m_model; }
    QAction *refreshAction() const { return m_refresh; }
    RunMonitorPanel *monitorPanel() const { return m_monitorPanel; }
    QAction *resumeAction() const { return m_resume; }
    QAction *pauseAction() const { return m_pause; }
    QAction *retryAction() const { return m_retry; }
    QAction *cancelAction() const { return m_cancel; }
    QAction *duplicateAction() const { return m_duplicate; }
    QAction *composerAction() const { return m_toComposer; }
    // Closing the window: asks when a run is live here; false keeps the window open.
    bool confirmClose();

public Q_SLOTS:
    // A step command's arguments as the CLI takes them after the program name, without
    // --project: planned, its summary shown in the monitor below, then driven here.
    void launch(const QStringList &arguments);

Q_SIGNALS:
    void message(const QString &text, bool isError);
    // The selected run's recorded command (arguments without --project), for the composer.
    void openInComposerRequested(const QStringList &arguments);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void showRows(Result<QList<RunListModel::Row>> rows);
    void showCurrent();
    void updatePage();
    void updateActions();
    void duplicateSelected();
    std::optional<QStringList> selectedArguments() const;

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
    QAction *m_resume;
    QAction *m_pause;
    QAction *m_retry;
    QAction *m_cancel;
    QAction *m_duplicate;
    QAction *m_toComposer;
    RunMonitorPanel *m_monitorPanel;
    QTabWidget *m_detailTabs;
    QTimer *m_timer;
    RunListReader *m_reader;
    QString m_lastError;
    bool m_monitorShown = false;
};

} // namespace anthology::ui
