#pragma once

#include "pipeline/LlmProfileCatalog.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace anthology {
class EndpointProbe;
}

namespace anthology::ui {

class MessageBanner;

// The LLM endpoint profiles the workbench sees (our configs and the config folders the user
// added), what each resolves to (provider, URLs, model, key variable, limits, prices), and a
// background "Test connection" with `llm ping`'s core check (EndpointProbe).
class ConnectionsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionsDialog)

public:
    explicit ConnectionsDialog(QWidget *parent = nullptr);
    ~ConnectionsDialog() override;

    // The user's config folders (searched before ours); rescans the profiles.
    void setConfigDirs(const QStringList &dirs);
    QStringList configDirs() const { return m_dirs; }
    // The folders the user added in earlier sessions (QSettings).
    static QStringList savedConfigDirs();
    // The open project's config folder: its profiles are listed as the project's, and
    // "Save to Project" copies the selected profile there. Empty: no project.
    void setProjectConfigDir(const QString &dir);
    // Copies the selected profile into the project's config folder (llm_parameters/NAME.yaml).
    Status saveToProject();

    const QList<LlmProfileEntry> &profiles() const { return m_profiles; }
    // Selects the profile read from `file`; false when it is not listed.
    bool selectProfile(const QString &file);
    const LlmProfileEntry *currentProfile() const;

public Q_SLOTS:
    void testConnection();

Q_SIGNALS:
    void testFinished();

private:
    void rescan();
    void showCurrent();
    void showReport();
    void addFolder();

    QStringList m_dirs;
    QString m_projectDir;
    QPushButton *m_save = nullptr;
    QList<LlmProfileEntry> m_profiles;
    QTreeWidget *m_list;
    MessageBanner *m_banner;
    QLabel *m_details;
    QPushButton *m_test;
    QLabel *m_result;
    EndpointProbe *m_probe;
};

} // namespace anthology::ui
