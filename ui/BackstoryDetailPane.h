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
    bool hasUnsavedChanges() const;
    QString editedText() const;
    void setEditingEnabled(bool enabled);
    // Shows an earlier revision's text, read only, after revisionRequested().
    void showRevisionText(int revision, const QString &text);

Q_SIGNALS:
    void saveRequested(const QString &uid, const QString &text);
    void undoRequested(const QString &uid);
    void revisionRequested(const QString &uid, int revision);

private:
    void updateButtons();
    void selectRevision(int comboIndex);
    int currentRevision() const;

    QString m_uid;
    QString m_savedText;
    QList<BackstoryRevision> m_history;
    bool m_editingEnabled = true;
    QLabel *m_title;
    QPlainTextEdit *m_text;
    QComboBox *m_revisions;
    QPushButton *m_save;
    QPushButton *m_revert;
    QPushButton *m_undo;
    QTableWidget *m_attributes;
};

} // namespace anthology::ui
