#pragma once

#include "backstories/BackstoryTypes.h"

#include <QWidget>

#include <memory>

class QLabel;
class QModelIndex;
class QLineEdit;
class QTableView;
class QThread;
class QTimer;

namespace anthology::ui {

class BackstoryDetailPane;
class BackstorySearchWorker;
class BackstoryTableModel;
class ProjectSession;

// The backstory browser: a search field, the lazily paged table and the text pane.
class BackstoryBrowser final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackstoryBrowser)

public:
    explicit BackstoryBrowser(QWidget *parent = nullptr);
    ~BackstoryBrowser() override;

    // The session to show; nullptr clears the browser. Not owned.
    void setSession(ProjectSession *session);
    void reload();
    void setEditingEnabled(bool enabled);
    void focusSearch();
    QString selectedUid() const;
    QStringList selectedUids() const;
    bool hasUnsavedChanges() const;
    // Before anything replaces the edited text (another row, a search, closing the project):
    // asks Save / Discard / Cancel. True when the way is clear (saved, discarded or nothing to
    // ask); false when the user cancelled or the save failed, and the text stays as it was.
    bool resolveUnsavedEdit();
    // The same as the pane's buttons, for the Edit menu.
    void saveCurrentEdit();
    void undoCurrentEdit();
    void revertCurrentEdit();
    BackstoryDetailPane *detail() const;
    BackstoryTableModel *model() const { return m_model; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    void message(const QString &text, bool isError);
    void statusChanged(const QString &text);
    void modifiedChanged(bool modified);

private:
    // After an import (editedUid empty) or an edit or undo of one story: the table and the
    // pane show the stored rows, the selected row stays, and a shown search runs again.
    void showChanges(const QString &editedUid);
    void scheduleSearch();
    void runSearch();
    void startSearch(const QString &query);
    void onCurrentRowChanged(const QModelIndex &current, const QModelIndex &previous);
    bool writeEdit(const QString &uid, const QString &text);
    void selectUid(const QString &uid, int hintRow);
    void onSearched(quint64 generation, const QList<anthology::BackstorySummary> &hits, int total,
                    const QString &errorText, bool complete);
    void onMoreFound(quint64 generation, const QList<anthology::BackstorySummary> &hits, bool complete);
    // Selects the row kept across a repeated search once it has arrived (or the first row when
    // the search is complete without it); without a kept row, the first row of the first rows.
    void selectAfterSearch(bool firstRows, bool complete);
    void showCurrent();
    void saveEdit(const QString &uid, const QString &text);
    void undoEdit(const QString &uid);
    void updateStatus();

    ProjectSession *m_session = nullptr;
    BackstoryTableModel *m_model;
    QLineEdit *m_search;
    QLabel *m_count;
    QLabel *m_hint; // why the search box text cannot be searched, when it cannot
    QTableView *m_table;
    BackstoryDetailPane *m_detail;
    QTimer *m_searchDelay;
    QTimer *m_paneDelay; // shows the current row once a held key has stopped repeating
    bool m_keyRepeating = false; // the table's last key press was a held key's repeat
    std::unique_ptr<QThread> m_searchThread;
    BackstorySearchWorker *m_searchWorker; // lives on m_searchThread
    quint64 m_generation = 0;
    int m_searchTotal = 0;
    QString m_lastQuery; // the query the table shows
    QString m_keepUid;   // the row to select again when the running search returns
    bool m_restoringRow = false;
};

} // namespace anthology::ui
