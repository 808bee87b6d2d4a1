#pragma once

#include "config/SurveyConfig.h"
#include "pipeline/ConfigComposition.h"
#include "pipeline/PromptPreview.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTimer;
class QVBoxLayout;

namespace anthology::ui {

class ComposerForm;
class ComposerPreview;
class ComposerQuestionnaire;
class MessageBanner;
class ProjectSession;

// The "Compose" tab: a step's config composed with widgets built from the config itself
// (options on the left), and live on the right the equivalent `anthology` command line, the
// errors the CLI would give, and the exact prompt a chosen persona gets for a chosen question.
// Launch (Ctrl+Return) hands the command's arguments to whoever runs steps in the window.
class ComposerPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComposerPanel)

public:
    // Edits are folded into one refresh this long after the last one.
    static constexpr int kRefreshDelayMs = 30;

    explicit ComposerPanel(QWidget *parent = nullptr);
    ~ComposerPanel() override;

    // The session whose backstories, persona sets and data sets are offered; nullptr: none.
    void setSession(ProjectSession *session);

    const ConfigComposition &composition() const { return m_composition; }
    // The step command's arguments after the program name, without --project.
    QStringList launchArguments() const { return m_composition.arguments(); }
    QString commandLine() const;
    bool hasError() const { return !m_error.isEmpty(); }
    QString errorText() const { return m_error; }
    ComposerForm *form() const { return m_form; }
    ComposerPreview *preview() const { return m_preview; }
    ComposerQuestionnaire *questionnaire() const { return m_questionnaire; }

    void setStep(StepKind kind);
    // Saves the composed config as DIR/NAME.yaml (reference layout) and names it from then on.
    Status saveConfig(const QString &dir, const QString &name);
    Status loadConfig(const QString &file);
    // Adds a config folder to search before ours.
    void addConfigDir(const QString &dir);

public Q_SLOTS:
    // Fills the form from `anthology` step arguments (as launchRequested emits them).
    void loadInvocation(const QStringList &arguments);
    void launch();
    void refreshNow();

Q_SIGNALS:
    void launchRequested(const QStringList &arguments);
    void refreshed(); // after every refresh of command line, errors and preview

private:
    void rebuild();
    void rebuildStepFields();
    void scheduleRefresh();
    void updatePreview(const SurveyConfig &config);
    void updateStoryPreview(const ResolvedConfig &resolved, const SurveyConfig &config);
    void reloadProjectLists();
    void reloadPreviewPersonas();
    QString previewSet() const; // the persona set the preview's personas come from
    void saveDialog();
    void loadDialog();
    void showError(const Error &error);

    ConfigComposition m_composition;
    ProjectSession *m_session = nullptr;
    QComboBox *m_step;
    QLabel *m_config;
    QLabel *m_dirs;
    QWidget *m_stepBox;
    QVBoxLayout *m_stepLayout;
    QWidget *m_stepFields = nullptr;
    ComposerQuestionnaire *m_questionnaire;
    ComposerForm *m_form;
    QPlainTextEdit *m_command;
    QPushButton *m_launch;
    MessageBanner *m_banner;
    ComposerPreview *m_preview;
    QTimer *m_debounce;
    QString m_error;
    QStringList m_personaSets;
    QStringList m_datasets;
    QString m_previewKey;
    PromptPreview::Request m_previewRequest;
    QString m_previewProblem;
    QString m_baselineStyle = QStringLiteral("qa");
};

} // namespace anthology::ui
