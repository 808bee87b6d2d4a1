#pragma once

#include "run/SurveyItemBuilder.h"

#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QPlainTextEdit;

namespace anthology::ui {

// The composer's live output: the exact prompt (completion text or chat messages) the chosen
// persona gets for the chosen question, as PromptPreview builds it with the run's code.
class ComposerPreview final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComposerPreview)

public:
    explicit ComposerPreview(QWidget *parent = nullptr);

    // Personas to choose from (backstory uids); the first entry is the empty passage.
    void setPersonas(const QStringList &uids);
    QString persona() const; // empty: the empty passage
    bool selectPersona(const QString &uid);

    // The persona's prompts in asked order; keeps the chosen question when it is still asked.
    void setPrompts(const QList<PreviewPrompt> &prompts);
    void showError(const QString &message);
    // Whether the persona chooser shows (a generate step has no personas).
    void setPersonaShown(bool shown);
    bool selectQuestion(const QString &key);
    QString question() const;
    QString text() const; // the prompt shown

Q_SIGNALS:
    void personaChanged();

private:
    void showCurrent();

    QFormLayout *m_choosers;
    QComboBox *m_persona;
    QComboBox *m_question;
    QLabel *m_info;
    QPlainTextEdit *m_text;
    QList<PreviewPrompt> m_prompts;
};

} // namespace anthology::ui
