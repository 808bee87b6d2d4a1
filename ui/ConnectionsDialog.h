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
    QList<LlmProfileEntry> m_profiles;
    QTreeWidget *m_list;
    MessageBanner *m_banner;
    QLabel *m_details;
    QPushButton *m_test;
    QLabel *m_result;
    EndpointProbe *m_probe;
};

} // namespace anthology::ui
