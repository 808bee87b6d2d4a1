#pragma once

#include "util/Result.h"

#include <QGroupBox>

class QComboBox;
class QLabel;
class QTreeWidget;

namespace anthology::ui {

class ProjectSession;

// The questionnaire of a survey step built by ticking variables of an imported data set (each
// with its question text, choices and weighted human shares), or taken from a questionnaire
// YAML. Either becomes an option of the config's questionnaire group, written into a config
// folder beside the project, so the command line names it like any other option.
class ComposerQuestionnaire final : public QGroupBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComposerQuestionnaire)

public:
    explicit ComposerQuestionnaire(QWidget *parent = nullptr);

    void setSession(ProjectSession *session);
    // The defaults list's questionnaire group (e.g. questionnaire/example); empty hides the box.
    void setGroup(const QString &group);
    // Where chosen questionnaires are written (a config folder).
    void setWorkDir(const QString &dir) { m_workDir = dir; }
    QString workDir() const { return m_workDir; }

    bool selectDataset(const QString &name);
    QTreeWidget *variables() const { return m_variables; }
    // Writes the ticked variables as the option DATASET_composed.
    Status useTicked();
    // Checks the file as a questionnaire and writes it as an option of the group.
    Status useFile(const QString &path);

Q_SIGNALS:
    // An option of `group` now exists in `configDir`.
    void chosen(const QString &group, const QString &option, const QString &configDir);

private:
    void loadDataset();
    Status write(const QString &option, const QByteArray &yaml);

    ProjectSession *m_session = nullptr;
    QString m_group;
    QString m_workDir;
    QComboBox *m_dataset;
    QTreeWidget *m_variables;
    QLabel *m_status;
};

} // namespace anthology::ui
