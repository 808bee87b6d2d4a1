#pragma once

#include "backstories/BackstoryTypes.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace anthology::ui {

// The text pane: one backstory's text, editable, with its attributes and revision history.
// Edits are requested through signals; the owner writes them through core and reloads.
class BackstoryDetailPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackstoryDetailPane)

public:
    explicit BackstoryDetailPane(QWidget *parent = nullptr);

    void showBackstory(const std::optional<Backstory> &backstory, const QList<BackstoryRevision> &history);
    QString currentUid() const { return m_uid; }
    int currentRevision() const { return m_revision; }
    bool hasUnsavedChanges() const;
    QString editedText() const;
    void setEditingEnabled(bool enabled);
    // Shows an earlier revision's text, read only, after revisionRequested().
    void showRevisionText(int revision, const QString &text);
    // Drops the unsaved edit: the text goes back to the saved revision.
    void discardEdit();
    // What the Save edit and Undo last edit buttons (and the Edit menu) do; each does nothing
    // when its button is disabled.
    void requestSave();
    void requestUndo();
    bool canSave() const;
    bool canUndo() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    void saveRequested(const QString &uid, const QString &text);
    void undoRequested(const QString &uid);
    void revisionRequested(const QString &uid, int revision);
    // The text now differs from the saved revision, or no longer does.
    void modifiedChanged(bool modified);
    // What can be done changed (Save, Undo, Revert enable themselves).
    void actionsChanged();

private:
    void updateButtons();
    void updateTitle();
    void selectRevision(int comboIndex);
    int historyCurrentRevision() const;

    QString m_uid;
    QString m_savedText;
    int m_revision = 0;      // the current revision's number
    int m_shownRevision = 0; // the revision whose text is in the editor
    bool m_modified = false;
    QList<BackstoryRevision> m_history;
    bool m_editingEnabled = true;
    QWidget *m_titleBox; // a fixed-height box without a layout: see the constructor
    QLabel *m_title;
    QPlainTextEdit *m_text;
    QComboBox *m_revisions;
    QPushButton *m_save;
    QPushButton *m_revert;
    QPushButton *m_undo;
    QTableWidget *m_attributes;
};

} // namespace anthology::ui
